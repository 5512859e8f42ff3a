// The DingTalk side of the per-message bounds (src/platform/limits.ts): a signed richText robot
// callback with 10,000 pictures through the real HTTP route is cut before it is walked or stored.
import { afterAll, beforeAll, expect, it } from "vitest";
import { MESSAGE_LIMITS } from "../../src/platform/limits.js";
import { robotGroupText, robotRichText, signedRobotRequest } from "../support/dingtalk-events.js";
import { DT, startDingTalkRig, type DingTalkRig } from "../support/dingtalk-rig.js";

let rig: DingTalkRig;
beforeAll(async () => {
  rig = await startDingTalkRig("http");
});
afterAll(() => rig?.close());

it("a richText message with 10,000 pictures: acked, 50 attachments kept, the timeline says what was cut", async () => {
  const parts = [{ text: "客户反馈：系统报错，截图如下" }, ...Array.from({ length: 10_000 }, (_, i) => ({ downloadCode: `dl-${i}`, type: "picture" as const }))];
  const body = robotRichText(parts, { conversationId: "cid_big==", msgId: "msg_big_rich", sessionWebhook: rig.fake.sessionWebhookUrl() });
  const [res, health] = await Promise.all([
    fetch(`${rig.server.url}/webhooks/dingtalk/robot`, await signedRobotRequest(body, DT.appSecret)),
    fetch(`${rig.server.url}/healthz`),
  ]);
  expect(res.status).toBe(200);
  expect(health.status).toBe(200);
  await rig.server.idle();

  const stored = JSON.parse((await rig.server.db.inboundEvent.findUniqueOrThrow({ where: { id: "dingtalk:msg:msg_big_rich" } })).payload) as Record<string, unknown>;
  expect((stored.attachments as unknown[]).length).toBe(MESSAGE_LIMITS.attachments);
  expect(stored.cut).toEqual([
    { part: "elements", kept: MESSAGE_LIMITS.elements, total: 10_001 },
    { part: "attachments", kept: MESSAGE_LIMITS.attachments, total: MESSAGE_LIMITS.elements - 1 },
  ]);
  const t = await rig.server.db.ticket.findFirstOrThrow({ where: { messageId: "msg_big_rich" }, include: { attachments: true, events: true } });
  expect(t.attachments).toHaveLength(MESSAGE_LIMITS.attachments);
  expect(t.description).toContain("系统报错");
  const created = JSON.parse(t.events.find((e) => e.kind === "created")!.payload) as { text?: string };
  expect(created.text).toBe("消息过大，已截断：富文本共 10001 个元素，只读取了前 1000 个；附件超过 50 个，只保留了前 50 个");
});

it("times past year 9999 (createAt, sessionWebhookExpiredTime): acked, the ticket made, the session webhook not kept", async () => {
  // new Date(1e20) is an Invalid Date: stored as the session's expiry it failed the event in processing.
  const body = { ...robotGroupText({ conversationId: "cid_far_future==", msgId: "msg_far_future", sessionWebhook: rig.fake.sessionWebhookUrl() }), createAt: 1e20, sessionWebhookExpiredTime: 1e20 };
  const res = await fetch(`${rig.server.url}/webhooks/dingtalk/robot`, await signedRobotRequest(body, DT.appSecret));
  expect(res.status).toBe(200);
  await rig.server.idle();
  const inbound = await rig.server.db.inboundEvent.findUniqueOrThrow({ where: { id: "dingtalk:msg:msg_far_future" } });
  expect([inbound.status, inbound.lastError]).toEqual(["done", null]);
  const t = await rig.server.db.ticket.findFirstOrThrow({ where: { messageId: "msg_far_future" } });
  expect(t.chatId).toBe("group:cid_far_future==");
  expect(Math.abs(t.receivedAt.getTime() - Date.now())).toBeLessThan(60_000);
  expect(await rig.server.db.chatSession.count({ where: { chatId: "group:cid_far_future==" } })).toBe(0);
});
