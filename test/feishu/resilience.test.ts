// Feishu through the real server when things go wrong: forged or broken requests, duplicate pushes,
// clicks without permission, racing clicks, a slow or failing open platform, and a crash after the ack.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateSqlite, readMigrations } from "../../src/adapter/node/migrate.js";
import { createSqliteDb } from "../../src/adapter/node/db.js";
import { MIGRATIONS_DIR } from "../../src/adapter/node/server.js";
import { deliverDue } from "../../src/app/deliver.js";
import { processPendingInbound } from "../../src/app/inbound.js";
import { parseEnv } from "../../src/config/env.js";
import { parseWorkflowConfig } from "../../src/config/load.js";
import { createLogger } from "../../src/log.js";
import { createRuntime } from "../../src/adapter/node/node-composition.js";
import { allEvents } from "../../src/store/tickets.js";
import { signature } from "../../src/adapter/feishu/crypto.js";
import { BOT_OPEN_ID, envelope, groupMention, messageEvent, post, TEST_SECRETS, type Posted } from "../support/feishu-events.js";
import { actionsOf, expectValidCard, responseCard, startFeishuStack, statusOf, textOf, valueFor, type FeishuStack, type Json } from "../support/feishu-stack.js";
import { startTestServer, teamConfig } from "../support/server.js";

let clock = new Date("2025-05-22T01:30:00Z"); // Thu 09:30 Asia/Shanghai
let f: FeishuStack;
beforeAll(async () => {
  f = await startFeishuStack({ now: () => clock });
});
afterAll(() => f.close());

const ZHANG = "ou_handler_zhang";
const LI = "ou_handler_li";
let seq = 0;

/** Time moves on between scenarios, as it does for real (the outbox paces each chat per second). */
const tick = (ms = 60_000) => (clock = new Date(clock.getTime() + ms));

/** A new ticket from an @bot message in a chat of its own; returns it with the message id of its card. */
async function newTicket(text = "@_user_1 客户说系统报错无法登录") {
  tick();
  const source = `om_src_r${++seq}`;
  const res = await f.deliver(groupMention(text, { messageId: source, chatId: `oc_r${seq}` }));
  expect(res.status).toBe(200);
  await f.s.idle();
  const ticket = await f.s.db.ticket.findFirstOrThrow({ where: { messageId: source } });
  const ref = await f.s.db.cardRef.findFirstOrThrow({ where: { ticketId: ticket.id } });
  return { ticket, source, cardId: ref.ref, card: cardsOf(ref.ref).at(-1)! };
}

const cardsOf = (messageId: string) => f.fake.cards().filter((c) => c.messageId === messageId).map((c) => expectValidCard(c.card));
const patchesOf = (messageId: string) => f.fake.cards().filter((c) => c.messageId === messageId && c.method === "PATCH");

/** A raw body with valid signature headers, as a correctly configured sender would post it. */
async function signed(body: string): Promise<Posted> {
  const ts = String(Math.floor(Date.now() / 1000));
  const headers = { "content-type": "application/json", "x-lark-request-timestamp": ts, "x-lark-request-nonce": "n1", "x-lark-signature": await signature(ts, "n1", TEST_SECRETS.encryptKey, body) };
  return { body, headers };
}

/** Counts that must not move when a request is refused. */
async function snapshot() {
  await f.s.idle();
  return { inbound: await f.s.db.inboundEvent.count(), tickets: await f.s.db.ticket.count(), outbox: await f.s.db.outboundMessage.count(), calls: f.fake.calls.length };
}

describe("refused requests: a clear error and nothing stored", () => {
  it("bad signature → 401 SIGNATURE_INVALID", async () => {
    const before = await snapshot();
    const req = await post(groupMention(undefined, { messageId: "om_forged" }));
    const res = await f.send("events", { ...req, headers: { ...req.headers, "x-lark-signature": "0".repeat(64) } });
    expect(res).toEqual({ status: 401, body: { code: "SIGNATURE_INVALID", message: "bad signature" } });
    // A body changed after signing fails the same way.
    const tampered = await f.send("events", { ...req, body: req.body.replace(/.$/, " }") });
    expect(tampered.status).toBe(401);
    expect(await snapshot()).toEqual(before);
  });

  it("bad verification token → 401 TOKEN_INVALID (correctly signed, wrong app)", async () => {
    const before = await snapshot();
    const res = await f.deliver(envelope("im.message.receive_v1", groupMention().event, { token: "someone-elses-token" }));
    expect(res).toEqual({ status: 401, body: { code: "TOKEN_INVALID", message: "verification token mismatch" } });
    expect(await snapshot()).toEqual(before);
  });

  it("stale timestamp → 401 TIMESTAMP_STALE (a replayed request)", async () => {
    const before = await snapshot();
    const res = await f.deliver(groupMention(), { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("TIMESTAMP_STALE");
    expect(await snapshot()).toEqual(before);
  });

  it("malformed JSON, or an envelope that does not decrypt → 400 PAYLOAD_INVALID", async () => {
    const before = await snapshot();
    const broken = await f.send("events", await signed('{"encrypt": '));
    expect(broken).toEqual({ status: 400, body: { code: "PAYLOAD_INVALID", message: "body is not JSON" } });
    const undecryptable = await f.send("cards", await signed(JSON.stringify({ encrypt: Buffer.from("x".repeat(48)).toString("base64") })));
    expect(undecryptable).toEqual({ status: 400, body: { code: "PAYLOAD_INVALID", message: "cannot decrypt body" } });
    expect(await snapshot()).toEqual(before);
  });

  it("unknown event type → 200 {} and ignored", async () => {
    const before = await snapshot();
    const res = await f.deliver(envelope("im.chat.member.bot.added_v1", { chat_id: "oc_new", operator_id: { open_id: "ou_x" } }));
    expect(res).toEqual({ status: 200, body: {} });
    expect(await snapshot()).toEqual(before);
    expect(f.s.logs.some((l) => l.msg === "feishu event ignored" && l.reason === "event type im.chat.member.bot.added_v1")).toBe(true);
  });

  it("group chatter that does not @ the bot is acknowledged and creates nothing", async () => {
    const before = await snapshot();
    const res = await f.deliver(messageEvent({ text: "@_user_1 你看下", mentions: [{ key: "@_user_1", openId: "ou_alice", name: "Alice" }] }));
    expect(res.status).toBe(200);
    await f.s.idle();
    const after = await snapshot();
    expect(after.tickets).toBe(before.tickets);
    expect(after.outbox).toBe(before.outbox);
  });
});

describe("duplicates and races", () => {
  it("the same message delivered 5 times (re-pushes, some with new event ids) → one ticket, one card", async () => {
    tick();
    const event = groupMention("@_user_1 导出报表时报错 500", { messageId: "om_dup", chatId: "oc_dup" });
    const repush = (i: number) => (i < 2 ? event : { ...event, header: { ...event.header, event_id: `ev_repush_${i}` } });
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => f.deliver(repush(i))));
    // Every delivery is acknowledged, so Feishu stops pushing.
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await f.s.idle();
    expect(await f.s.db.ticket.count({ where: { messageId: "om_dup" } })).toBe(1);
    expect(await f.s.db.inboundEvent.findMany({ where: { id: { contains: "om_dup" } }, select: { id: true, status: true } })).toEqual([{ id: "feishu:msg:om_dup", status: "done" }]);
    expect(f.fake.calls.filter((c) => c.path === "/open-apis/im/v1/messages/om_dup/reply" && (c.body as Json).msg_type === "interactive")).toHaveLength(1);
    expect(f.s.logs.filter((l) => l.msg === "duplicate delivery ignored" && l.id === "om_dup")).toHaveLength(4);
  });

  it("a click by someone without permission: warning toast, current card, ticket untouched", async () => {
    const { ticket, cardId, card } = await newTicket();
    const res = await f.click({ operatorId: "ou_passer_by", messageId: cardId, value: valueFor(card, "claim") });
    expect(res.status).toBe(200);
    expect(res.body.toast).toEqual({ type: "warning", content: "你没有权限认领（需要：处理人 / 主管 / 负责人）" });
    const answered = responseCard(res.body);
    expect(statusOf(answered)).toBe("待处理");
    expect(actionsOf(answered)).toContain("claim");
    // A handler may not confirm for the customer either.
    const confirm = await f.click({ operatorId: ZHANG, messageId: cardId, value: { action: "confirm", ticket: ticket.number, v: "1" }, formValue: { score: "5" } });
    expect(confirm.body.toast).toMatchObject({ type: "warning" });
    await f.s.idle();
    expect(await f.s.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({ status: "open", version: 1, handlerId: ticket.handlerId, firstResponseAt: null });
    expect((await allEvents(f.s.db, ticket.id)).map((e) => e.kind)).toEqual(["created"]);
    expect(patchesOf(cardId)).toHaveLength(0);
  });

  it("two simultaneous claims: exactly one wins, the other is told and shown the winner's card", async () => {
    const { ticket, cardId, card } = await newTicket();
    const value = valueFor(card, "claim");
    const [a, b] = await Promise.all([
      f.click({ operatorId: ZHANG, messageId: cardId, value }),
      f.click({ operatorId: LI, messageId: cardId, value }),
    ]);
    const toasts = [a.body.toast, b.body.toast] as Json[];
    expect(toasts.filter((t) => t.type === "success")).toEqual([{ type: "success", content: "认领成功" }]);
    expect(toasts.filter((t) => t.type !== "success")).toEqual([{ type: "warning", content: "工单刚被他人更新，已显示最新状态" }]);
    const winner = toasts[0]!.type === "success" ? "zhang" : "li";
    const winnerName = winner === "zhang" ? "张三" : "李四";
    for (const r of [a, b]) {
      expect(statusOf(responseCard(r.body))).toBe("处理中");
      expect(textOf(responseCard(r.body))).toContain(winnerName);
    }
    await f.s.idle();
    const t = await f.s.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(t).toMatchObject({ status: "in_progress", handlerId: winner, version: 2 });
    expect((await allEvents(f.s.db, ticket.id)).map((e) => e.kind)).toEqual(["created", "claimed"]);
    expect(patchesOf(cardId)).toHaveLength(1);
    expect(textOf(patchesOf(cardId)[0]!.card)).toContain(winnerName);
  });

  it("a click replayed by the platform is answered again but applied once", async () => {
    const { ticket, cardId, card } = await newTicket();
    const spec = { operatorId: ZHANG, messageId: cardId, value: valueFor(card, "claim"), eventId: "ev_click_once" };
    const first = await f.click(spec);
    const again = await f.click(spec);
    expect(first.body.toast).toEqual({ type: "success", content: "认领成功" });
    expect(again.body.toast).toEqual({ type: "info", content: "该操作已处理" });
    expect(statusOf(responseCard(again.body))).toBe("处理中");
    await f.s.idle();
    expect((await f.s.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).version).toBe(2);
  });
});

describe("a slow or failing open platform", () => {
  it("the card callback is answered without waiting for Feishu; the patch follows", async () => {
    const { ticket, cardId, card } = await newTicket();
    const resume = f.fake.pause(); // Feishu answers nothing from here on
    try {
      const res = await f.click({ operatorId: ZHANG, messageId: cardId, value: valueFor(card, "claim") });
      expect(res.status).toBe(200);
      expect(statusOf(responseCard(res.body))).toBe("处理中");
      // Answered while the platform call was still outstanding: the patch is queued, not sent.
      const rows = await f.s.db.outboundMessage.findMany({ where: { ticketId: ticket.id, kind: "update_card" } });
      expect(rows.map((r) => [r.target, r.status])).toEqual([[cardId, "pending"]]);
      expect(patchesOf(cardId)).toHaveLength(0);
      await f.s.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } }).then((t) => expect(t.status).toBe("in_progress"));
    } finally {
      resume();
    }
    await f.s.idle();
    expect(patchesOf(cardId)).toHaveLength(1);
    expect(statusOf(patchesOf(cardId)[0]!.card)).toBe("处理中");
    expect((await f.s.db.outboundMessage.findFirstOrThrow({ where: { ticketId: ticket.id, kind: "update_card" } })).status).toBe("sent");
  });

  it("500s then 429s: the outbox retries later, honours Retry-After, and delivers the latest card", async () => {
    tick();
    f.fake.outage({ status: 500 });
    const source = "om_src_outage";
    expect((await f.deliver(groupMention("@_user_1 客户说系统报错无法登录", { messageId: source, chatId: "oc_outage" }))).status).toBe(200);
    await f.s.idle();
    const ticket = await f.s.db.ticket.findFirstOrThrow({ where: { messageId: source } });
    const cardRow = () => f.s.db.outboundMessage.findFirstOrThrow({ where: { ticketId: ticket.id, kind: "send_card" } });
    expect(await cardRow()).toMatchObject({ status: "pending", attempts: 1, lastError: expect.stringContaining("HTTP 500") });
    expect((await cardRow()).nextAttemptAt.getTime()).toBeGreaterThan(clock.getTime());
    expect(f.fake.calls.filter((c) => c.path === `/open-apis/im/v1/messages/${source}/reply`).length).toBeGreaterThanOrEqual(1);

    // The handler claims by text while the card is still undelivered: the queued card is brought up to date.
    expect((await f.deliver(groupMention(`@_user_1 /claim ${ticket.number}`, { senderId: ZHANG, chatId: "oc_outage", mentions: [{ key: "@_user_1", openId: BOT_OPEN_ID, name: "ChatDesk" }] }))).status).toBe(200);
    await f.s.idle();
    expect(await f.s.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({ status: "in_progress", version: 2 });

    clock = new Date(clock.getTime() + 20 * 60_000);
    await deliverDue(f.s.ctx);
    expect(await cardRow()).toMatchObject({ status: "pending", attempts: 2 });

    f.fake.outage({ status: 429, headers: { "retry-after": "600" } });
    clock = new Date(clock.getTime() + 20 * 60_000);
    await deliverDue(f.s.ctx);
    const limited = await cardRow();
    expect(limited).toMatchObject({ status: "pending", attempts: 3, lastError: expect.stringContaining("HTTP 429") });
    expect(limited.nextAttemptAt.getTime() - clock.getTime()).toBeGreaterThanOrEqual(600_000);

    // Feishu is back, but Retry-After has not passed: nothing is sent yet.
    f.fake.outage(undefined);
    clock = new Date(clock.getTime() + 5 * 60_000);
    await deliverDue(f.s.ctx);
    expect(await cardRow()).toMatchObject({ status: "pending", attempts: 3 });

    clock = new Date(clock.getTime() + 6 * 60_000);
    await deliverDue(f.s.ctx);
    await f.s.idle();
    expect(await cardRow()).toMatchObject({ status: "sent", attempts: 4 });
    const rows = await f.s.db.outboundMessage.findMany({ where: { ticketId: ticket.id } });
    expect(rows.map((r) => r.status)).toEqual(rows.map(() => "sent")); // nothing dead, nothing lost
    const ref = await f.s.db.cardRef.findFirstOrThrow({ where: { ticketId: ticket.id } });
    const delivered = cardsOf(ref.ref);
    expect(delivered).toHaveLength(1);
    expect(statusOf(delivered[0]!)).toBe("处理中");
    expect(valueFor(delivered[0]!, "progress").v).toBe("2");
    // Every attempt of the one card carried the same uuid, so Feishu would drop a repeat of a send it took.
    const attempts = f.fake.calls.filter((c) => c.path === `/open-apis/im/v1/messages/${source}/reply` && (c.body as { msg_type?: string }).msg_type === "interactive");
    expect(attempts.length).toBe(4);
    expect(new Set(attempts.map((c) => (c.body as { uuid?: string }).uuid))).toEqual(new Set([`chatdesk-outbox-${(await cardRow()).id}`]));
  });
});

describe("a crash after the ack", () => {
  const dbFile = (dir: string) => path.join(dir, "chatdesk.db");

  it("an event stored and acknowledged but never processed is processed once after a restart", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chatdesk-crash-"));
    const file = dbFile(dir);
    migrateSqlite(file, readMigrations(MIGRATIONS_DIR));
    const db = createSqliteDb(file);
    // The process as it is at the moment of the crash: the route stores the event and answers 200,
    // and the work it deferred never runs.
    const env = parseEnv({ ...f.env, DATABASE_URL: `file:${file}` });
    const crashed = createRuntime({ env, config: parseWorkflowConfig(teamConfig), db, log: createLogger("silent"), now: () => clock, defer: () => {} });
    const req = async (payload: unknown) => {
      const p = await post(payload);
      return crashed.app.request("/webhooks/feishu/events", { method: "POST", body: p.body, headers: p.headers });
    };
    const first = groupMention("@_user_1 客户说系统报错无法登录", { messageId: "om_crash_1" });
    const second = groupMention("@_user_1 订单同步失败，数据不一致", { messageId: "om_crash_2" });
    expect((await req(first)).status).toBe(200);
    expect((await req(second)).status).toBe(200);
    expect(await db.inboundEvent.count({ where: { status: "pending" } })).toBe(2);
    expect(await db.ticket.count()).toBe(0);
    // The second was taken by a worker that died mid-way: its lease is still running at restart.
    await db.inboundEvent.update({ where: { id: "feishu:msg:om_crash_2" }, data: { lockedUntil: new Date(clock.getTime() + 60_000), attempts: 1 } });
    await db.$disconnect();

    const restarted = await startTestServer({ dir, config: teamConfig, env: f.env, now: () => clock });
    try {
      await restarted.idle(); // start-up recovery sweep
      expect(await restarted.db.ticket.count({ where: { messageId: "om_crash_1" } })).toBe(1);
      expect(await restarted.db.ticket.count({ where: { messageId: "om_crash_2" } })).toBe(0);
      expect(f.fake.calls.filter((c) => c.path === "/open-apis/im/v1/messages/om_crash_1/reply" && (c.body as Json).msg_type === "interactive")).toHaveLength(1);

      clock = new Date(clock.getTime() + 2 * 60_000); // the dead worker's lease expires
      expect(await processPendingInbound(restarted.ctx)).toBe(1);
      await restarted.idle();
      expect(await restarted.db.ticket.count({ where: { messageId: "om_crash_2" } })).toBe(1);
      expect(await restarted.db.inboundEvent.findUniqueOrThrow({ where: { id: "feishu:msg:om_crash_2" } })).toMatchObject({ status: "done", attempts: 2 });

      // Feishu re-pushes what it may think was lost: still one ticket each.
      const res = await fetch(`${restarted.url}/webhooks/feishu/events`, { method: "POST", ...(await post(first)) });
      expect(res.status).toBe(200);
      await restarted.idle();
      expect(await restarted.db.ticket.count()).toBe(2);
    } finally {
      await restarted.close();
    }
  });

  it("a crash between the ticket insert and marking the event done does not create a second ticket", async () => {
    const { ticket, source } = await newTicket();
    const cardsBefore = f.fake.cards().length;
    // As if the process died before finishInbound: the event is still pending.
    await f.s.db.inboundEvent.update({ where: { id: `feishu:msg:${source}` }, data: { status: "pending", processedAt: null, lockedUntil: null } });
    expect(await processPendingInbound(f.s.ctx)).toBeGreaterThanOrEqual(1);
    await f.s.idle();
    expect(await f.s.db.ticket.count({ where: { messageId: source } })).toBe(1);
    expect(await f.s.db.inboundEvent.findUniqueOrThrow({ where: { id: `feishu:msg:${source}` } })).toMatchObject({ status: "done" });
    expect(f.fake.cards().length).toBe(cardsBefore); // the reply card is not sent twice
    expect(ticket.version).toBe(1);
  });
});

describe("a failure part-way through a ticket's creation", () => {
  it("leaves no ticket, number, pool turn or message behind, and the event is processed again into one whole ticket", async () => {
    tick();
    const db = f.s.db;
    const state = async () => ({ days: await db.daySequence.findMany(), pools: await db.poolCursor.findMany(), events: await db.ticketEvent.count(), outbox: await db.outboundMessage.count() });
    const before = await state();
    // The creation's last inserts fail (as a full disk would): the reply card's outbox row.
    await db.$executeRawUnsafe(`CREATE TRIGGER test_outbox_fails BEFORE INSERT ON "OutboundMessage" BEGIN SELECT RAISE(ABORT, 'outbox insert failed'); END`);
    const source = "om_src_atomic";
    try {
      expect((await f.deliver(groupMention("@_user_1 客户说报表导出失败", { messageId: source, chatId: "oc_atomic" }))).status).toBe(200);
      await f.s.idle();
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER test_outbox_fails`);
    }
    expect(await db.ticket.count({ where: { messageId: source } })).toBe(0);
    expect(await state()).toEqual(before); // no number used up, no round-robin turn taken, no timeline row
    expect(await db.inboundEvent.findUniqueOrThrow({ where: { id: `feishu:msg:${source}` } })).toMatchObject({ status: "pending", attempts: 1, lastError: expect.stringContaining("outboundMessage.create") });

    tick(); // past the retry's wait
    expect(await processPendingInbound(f.s.ctx)).toBeGreaterThanOrEqual(1);
    await f.s.idle();
    const t = await db.ticket.findFirstOrThrow({ where: { messageId: source } });
    const day = f.s.ctx.calendar.localDate(clock).replaceAll("-", "");
    const last = before.days.find((d) => d.key.includes(day))?.last ?? 0;
    expect(t.number).toBe(`FB${day}${String(last + 1).padStart(3, "0")}`); // the number the failed try would have had
    expect(await db.inboundEvent.findUniqueOrThrow({ where: { id: `feishu:msg:${source}` } })).toMatchObject({ status: "done", attempts: 2 });
    const replies = f.fake.calls.filter((c) => c.path === `/open-apis/im/v1/messages/${source}/reply` && (c.body as Json).msg_type === "interactive");
    expect(replies).toHaveLength(1);
    const ref = await db.cardRef.findFirstOrThrow({ where: { ticketId: t.id } });
    expect(textOf(cardsOf(ref.ref).at(-1)!)).toContain(t.number);
  });
});

describe("bookkeeping after a send", () => {
  it("a card the platform accepted is not posted again when storing its reference fails", async () => {
    tick();
    const db = f.s.db;
    const source = "om_src_bookkeeping";
    await db.$executeRawUnsafe(`CREATE TRIGGER test_cardref_fails BEFORE INSERT ON "CardRef" BEGIN SELECT RAISE(ABORT, 'cardref insert failed'); END`);
    try {
      expect((await f.deliver(groupMention("@_user_1 客户说审批流卡住了", { messageId: source, chatId: "oc_bookkeeping" }))).status).toBe(200);
      await f.s.idle();
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER test_cardref_fails`);
    }
    const t = await db.ticket.findFirstOrThrow({ where: { messageId: source } });
    tick(30 * 60_000); // past any retry's wait
    await deliverDue(f.s.ctx);
    await f.s.idle();
    const replies = f.fake.calls.filter((c) => c.path === `/open-apis/im/v1/messages/${source}/reply` && (c.body as Json).msg_type === "interactive");
    expect(replies).toHaveLength(1); // the group sees the ticket card once
    expect(await db.outboundMessage.findFirstOrThrow({ where: { ticketId: t.id, kind: "send_card" } })).toMatchObject({ status: "sent", attempts: 1 });
  });
});
