// The Cloudflare Worker end to end, locally: the bundle from `npm run build:worker` in workerd
// (Miniflare), a local D1 migrated by `wrangler d1 migrations apply --local`, and the fake Feishu and
// DingTalk servers on loopback as the platforms. Signed webhooks in, tickets in D1, cards out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeDingTalk, type FakeDingTalk } from "../fakes/dingtalk-server.js";
import { startFakeFeishu, type FakeFeishuServer } from "../fakes/feishu-server.js";
import { cardCallback, robotGroupText, signedCardRequest, signedRobotRequest } from "../support/dingtalk-events.js";
import { cardParamMapViolations } from "../support/dingtalk-card-rules.js";
import { checkFeishuCard } from "../support/feishu-card-rules.js";
import { cardActionEvent, groupMention, post, postMessage, TEST_SECRETS, APP_ID, type Posted } from "../support/feishu-events.js";
import { bandsPng } from "../support/png.js";
import { teamConfig } from "../support/server.js";
import { startLocalWorker, type LocalWorker } from "../support/worker.js";

const DINGTALK_KEY = "ding-app-key";
const DINGTALK_SECRET = "ding-app-secret";
const CARD_TEMPLATE = "tpl-chatdesk.schema";
const PUBLIC_URL = "https://chatdesk.example.com";

let feishu: FakeFeishuServer;
let dingtalk: FakeDingTalk;
let w: LocalWorker;

beforeAll(async () => {
  [feishu, dingtalk] = await Promise.all([startFakeFeishu(), startFakeDingTalk({ appKey: DINGTALK_KEY, appSecret: DINGTALK_SECRET })]);
  w = await startLocalWorker({
    vars: {
      LOG_LEVEL: "debug",
      PUBLIC_URL,
      FEISHU_APP_ID: APP_ID,
      FEISHU_APP_SECRET: "feishu-app-secret",
      FEISHU_VERIFICATION_TOKEN: TEST_SECRETS.verificationToken,
      FEISHU_ENCRYPT_KEY: TEST_SECRETS.encryptKey,
      FEISHU_DOMAIN: feishu.url,
      DINGTALK_CLIENT_ID: DINGTALK_KEY,
      DINGTALK_CLIENT_SECRET: DINGTALK_SECRET,
      DINGTALK_ROBOT_CODE: "ding-robot",
      DINGTALK_API_BASE: dingtalk.url,
      CHATDESK_CONFIG_JSON: JSON.stringify({ ...teamConfig, dingtalk: { cardTemplateId: CARD_TEMPLATE } }),
    },
  });
}, 180_000); // bundling the Worker takes a while when other suites build it at the same time
afterAll(async () => {
  await w?.close();
  await Promise.all([feishu?.close(), dingtalk?.close()]);
});

/** Wait for a condition the Worker reaches in waitUntil, after it has answered. */
async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false && v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; worker logs:\n${w.logs.slice(-30).map((l) => JSON.stringify(l)).join("\n")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const postFeishu = (endpoint: "events" | "cards", req: Posted) => w.fetch(`/webhooks/feishu/${endpoint}`, { method: "POST", headers: req.headers, body: req.body });

interface TicketRow {
  id: number;
  number: string;
  status: string;
  platform: string;
  chatId: string;
  department: string;
  handlerId: string | null;
  reporterId: string;
  messageId: string | null;
  version: number;
}

const ticketFrom = (messageId: string) => w.query<TicketRow>(`SELECT * FROM "Ticket" WHERE "messageId" = ?`, messageId).then((r) => r[0]);

/** The callback value of the first button whose action is `action`, anywhere in a Feishu 2.0 card. */
function buttonValue(card: unknown, action: string): Record<string, string> | undefined {
  if (Array.isArray(card)) {
    for (const c of card) {
      const v = buttonValue(c, action);
      if (v) return v;
    }
    return undefined;
  }
  if (!card || typeof card !== "object") return undefined;
  const o = card as Record<string, unknown>;
  if (o.tag === "button" && Array.isArray(o.behaviors)) {
    const cb = (o.behaviors as { type: string; value?: Record<string, string> }[]).find((b) => b.type === "callback");
    if (cb?.value?.action === action) return cb.value;
  }
  for (const v of Object.values(o)) {
    const found = buttonValue(v, action);
    if (found) return found;
  }
  return undefined;
}

describe("Cloudflare Worker (Miniflare + local D1)", () => {
  it("serves /healthz from the migrated D1 database", async () => {
    const res = await w.fetch("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: "ok", platforms: { feishu: true, dingtalk: true } });
    const applied = await w.query<{ name: string }>("SELECT name FROM d1_migrations");
    expect(applied.map((m) => m.name)).toContain("20261123161803_init.sql");
  });

  it("answers /livez and /readyz; not ready while D1 lacks the schema; /healthz 503 when degraded", async () => {
    expect(await (await w.fetch("/livez")).json()).toEqual({ status: "ok", phase: "serving" });
    expect(await (await w.fetch("/readyz")).json()).toEqual({ status: "ready" });
    await w.query(`ALTER TABLE "Ticket" RENAME TO "Ticket_away"`);
    try {
      const res = await w.fetch("/readyz");
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: "not_ready", reason: expect.stringMatching(/^database: .*Ticket/) });
    } finally {
      await w.query(`ALTER TABLE "Ticket_away" RENAME TO "Ticket"`);
    }
    expect((await w.fetch("/readyz")).status).toBe(200);
    await w.query(`INSERT INTO "InboundEvent" (id, platform, kind, payload, status, attempts, receivedAt) VALUES ('feishu:ev_dead', 'feishu', 'message', '{}', 'failed', 5, '2026-01-01T00:00:00.000Z')`);
    try {
      const res = await w.fetch("/healthz");
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: "degraded", inbound: { failed: 1 } });
    } finally {
      await w.query(`DELETE FROM "InboundEvent" WHERE id = 'feishu:ev_dead'`);
    }
  });

  let feishuTicket: TicketRow;
  let replyCardId: string;

  it("a signed, encrypted Feishu message becomes a ticket in D1 and a reply card at Feishu", async () => {
    const messageId = "om_worker_msg_1";
    const res = await postFeishu("events", await post(groupMention("@_user_1 客户说系统报错无法登录 @_user_2 请看看", { messageId, chatId: "oc_worker" })));
    expect(res.status).toBe(200);

    feishuTicket = await until("the Feishu ticket", () => ticketFrom(messageId));
    expect(feishuTicket).toMatchObject({ status: "open", platform: "feishu", chatId: "oc_worker", department: "tech", handlerId: "zhang", reporterId: "ou_reporter", version: 1 });
    expect(feishuTicket.number).toMatch(/^FB\d{11}$/);

    const reply = await until("the reply card", () => feishu.calls.find((c) => c.method === "POST" && c.path === `/open-apis/im/v1/messages/${messageId}/reply`));
    expect(reply.headers.authorization).toBe("Bearer t-fake-tenant-token");
    expect((reply.body as { msg_type: string }).msg_type).toBe("interactive");
    expect(checkFeishuCard(reply.content)).toEqual([]);
    expect(JSON.stringify(reply.content)).toContain(feishuTicket.number);
    replyCardId = await until("the card's message id recorded", async () => {
      const refs = await w.query<{ ref: string }>(`SELECT ref FROM "CardRef" WHERE "ticketId" = ?`, feishuTicket.id);
      return refs[0]?.ref;
    });
    expect(feishu.cards().some((c) => c.messageId === replyCardId)).toBe(true);
  });

  it("a wrong Feishu signature is refused with 401 and stores nothing", async () => {
    const req = await post(groupMention(undefined, { messageId: "om_worker_forged" }));
    const res = await postFeishu("events", { ...req, headers: { ...req.headers, "x-lark-signature": "0".repeat(64) } });
    expect(res.status).toBe(401);
    expect(await w.query(`SELECT id FROM "InboundEvent" WHERE id LIKE '%om_worker_forged%'`)).toEqual([]);
  });

  it("a click on the card's claim button claims the ticket and answers with the updated card", async () => {
    const reply = feishu.calls.find((c) => c.path === `/open-apis/im/v1/messages/${feishuTicket.messageId}/reply`)!;
    const value = buttonValue(reply.content, "claim");
    expect(value).toMatchObject({ action: "claim", ticket: feishuTicket.number });

    const res = await postFeishu("cards", await post(cardActionEvent({ operatorId: "ou_handler_zhang", value, messageId: replyCardId, chatId: "oc_worker" })));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { toast: { type: string }; card: { type: string; data: unknown } };
    expect(body.toast.type).toBe("success");
    expect(body.card.type).toBe("raw");
    expect(checkFeishuCard(body.card.data)).toEqual([]);
    // The answered card no longer offers "claim".
    expect(buttonValue(body.card.data, "claim")).toBeUndefined();

    const [t] = await w.query<TicketRow>(`SELECT * FROM "Ticket" WHERE id = ?`, feishuTicket.id);
    expect(t).toMatchObject({ status: "in_progress", handlerId: "zhang", version: 2 });
    const events = await w.query<{ kind: string; actorId: string }>(`SELECT kind, "actorId" FROM "TicketEvent" WHERE "ticketId" = ? ORDER BY "ticketVersion"`, feishuTicket.id);
    expect(events).toEqual([
      { kind: "created", actorId: "ou_reporter" },
      { kind: "claimed", actorId: "ou_handler_zhang" },
    ]);
    // The reporter is told, in the thread, through the outbox.
    const notice = await until("the status notice to the reporter", () =>
      feishu.calls.find((c) => c.path === `/open-apis/im/v1/messages/${feishuTicket.messageId}/reply` && (c.body as { msg_type: string }).msg_type === "text"),
    );
    expect(JSON.stringify(notice.content)).toContain('<at user_id=\\"ou_reporter\\">');
    // The tenant token lives as long as the isolate, not one request: fetched once for all of the above.
    expect(feishu.tokenRequests()).toBe(1);
  });

  let dingTicket: TicketRow;

  it("a signed DingTalk robot callback becomes a ticket and an interactive card at DingTalk", async () => {
    const msg = robotGroupText({ text: "客户反馈：系统报错无法登录", conversationId: "cidWorker==", msgId: "msgWorker1", senderStaffId: "staff-reporter", sessionWebhook: dingtalk.sessionWebhookUrl() });
    const res = await w.fetch("/webhooks/dingtalk/robot", await signedRobotRequest(msg, DINGTALK_SECRET));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ msgtype: "empty" });

    dingTicket = await until("the DingTalk ticket", async () => (await w.query<TicketRow>(`SELECT * FROM "Ticket" WHERE platform = 'dingtalk' AND "chatId" = 'group:cidWorker=='`))[0]);
    // Round-robin in the tech pool: the Feishu ticket went to zhang, this one goes to li.
    expect(dingTicket).toMatchObject({ status: "open", department: "tech", handlerId: "li", reporterId: "staff-reporter", version: 1 });

    const created = await until("the card at DingTalk", () => dingtalk.callsTo("/v1.0/card/instances/createAndDeliver").find((c) => c.body.openSpaceId === "dtv1.card//IM_GROUP.cidWorker=="));
    expect(created.body.cardTemplateId).toBe(CARD_TEMPLATE);
    const params = created.body.cardData.cardParamMap as Record<string, string>;
    expect(cardParamMapViolations(params)).toEqual([]);
    expect(params.headerTitle).toContain(dingTicket.number);
  });

  it("a bad DingTalk signature is refused with 401", async () => {
    const res = await w.fetch("/webhooks/dingtalk/robot", await signedRobotRequest(robotGroupText({ msgId: "msgForged" }), "not-the-secret"));
    expect(res.status).toBe(401);
    expect(await w.query(`SELECT id FROM "InboundEvent" WHERE id LIKE '%msgForged%'`)).toEqual([]);
  });

  it("a DingTalk card click claims the ticket and updates the card through the API", async () => {
    const created = dingtalk.callsTo("/v1.0/card/instances/createAndDeliver").find((c) => c.body.openSpaceId === "dtv1.card//IM_GROUP.cidWorker==")!;
    const outTrackId = created.body.outTrackId as string;
    const body = cardCallback({ outTrackId, userId: "dt_li", value: { action: "claim", ticket: dingTicket.number }, spaceId: "cidWorker==" });
    const signed = await signedCardRequest(body, DINGTALK_SECRET);
    const res = await w.fetch("/webhooks/dingtalk/cards", signed);
    expect(res.status).toBe(200);
    // The same signature once more, with another body: remembered in D1 and refused.
    const replay = await w.fetch("/webhooks/dingtalk/cards", { ...signed, body: JSON.stringify(cardCallback({ outTrackId, userId: "dt_zhang", value: { action: "reject", ticket: dingTicket.number }, spaceId: "cidWorker==" })) });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toEqual({ error: "SIGNATURE_REPLAYED" });
    expect(await w.query(`SELECT key FROM "UsedSignature" WHERE key = ?`, `dingtalk-card:${signed.headers["x-ddpaas-signature-timestamp"]}:${signed.headers["x-ddpaas-signature"]}`)).toHaveLength(1);
    const json = (await res.json()) as { cardData: { cardParamMap: Record<string, string> }; userPrivateData: { cardParamMap: { noticeKind: string } } };
    expect(json.userPrivateData.cardParamMap.noticeKind).toBe("success");

    const [t] = await w.query<TicketRow>(`SELECT * FROM "Ticket" WHERE id = ?`, dingTicket.id);
    expect(t).toMatchObject({ status: "in_progress", handlerId: "li", version: 2 });
    const update = await until("the card update at DingTalk", () => dingtalk.callsTo("/v1.0/card/instances").find((c) => c.method === "PUT" && c.body.outTrackId === outTrackId));
    expect(update.headers["x-acs-dingtalk-access-token"]).toMatch(/^tok-/);
    expect(cardParamMapViolations(update.body.cardData.cardParamMap)).toEqual([]);
    expect(dingtalk.cards.get(outTrackId)?.headerSubtitle).toBe(json.cardData.cardParamMap.headerSubtitle);
  });
  it("a cron run registers the DingTalk card callback URL once", async () => {
    expect(dingtalk.callsTo("/v1.0/card/callbacks/register")).toHaveLength(0);
    expect((await w.scheduled(new Date())).outcome).toBe("ok");
    expect((await w.scheduled(new Date())).outcome).toBe("ok");
    const calls = dingtalk.callsTo("/v1.0/card/callbacks/register");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toEqual({ callbackRouteKey: "chatdesk", callbackUrl: `${PUBLIC_URL}/webhooks/dingtalk/cards`, apiSecret: DINGTALK_SECRET, forceUpdate: true });
  });

  it("a cron run processes an event that was stored but never processed (isolate gone after the ack)", async () => {
    // What an evicted isolate leaves behind: the row written before the ack, still pending.
    const [done] = await w.query<{ id: string; payload: string; receivedAt: unknown }>(`SELECT id, payload, "receivedAt" FROM "InboundEvent" WHERE id LIKE 'dingtalk:msg:%' AND status = 'done'`);
    const payload = { ...(JSON.parse(done!.payload) as Record<string, unknown>), dedupeId: "msgOrphan1", messageId: "msgOrphan1", text: "客户反馈：支付页面报错 500" };
    await w.query(`INSERT INTO "InboundEvent" (id, platform, kind, payload, status, attempts, "receivedAt") VALUES (?, 'dingtalk', 'message', ?, 'pending', 0, ?)`, "dingtalk:msg:msgOrphan1", JSON.stringify(payload), done!.receivedAt);

    expect((await w.scheduled(new Date())).outcome).toBe("ok");
    const [row] = await w.query<{ status: string; attempts: number }>(`SELECT status, attempts FROM "InboundEvent" WHERE id = 'dingtalk:msg:msgOrphan1'`);
    expect(row).toEqual({ status: "done", attempts: 1 });
    const tickets = await w.query<TicketRow>(`SELECT * FROM "Ticket" WHERE "messageId" = 'msgOrphan1'`);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ platform: "dingtalk", chatId: "group:cidWorker==", status: "open" });
  });
  it("two concurrent claims on D1 (no transactions there): exactly one wins", async () => {
    // The orphan's ticket from the test above: open, in the tech pool of zhang and li.
    const [t] = await w.query<TicketRow>(`SELECT * FROM "Ticket" WHERE "messageId" = 'msgOrphan1'`);
    const click = async (userId: string) => {
      const body = cardCallback({ outTrackId: `race-${userId}`, userId, value: { action: "claim", ticket: t!.number }, spaceId: "cidWorker==" });
      const res = await w.fetch("/webhooks/dingtalk/cards", await signedCardRequest(body, DINGTALK_SECRET));
      return ((await res.json()) as { userPrivateData: { cardParamMap: { noticeKind: string } } }).userPrivateData.cardParamMap.noticeKind;
    };
    const kinds = await Promise.all([click("dt_zhang"), click("dt_li")]);
    // The loser is told someone else changed the ticket first (CONFLICT or, if later, ILLEGAL_TRANSITION).
    expect(kinds.sort()).toEqual(["success", "warning"]);
    const [after] = await w.query<TicketRow>(`SELECT * FROM "Ticket" WHERE id = ?`, t!.id);
    expect(after).toMatchObject({ status: "in_progress", version: 2 });
    const claims = await w.query<{ actorId: string; ticketVersion: number }>(`SELECT "actorId", "ticketVersion" FROM "TicketEvent" WHERE "ticketId" = ? AND kind = 'claimed'`, t!.id);
    expect(claims).toHaveLength(1);
    expect(claims[0]!.ticketVersion).toBe(2);
    expect(after!.handlerId).toBe(claims[0]!.actorId === "dt_zhang" ? "zhang" : "li");
  });
  it("a cron run when a reminder is due sends the reminder card to the handler and the groups, once", async () => {
    const messageId = "om_worker_urgent";
    await postFeishu("events", await post(groupMention("@_user_1 #紧急 客户说支付系统全部宕机 @_user_2", { messageId, chatId: "oc_worker" })));
    const t = await until("the urgent ticket", () => ticketFrom(messageId));
    const [row] = await w.query<{ priority: string; receivedAt: string | number; responseDueAt: string | number }>(`SELECT priority, "receivedAt", "responseDueAt" FROM "Ticket" WHERE id = ?`, t.id);
    const received = new Date(row!.receivedAt);
    // Urgent: respond within 2 h on the calendar clock; reminders at 75 % (90 min) and 1 h before.
    expect(row!.priority).toBe("urgent");
    expect(new Date(row!.responseDueAt).getTime() - received.getTime()).toBe(2 * 3_600_000);
    const handler = teamConfig.people.find((p) => p.id === t.handlerId)!.feishu;
    await until("the new ticket's card", () => feishu.calls.find((c) => c.path === `/open-apis/im/v1/messages/${messageId}/reply`));

    const before = feishu.calls.length;
    const at = new Date(received.getTime() + 95 * 60_000);
    expect((await w.scheduled(at)).outcome).toBe("ok");
    const about = (c: (typeof feishu.calls)[number]) => c.method === "POST" && JSON.stringify(c.content ?? "").includes(t.number);
    // The handler directly (by open_id), the ticket's thread and the department's group.
    const direct = await until("the reminder to the handler", () => feishu.calls.slice(before).find((c) => about(c) && c.query.receive_id_type === "open_id"));
    expect((direct.body as { receive_id: string; msg_type: string }).receive_id).toBe(handler);
    expect((direct.body as { msg_type: string }).msg_type).toBe("interactive");
    expect(checkFeishuCard(direct.content)).toEqual([]);
    const thread = await until("the reminder in the ticket's thread", () => feishu.calls.slice(before).find((c) => about(c) && c.path === `/open-apis/im/v1/messages/${messageId}/reply`));
    expect(checkFeishuCard(thread.content)).toEqual([]);
    const dept = await until("the reminder in the department's group", () =>
      feishu.calls.slice(before).find((c) => about(c) && c.query.receive_id_type === "chat_id" && (c.body as { receive_id: string }).receive_id === "oc_tech"),
    );
    expect(JSON.stringify(dept.content)).toContain(handler);

    const notices = await w.query<{ kind: string }>(`SELECT kind FROM "Notice" WHERE "ticketId" = ?`, t.id);
    expect(notices.map((n) => n.kind)).toEqual(["response.before"]);
    const reminders = await w.query<{ kind: string; source: string }>(`SELECT kind, source FROM "TicketEvent" WHERE "ticketId" = ? AND kind = 'reminder'`, t.id);
    expect(reminders).toEqual([{ kind: "reminder", source: "system" }]);

    // The same minute again (an overlapping or repeated cron run): claimed already, nothing new.
    const sent = feishu.calls.filter(about).length;
    expect((await w.scheduled(at)).outcome).toBe("ok");
    await until("the outbox drained", async () => (await w.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "OutboundMessage" WHERE status = 'pending'`))[0]!.n === 0 || undefined);
    expect(feishu.calls.filter(about).length).toBe(sent);
    expect(await w.query(`SELECT key FROM "Notice" WHERE "ticketId" = ?`, t.id)).toHaveLength(1);
    // The tick stored when to look at it next (src/core/follow-up.ts): the breach at 2 h, a minute early.
    const [next] = await w.query<{ at: string }>(`SELECT "nextFollowUpAt" AS at FROM "Ticket" WHERE id = ?`, t.id);
    expect(new Date(next!.at).getTime()).toBe(received.getTime() + 119 * 60_000);
  });

  it("/find on D1: FTS5 finds a 2-character Chinese term and a 3-character one; % is a character", async () => {
    const ask = async (q: string, n: number) => {
      const messageId = `om_worker_find_${n}`;
      expect((await postFeishu("events", await post(groupMention(`@_user_1 /find ${q}`, { messageId, chatId: `oc_worker_find_${n}` })))).status).toBe(200);
      const reply = await until(`the answer to /find ${q}`, () => feishu.calls.find((c) => c.method === "POST" && c.path === `/open-apis/im/v1/messages/${messageId}/reply`));
      expect(checkFeishuCard(reply.content)).toEqual([]);
      return JSON.stringify(reply.content);
    };
    const login = await ask("登录", 1); // "客户说系统报错无法登录", the first ticket
    expect(login).toContain(`搜索结果：登录`);
    expect(login).toContain(feishuTicket.number);
    expect(await ask("全部宕机", 2)).toContain("客户说支付系统全部宕机");
    const percent = await ask("%", 3);
    expect(percent).toContain("没有符合条件的工单");
    expect(percent).not.toMatch(/FB\d{11}/);
  });

  it("a Feishu post with an image: downloaded over fetch after the ack, stored in the R2 bucket, counted on the card", async () => {
    const png = bandsPng(16, 8);
    feishu.resources.set("om_worker_img/img_v3_worker", { bytes: png, contentType: "image/png" });
    const res = await postFeishu("events", await post(postMessage({ messageId: "om_worker_img", chatId: "oc_worker", content: { title: "", content: [[{ tag: "at", user_id: "@_user_1", user_name: "ChatDesk" }, { tag: "text", text: " 导出报错，截图如下" }], [{ tag: "img", image_key: "img_v3_worker" }]] } })));
    expect(res.status).toBe(200);
    const t = await until("the ticket", () => ticketFrom("om_worker_img"));
    const a = await until("the attachment stored", async () => (await w.query<{ id: number; status: string; storageKey: string; size: number; contentType: string }>(`SELECT * FROM "Attachment" WHERE "ticketId" = ? AND status = 'stored'`, t.id))[0]);
    expect(a).toMatchObject({ storageKey: `${t.number}/${a.id}-image-${a.id}.png`, size: png.byteLength, contentType: "image/png" });
    expect(await w.r2Object(a.storageKey)).toEqual({ bytes: png, contentType: "image/png" });
    const call = feishu.calls.find((c) => c.path === "/open-apis/im/v1/messages/om_worker_img/resources/img_v3_worker")!;
    expect(call.query).toEqual({ type: "image" });
    expect(call.headers.authorization).toBe("Bearer t-fake-tenant-token");
    const card = await until("the reply card", () => feishu.calls.find((c) => c.path === "/open-apis/im/v1/messages/om_worker_img/reply"));
    expect(JSON.stringify(card.content)).toContain("附件：1 个（1 张图片）");
  });
});
