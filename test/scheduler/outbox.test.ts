// The outbox worker against failing platforms: 500, 429 (with Retry-After) and a hung request delay
// a reminder but never lose it; a message that keeps failing ends as a dead letter that /healthz and
// the log show; a chat gets no more than its rate and the rest wait their turn, in order.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDingTalkSender } from "../../src/adapter/dingtalk/sender.js";
import { createFeishuSender } from "../../src/adapter/feishu/sender.js";
import { deliverDue, MAX_ATTEMPTS } from "../../src/app/deliver.js";
import { send, textMessage } from "../../src/app/notify.js";
import { dingtalkSettings, feishuSettings, parseEnv } from "../../src/config/env.js";
import { tick } from "../../src/scheduler/tick.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { startFakeDingTalk, type FakeDingTalk } from "../fakes/dingtalk-server.js";
import { startFakeFeishu, type FakeFeishuServer } from "../fakes/feishu-server.js";
import { clock, dingtalkSent, feishuSent, newTicket, NO_DIGESTS, startRig, titleOf, type Clock } from "./support.js";

let feishu: FakeFeishuServer;
let dingtalk: FakeDingTalk;
beforeAll(async () => {
  [feishu, dingtalk] = await Promise.all([startFakeFeishu(), startFakeDingTalk()]);
});
afterAll(async () => {
  await Promise.all([feishu.close(), dingtalk.close()]);
});

let s: TestServer;
let c: Clock;
afterEach(() => s?.close());

/** The real senders, with a short timeout so a hung request fails fast (still generous for a loaded machine). */
function senders() {
  const env = parseEnv({ FEISHU_APP_ID: "cli_sched", FEISHU_APP_SECRET: "sched-secret", FEISHU_DOMAIN: feishu.url, DINGTALK_CLIENT_ID: "ding-app-key", DINGTALK_CLIENT_SECRET: "ding-app-secret", DINGTALK_API_BASE: dingtalk.url });
  return { feishu: createFeishuSender(feishuSettings(env)!, { timeoutMs: 1_500 }), dingtalk: createDingTalkSender(dingtalkSettings(env)!, { timeoutMs: 1_500 }) };
}

const advance = (ms: number) => (c.now = new Date(c.now.getTime() + ms));

async function rows() {
  return s.db.outboundMessage.findMany({ where: { kind: "send_card" }, orderBy: { id: "asc" } });
}

describe("failing platform APIs delay but never lose a reminder", () => {
  it("Feishu: 500, 429 with Retry-After and a timeout, then each reminder is delivered exactly once", async () => {
    c = clock("2025-10-15 10:00");
    s = await startRig({ clock: c, feishu, dingtalk, senders: senders() });
    const t = await newTicket(s, "登录报错", { priority: "high", messageId: "om_src_fail" }); // reminder at 13:00 + 1h = 14:00
    // Warm the token so the faults below hit the message calls.
    await send(s.ctx, [textMessage("feishu", "oc_warm", "warm")]);
    await s.idle();

    c.set("2025-10-15 14:00");
    feishu.failNext(1, { status: 500 });
    feishu.failNext(1, { status: 429, headers: { "retry-after": "7" } });
    feishu.failNext(1, { hangMs: 4_000 });
    const from = feishuSent(feishu).length;
    const summary = await tick(s.ctx, c.now);
    await s.idle();
    expect(summary.reminders).toBe(1);
    let r = await rows();
    expect(r.map((x) => x.status)).toEqual(["pending", "pending", "pending"]);
    expect(r.map((x) => x.attempts)).toEqual([1, 1, 1]);
    expect(r.map((x) => x.lastError ?? "").join("\n")).toMatch(/HTTP 500/);
    expect(r.map((x) => x.lastError ?? "").join("\n")).toMatch(/HTTP 429/);
    expect(r.map((x) => x.lastError ?? "").join("\n")).toMatch(/timeout|ECONNABORTED/i);
    // Retry-After is honoured for the 429; backoff (1–2 s on the first retry) for the others.
    const waits = r.map((x) => x.nextAttemptAt.getTime() - c.now.getTime()).sort((a, b) => a - b);
    expect(waits[0]).toBeGreaterThanOrEqual(1_000);
    expect(waits[1]).toBeLessThanOrEqual(2_000);
    expect(waits[2]).toBeGreaterThanOrEqual(7_000);

    // Not due yet: nothing is sent again at the same instant.
    expect(await deliverDue(s.ctx)).toMatchObject({ sent: 0, retried: 0, dead: 0 });
    advance(2_000);
    expect(await deliverDue(s.ctx)).toMatchObject({ sent: 2 });
    advance(6_000);
    expect(await deliverDue(s.ctx)).toMatchObject({ sent: 1 });
    r = await rows();
    expect(r.map((x) => [x.status, x.attempts])).toEqual([
      ["sent", 2],
      ["sent", 2],
      ["sent", 2],
    ]);
    // Delivered: exactly one accepted copy per recipient.
    const delivered = feishuSent(feishu).slice(from).filter((m) => titleOf(m.card) === `响应提醒 · ${t.number}`);
    expect(delivered.map((m) => m.to).sort()).toEqual(["oc_tech", "reply:om_src_fail", "user:ou_handler_zhang"]);
  });

  it("DingTalk: 500, 429 and a timeout on the robot APIs, then each reminder is delivered exactly once", async () => {
    c = clock("2025-10-15 10:00");
    s = await startRig({ clock: c, feishu, dingtalk, senders: senders() });
    const t = await newTicket(s, "登录报错", { priority: "high", platform: "dingtalk" });
    await send(s.ctx, [textMessage("dingtalk", "group:cid_warm", "warm")]);
    await s.idle();

    c.set("2025-10-15 14:00");
    dingtalk.failNext(1, { status: 500 }, "/v1.0/robot");
    dingtalk.failNext(1, { status: 429, body: { code: "Throttling", message: "限流" } }, "/v1.0/robot");
    dingtalk.failNext(1, { hangMs: 4_000 }, "/v1.0/robot");
    const from = dingtalkSent(dingtalk).length;
    expect((await tick(s.ctx, c.now)).reminders).toBe(1);
    await s.idle();
    expect((await rows()).map((x) => [x.status, x.attempts])).toEqual([
      ["pending", 1],
      ["pending", 1],
      ["pending", 1],
    ]);
    advance(2_000);
    await deliverDue(s.ctx);
    expect((await rows()).map((x) => [x.status, x.attempts])).toEqual([
      ["sent", 2],
      ["sent", 2],
      ["sent", 2],
    ]);
    // The fake records failed calls too: each recipient saw one failed attempt and one delivery, no more.
    const got = dingtalkSent(dingtalk)
      .slice(from)
      .filter((m) => m.msgParam.title?.includes(t.number));
    expect(got.map((m) => m.to).sort()).toEqual(["group:cid_group", "group:cid_group", "group:cid_tech", "group:cid_tech", "user:dt_zhang", "user:dt_zhang"]);
  });
});

describe("dead letters", () => {
  it(`after ${MAX_ATTEMPTS} failed attempts a message is dead: /healthz degraded, an error log line naming it`, async () => {
    c = clock("2025-10-15 10:00");
    s = await startRig({ clock: c, feishu, dingtalk, senders: senders() });
    await send(s.ctx, [textMessage("feishu", "oc_warm2", "warm")]);
    await s.idle();
    feishu.failNext(MAX_ATTEMPTS, { status: 503 });
    await send(s.ctx, [textMessage("feishu", "oc_down", "这条消息发不出去", undefined, undefined, "test:dead:1")]);
    await s.idle();
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      advance(16 * 60_000); // past the longest backoff
      await deliverDue(s.ctx);
    }
    const row = await s.db.outboundMessage.findUniqueOrThrow({ where: { dedupeKey: "test:dead:1" } });
    expect(row).toMatchObject({ status: "dead", attempts: MAX_ATTEMPTS });
    expect(row.lastError).toMatch(/HTTP 503/);
    const health = (await (await fetch(`${s.url}/healthz`)).json()) as { status: string; outbox: { dead: number } };
    expect(health).toMatchObject({ status: "degraded", outbox: { dead: 1 } });
    const line = s.logs.find((l) => l.msg === "outbox message dead-lettered");
    expect(line).toMatchObject({ level: "error", outbox: row.id, platform: "feishu", kind: "send_text", target: "oc_down", dedupeKey: "test:dead:1", attempts: MAX_ATTEMPTS });
    // Every earlier failure was a retry, not a loss.
    expect(s.logs.filter((l) => l.msg === "outbox message will be retried" && l.outbox === row.id)).toHaveLength(MAX_ATTEMPTS - 1);
  });
});

describe("per-chat rate limits", () => {
  it("Feishu: at most 5 messages per second to one chat; the rest wait, in order, without using attempts", async () => {
    c = clock("2025-10-15 10:00");
    s = await startRig({ clock: c, feishu, dingtalk, senders: senders(), config: NO_DIGESTS });
    const texts = Array.from({ length: 7 }, (_, i) => `第 ${i + 1} 条`);
    await send({ ...s.ctx, defer: () => {} }, texts.map((x) => textMessage("feishu", "oc_busy", x)));
    const first = await deliverDue(s.ctx);
    expect(first).toMatchObject({ sent: 5, deferred: 2, retried: 0 });
    const waiting = await s.db.outboundMessage.findMany({ where: { target: "oc_busy", status: "pending" }, orderBy: { id: "asc" } });
    expect(waiting.map((w) => [w.attempts, w.nextAttemptAt.getTime() - c.now.getTime()])).toEqual([
      [0, 1_000],
      [0, 1_000],
    ]);
    expect(await deliverDue(s.ctx)).toMatchObject({ sent: 0 });
    advance(1_000);
    expect(await deliverDue(s.ctx)).toMatchObject({ sent: 2, deferred: 0 });
    const got = feishuSent(feishu).filter((m) => m.to === "oc_busy").map((m) => m.text);
    expect(got).toEqual(texts);
  });

  it("Node: the held-back messages go out when the chat's window ends, not at the next background poll", async () => {
    // Real clock; the poll is an hour away, so only the wake-up at the window's end can deliver the rest.
    s = await startTestServer({ senders: senders(), pollMs: 3_600_000, config: NO_DIGESTS });
    const texts = Array.from({ length: 7 }, (_, i) => `窗口 ${i + 1}`);
    await send(s.ctx, texts.map((x) => textMessage("feishu", "oc_wake", x)));
    const got = () => feishuSent(feishu).filter((m) => m.to === "oc_wake").map((m) => m.text);
    const deadline = Date.now() + 20_000;
    while (got().length < 7 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(got()).toEqual(texts);
    // The fake has the last message as soon as it answers; the row is marked sent just after.
    const sent = () => s.db.outboundMessage.count({ where: { target: "oc_wake", status: "sent" } });
    while ((await sent()) < 7 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await sent()).toBe(7);
  });

  it("DingTalk: the configured rate (3 per minute here) per group", async () => {
    c = clock("2025-10-15 10:00");
    s = await startRig({ clock: c, feishu, dingtalk, senders: senders(), config: { ...NO_DIGESTS, delivery: { dingtalk: { messages: 3, perSeconds: 60 } } } });
    const texts = Array.from({ length: 4 }, (_, i) => `消息 ${i + 1}`);
    await send({ ...s.ctx, defer: () => {} }, texts.map((x) => textMessage("dingtalk", "group:cid_busy", x)));
    expect(await deliverDue(s.ctx)).toMatchObject({ sent: 3, deferred: 1 });
    advance(30_000);
    expect(await deliverDue(s.ctx)).toMatchObject({ sent: 0 });
    advance(30_000);
    expect(await deliverDue(s.ctx)).toMatchObject({ sent: 1 });
    const got = dingtalk.calls.filter((x) => x.path === "/v1.0/robot/groupMessages/send" && x.body?.openConversationId === "cid_busy").map((x) => JSON.parse(x.body.msgParam).content);
    expect(got).toEqual(texts);
  });
});
