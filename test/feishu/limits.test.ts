// One absurd message must not stall everyone else's: a signed Feishu post with 10,000 images (or
// 100,000 characters, or 500 @mentions) goes through the real webhook route, is cut to the bounds of
// src/platform/limits.ts before it is walked or stored, and the ticket's timeline says what was cut.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MESSAGE_LIMITS } from "../../src/platform/limits.js";
import { BOT_OPEN_ID, messageEvent, post } from "../support/feishu-events.js";
import { expectValidCard, startFeishuStack, textOf, type FeishuStack, type Json } from "../support/feishu-stack.js";

let f: FeishuStack;
beforeAll(async () => {
  f = await startFeishuStack({ now: () => new Date("2025-05-21T02:00:00Z") });
});
afterAll(() => f.close());

const bot = { key: "@_user_1", openId: BOT_OPEN_ID, name: "ChatDesk" };

/** A post: "@bot <text>", then one paragraph per image. */
function imagePost(images: number, messageId: string) {
  return messageEvent({
    messageId,
    messageType: "post",
    content: {
      title: "客户反馈",
      content: [
        [{ tag: "at", user_id: "@_user_1", user_name: "ChatDesk" }, { tag: "text", text: " 导出报错，截图如下" }],
        ...Array.from({ length: images }, (_, i) => [{ tag: "img", image_key: `img_v3_${String(i).padStart(6, "0")}` }]),
      ],
    },
    mentions: [bot],
  });
}

async function ticketOf(messageId: string) {
  const t = await f.s.db.ticket.findFirstOrThrow({ where: { messageId }, include: { attachments: true, events: true } });
  const created = JSON.parse(t.events.find((e) => e.kind === "created")!.payload) as Json;
  return { t, created };
}

const storedEvent = async (messageId: string) => JSON.parse((await f.s.db.inboundEvent.findUniqueOrThrow({ where: { id: `feishu:msg:${messageId}` } })).payload) as Json;

describe("a Feishu post with 10,000 images", () => {
  it("is acknowledged, /healthz answers alongside, and only the bounded part is stored and ticketed", async () => {
    const req = await post(imagePost(10_000, "om_big_post"));
    expect(req.body.length).toBeGreaterThan(500_000);
    const [res, health] = await Promise.all([f.send("events", req), fetch(`${f.s.url}/healthz`)]);
    expect(res).toEqual({ status: 200, body: {} });
    expect(health.status).toBe(200);
    expect((await fetch(`${f.s.url}/healthz`)).status).toBe(200);
    await f.s.idle();

    // Stored (before the ack) already bounded: the first 1,000 elements read, 50 of their images kept.
    const stored = await storedEvent("om_big_post");
    expect((stored.attachments as unknown[]).length).toBe(MESSAGE_LIMITS.attachments);
    expect(stored.cut).toEqual([
      { part: "elements", kept: MESSAGE_LIMITS.elements, total: 10_002 },
      { part: "attachments", kept: MESSAGE_LIMITS.attachments, total: MESSAGE_LIMITS.elements - 2 },
    ]);

    const { t, created } = await ticketOf("om_big_post");
    expect(t.attachments).toHaveLength(MESSAGE_LIMITS.attachments);
    expect(t.attachments[0]!.fileKey).toBe("img_v3_000000");
    expect(created.text).toBe("消息过大，已截断：富文本共 10002 个元素，只读取了前 1000 个；附件超过 50 个，只保留了前 50 个");
    expect(f.s.logs.some((l) => l.msg === "inbound message cut to bounds" && l.messageId === "om_big_post")).toBe(true);

    // The group's ticket card shows it in its timeline.
    const card = f.fake.cards().filter((c) => textOf(c.card).includes(t.number)).at(-1)!;
    expect(textOf(expectValidCard(card.card))).toContain("创建工单：消息过大，已截断：富文本共 10002 个元素");
  });
});

describe("other oversized parts", () => {
  it("100,000 characters of text become a ticket with the first 20,000, and the timeline says so", async () => {
    const text = `@_user_1 ${"系统报错无法登录。".repeat(12_000)}`.slice(0, 100_000);
    const res = await f.deliver(messageEvent({ messageId: "om_long_text", text, mentions: [bot] }));
    expect(res.status).toBe(200);
    await f.s.idle();
    const { t, created } = await ticketOf("om_long_text");
    expect(t.description.length).toBeLessThanOrEqual(MESSAGE_LIMITS.text);
    expect(t.description.length).toBeGreaterThan(MESSAGE_LIMITS.text - 100);
    expect(created.text).toBe("消息过大，已截断：文字共 100000 字，只保留了前 20000 字");
  });

  it("500 @mentions: the first 100 are read", async () => {
    const mentions = [bot, ...Array.from({ length: 499 }, (_, i) => ({ key: `@_user_${i + 2}`, openId: `ou_someone_${i}`, name: `同事${i}` }))];
    const text = `@_user_1 客户反馈系统报错 ${mentions.slice(1).map((m) => m.key).join(" ")}`;
    expect((await f.deliver(messageEvent({ messageId: "om_many_mentions", text, mentions }))).status).toBe(200);
    await f.s.idle();
    const stored = await storedEvent("om_many_mentions");
    expect(stored.cut).toEqual([{ part: "mentions", kept: MESSAGE_LIMITS.mentions, total: 500 }]);
    const { created } = await ticketOf("om_many_mentions");
    expect(String(created.text)).toContain("共 @ 了 500 人，只读取了前 100 个");
  });

  it("a message within the bounds carries no cut and its created event no note", async () => {
    expect((await f.deliver(imagePost(3, "om_small_post"))).status).toBe(200);
    await f.s.idle();
    expect((await storedEvent("om_small_post")).cut).toBeUndefined();
    const { t, created } = await ticketOf("om_small_post");
    expect(t.attachments).toHaveLength(3);
    expect(created).not.toHaveProperty("cut");
    expect(created).not.toHaveProperty("text");
  });
});
