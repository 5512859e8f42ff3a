import { mdMarkup } from "../../cards/safe-text.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Card } from "../../cards/model.js";
import { createFeishuFetchSender } from "../../src/adapter/feishu/fetch-sender.js";
import { createFeishuSender, retryAfterMs, toPlatformError } from "../../src/adapter/feishu/sender.js";
import type { FeishuSettings } from "../../src/config/env.js";
import { PlatformError, type ChatSender } from "../../src/platform/port.js";
import { checkFeishuCard } from "../support/feishu-card-rules.js";
import { startFakeFeishu, type FakeFeishuServer } from "../fakes/feishu-server.js";

const card: Card = {
  header: { title: "FB20240521001 登录失败", color: "orange" },
  blocks: [
    { type: "markdown", text: mdMarkup("客户反馈无法登录") },
    { type: "actions", actions: [{ type: "button", label: "认领", style: "primary", value: { action: "claim", ticket: "FB20240521001" } }] },
  ],
  mentions: [{ platform: "feishu", userId: "ou_handler" }],
  summary: "新工单",
};

let fake: FakeFeishuServer;
let sender: ChatSender;
let settings: FeishuSettings;

beforeEach(async () => {
  fake = await startFakeFeishu();
  settings = { appId: "cli_a1b2c3d4e5f60718", appSecret: "secret", domain: fake.url, mode: "webhook" };
  sender = createFeishuSender(settings, { timeoutMs: 500 });
});
afterEach(async () => {
  await fake.close();
});

async function platformError(p: Promise<unknown>): Promise<PlatformError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PlatformError);
    return e as PlatformError;
  }
  throw new Error("expected a PlatformError");
}

const messageCalls = () => fake.calls.filter((c) => c.path.startsWith("/open-apis/im/"));

describe("createFeishuSender against a fake Feishu", () => {
  it("fetches the tenant token once and reuses it", async () => {
    await sender.sendCard("oc_1", card);
    await sender.sendText("oc_1", "hi");
    await sender.updateCard("om_fake1", card);
    expect(fake.tokenRequests()).toBe(1);
    const tokenCall = fake.calls[0]!;
    expect(tokenCall.body).toEqual({ app_id: settings.appId, app_secret: "secret" });
    for (const c of messageCalls()) expect(c.headers.authorization).toBe("Bearer t-fake-tenant-token");
  });

  it("concurrent sends with no token cached share one token request (the SDK alone would make one each)", async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => sender.sendText(`oc_burst${i}`, "hi")));
    expect(fake.tokenRequests()).toBe(1);
    expect(messageCalls()).toHaveLength(10);
    for (const c of messageCalls()) expect(c.headers.authorization).toBe("Bearer t-fake-tenant-token");
    const worker = createFeishuFetchSender(settings, { timeoutMs: 500 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => worker.sendText(`oc_burst${i}`, "hi")));
    expect(fake.tokenRequests()).toBe(2);
  });

  it("passes the outbox's idempotency key as Feishu's uuid on create and reply, and nothing without one", async () => {
    await sender.sendCard("oc_group1", card, { idempotencyKey: "chatdesk-outbox-41" });
    await sender.sendText("oc_group1", "hi", { replyTo: "om_src", idempotencyKey: "chatdesk-outbox-42" });
    await sender.sendText("oc_group1", "no key");
    expect(messageCalls().map((c) => (c.body as { uuid?: string }).uuid)).toEqual(["chatdesk-outbox-41", "chatdesk-outbox-42", undefined]);
  });

  it("sendCard → POST /im/v1/messages with a stringified 2.0 card", async () => {
    const res = await sender.sendCard("oc_group1", card, { mentions: ["ou_lead"] });
    expect(res).toEqual({ ref: "om_fake1", updatable: true });
    const [call] = messageCalls();
    expect(call).toMatchObject({ method: "POST", path: "/open-apis/im/v1/messages", query: { receive_id_type: "chat_id" } });
    expect(call!.body).toMatchObject({ receive_id: "oc_group1", msg_type: "interactive" });
    expect(typeof (call!.body as { content: unknown }).content).toBe("string");
    const sent = fake.cards()[0]!.card;
    expect(checkFeishuCard(sent)).toEqual([]);
    expect(JSON.stringify(sent)).toContain("<at id=ou_handler></at> <at id=ou_lead></at>");
  });

  it("sendCard with replyTo → POST /im/v1/messages/:id/reply", async () => {
    const res = await sender.sendCard("oc_group1", card, { replyTo: "om_src" });
    expect(res.ref).toBe("om_fake1");
    const [call] = messageCalls();
    expect(call).toMatchObject({ method: "POST", path: "/open-apis/im/v1/messages/om_src/reply" });
    expect(call!.body).toMatchObject({ msg_type: "interactive" });
    expect(checkFeishuCard(call!.content)).toEqual([]);
  });

  it("updateCard → PATCH /im/v1/messages/:id with the card content", async () => {
    await sender.updateCard("om_card9", { ...card, header: { ...card.header, title: "已认领" } });
    const [call] = messageCalls();
    expect(call).toMatchObject({ method: "PATCH", path: "/open-apis/im/v1/messages/om_card9" });
    expect(Object.keys(call!.body as object)).toEqual(["content"]);
    expect((call!.content as { header: { title: { content: string } } }).header.title.content).toBe("已认领");
    expect(fake.cards()).toHaveLength(1);
  });

  it("sendText with @mentions → text message with <at user_id>", async () => {
    const res = await sender.sendText("oc_group1", "请尽快处理", { mentions: ["ou_a", "ou_b"] });
    expect(res.ref).toBe("om_fake1");
    const [call] = messageCalls();
    expect(call!.body).toMatchObject({ receive_id: "oc_group1", msg_type: "text" });
    expect(call!.content).toEqual({ text: '<at user_id="ou_a"></at> <at user_id="ou_b"></at> 请尽快处理' });
  });

  it("urgent → PATCH /im/v1/messages/:id/urgent_app with open_ids", async () => {
    await sender.urgent!("om_card1", ["ou_a"]);
    const [call] = messageCalls();
    expect(call).toMatchObject({ method: "PATCH", path: "/open-apis/im/v1/messages/om_card1/urgent_app", query: { user_id_type: "open_id" } });
    expect(call!.body).toEqual({ user_id_list: ["ou_a"] });
  });

  it("HTTP 500 → retryable PlatformError", async () => {
    await sender.sendText("oc_1", "warm the token");
    fake.failNext(1, { status: 500 });
    const err = await platformError(sender.sendCard("oc_1", card));
    expect(err).toMatchObject({ retryable: true, status: 500 });
  });

  it("HTTP 429 → retryable, honouring x-ogw-ratelimit-reset", async () => {
    await sender.sendText("oc_1", "warm");
    fake.failNext(1, { status: 429, headers: { "x-ogw-ratelimit-limit": "50", "x-ogw-ratelimit-reset": "3" } });
    const err = await platformError(sender.sendText("oc_1", "x"));
    expect(err).toMatchObject({ retryable: true, status: 429, retryAfterMs: 3000 });
  });

  it("HTTP 400 business error → not retryable, with the Feishu code in the message", async () => {
    await sender.sendText("oc_1", "warm");
    fake.failNext(1, { status: 400, body: { code: 230002, msg: "Bot/User can NOT be out of the chat." } });
    const err = await platformError(sender.sendCard("oc_1", card));
    expect(err).toMatchObject({ retryable: false, status: 400 });
    expect(err.message).toContain("230002");
  });

  it("HTTP 400 with a rate-limit code (230020) → retryable", async () => {
    await sender.sendText("oc_1", "warm");
    fake.failNext(1, { status: 400, body: { code: 230020, msg: "This operation triggers the frequency limit." } });
    expect(await platformError(sender.updateCard("om_1", card))).toMatchObject({ retryable: true });
  });

  it("HTTP 200 with code≠0 → not retryable", async () => {
    await sender.sendText("oc_1", "warm");
    fake.failNext(1, { status: 200, body: { code: 230099, msg: "Failed to create card content" } });
    const err = await platformError(sender.updateCard("om_1", card));
    expect(err).toMatchObject({ retryable: false });
    expect(err.message).toContain("230099");
  });

  it("token endpoint refusing the credentials → not retryable", async () => {
    fake.failNext(1, { status: 200, body: { code: 10014, msg: "app secret invalid" } });
    const err = await platformError(sender.sendText("oc_1", "x"));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("tenant_access_token");
  });

  it("a hung request times out → retryable", async () => {
    await sender.sendText("oc_1", "warm");
    fake.failNext(1, { hangMs: 5_000 });
    const started = Date.now();
    const err = await platformError(sender.sendCard("oc_1", card));
    expect(err.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("network failure → retryable", async () => {
    await fake.close();
    const err = await platformError(sender.sendText("oc_1", "x"));
    expect(err.retryable).toBe(true);
    fake = await startFakeFeishu(); // for afterEach
  });
});

describe("error mapping helpers", () => {
  it("retryAfterMs reads retry-after seconds and dates", () => {
    expect(retryAfterMs({ "retry-after": "2" })).toBe(2000);
    expect(retryAfterMs({ "retry-after": new Date(10_000).toUTCString() }, 4_000)).toBe(6_000);
    expect(retryAfterMs({})).toBeUndefined();
  });

  it("maps permission errors to non-retryable", () => {
    const e = toPlatformError({ response: { status: 403, data: { code: 99991672, msg: "Access denied" }, headers: {} } }, "send");
    expect(e).toMatchObject({ retryable: false, status: 403 });
  });
});
