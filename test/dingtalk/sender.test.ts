import { mdMarkup } from "../../cards/safe-text.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Card } from "../../cards/model.js";
import { renderTemplateData } from "../../src/adapter/dingtalk/render-card.js";
import { createDingTalkSender, registerCardCallback, type DingTalkSenderOptions } from "../../src/adapter/dingtalk/sender.js";
import { createTokenProvider } from "../../src/adapter/dingtalk/token.js";
import type { DingTalkSettings } from "../../src/config/env.js";
import { PlatformError } from "../../src/platform/port.js";
import { startFakeDingTalk, type FakeDingTalk } from "../fakes/dingtalk-server.js";
import { robotMessageViolations } from "../support/dingtalk-card-rules.js";

let fake: FakeDingTalk;
let settings: DingTalkSettings;

beforeAll(async () => {
  fake = await startFakeDingTalk();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.calls.length = 0;
  settings = { clientId: "ding-app-key", clientSecret: "ding-app-secret", robotCode: "ding-robot", apiBase: fake.url, mode: "stream" };
});

const T = "FB20240521001";
const card = (status = "待处理"): Card => ({
  header: { title: `${T} 登录报错`, subtitle: status, color: "orange" },
  blocks: [
    { type: "markdown", text: mdMarkup("**问题描述**\n登录报错") },
    { type: "actions", actions: [{ type: "button", label: "认领", style: "primary", value: { action: "claim", ticket: T } }] },
  ],
  mentions: [{ platform: "dingtalk", userId: "u-lead", name: "主管" }],
  summary: `[${status}] ${T} 登录报错`,
});

const sender = (o: DingTalkSenderOptions = {}) => createDingTalkSender(settings, { cardTemplateId: "tpl-1.schema", timeoutMs: 2_000, ...o });

async function failure(p: Promise<unknown>): Promise<PlatformError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PlatformError);
    return e as PlatformError;
  }
  throw new Error("expected a PlatformError");
}

describe("token", () => {
  it("is fetched once and shared by concurrent and later calls", async () => {
    const s = sender();
    await Promise.all([s.sendCard("group:cidA==", card()), s.sendCard("group:cidB==", card()), s.sendCard("user:u1", card())]);
    await s.sendText("group:cidA==", "hi");
    expect(fake.callsTo("/v1.0/oauth2/accessToken")).toHaveLength(1);
    expect(fake.callsTo("/v1.0/oauth2/accessToken")[0]!.body).toEqual({ appKey: "ding-app-key", appSecret: "ding-app-secret" });
  });

  it("is refreshed shortly before expiry", async () => {
    let now = 1_000_000;
    const tokens = createTokenProvider({ apiBase: fake.url, appKey: "ding-app-key", appSecret: "ding-app-secret", now: () => now });
    const a = await tokens.get();
    now += 7200_000 - 6 * 60_000;
    expect(await tokens.get()).toBe(a);
    now += 2 * 60_000;
    expect(await tokens.get()).not.toBe(a);
  });

  it("bad credentials are not retryable", async () => {
    const tokens = createTokenProvider({ apiBase: fake.url, appKey: "ding-app-key", appSecret: "wrong" });
    const e = await failure(tokens.get());
    expect([e.retryable, e.status]).toEqual([false, 400]);
  });

  it("a rejected token is dropped and the call tried once more", async () => {
    const s = sender();
    await s.sendText("group:cidA==", "warm up");
    fake.failNext(1, { status: 401, body: { code: "InvalidAuthentication", message: "不合法的access_token" } }, "/v1.0/robot");
    await s.sendText("group:cidA==", "again");
    expect(fake.callsTo("/v1.0/oauth2/accessToken")).toHaveLength(2);
    expect(fake.callsTo("/v1.0/robot/groupMessages/send")).toHaveLength(3);
  });
});

describe("interactive cards (template id set)", () => {
  it("createAndDeliver to a group: our outTrackId, template data, @ in the deliver model", async () => {
    const r = await sender().sendCard("group:cidA==", card());
    expect(r.updatable).toBe(true);
    const [call] = fake.callsTo("/v1.0/card/instances/createAndDeliver");
    expect(call!.headers["x-acs-dingtalk-access-token"]).toMatch(/^tok-/);
    expect(call!.body).toMatchObject({
      cardTemplateId: "tpl-1.schema",
      outTrackId: r.ref,
      callbackType: "STREAM",
      userIdType: 1,
      openSpaceId: "dtv1.card//IM_GROUP.cidA==",
      imGroupOpenSpaceModel: { supportForward: false, lastMessageI18n: { ZH_CN: `[待处理] ${T} 登录报错` } },
      imGroupOpenDeliverModel: { robotCode: "ding-robot", atUserIds: { "u-lead": "主管" } },
      cardData: { cardParamMap: renderTemplateData(card()) },
    });
    expect(call!.body.callbackRouteKey).toBeUndefined();
  });

  it("1:1 goes to the IM_ROBOT space; HTTP mode sets callbackType HTTP + route key", async () => {
    settings.mode = "http";
    await sender({ callbackRouteKey: "desk" }).sendCard("user:u1", card());
    expect(fake.callsTo("/v1.0/card/instances/createAndDeliver")[0]!.body).toMatchObject({
      openSpaceId: "dtv1.card//IM_ROBOT.u1",
      imRobotOpenSpaceModel: { supportForward: false },
      imRobotOpenDeliverModel: { spaceType: "IM_ROBOT", robotCode: "ding-robot" },
      callbackType: "HTTP",
      callbackRouteKey: "desk",
    });
  });

  it("outTrackIds are unique per card", async () => {
    const s = sender();
    const a = await s.sendCard("group:cidA==", card());
    const b = await s.sendCard("group:cidA==", card());
    expect(a.ref).not.toBe(b.ref);
  });

  it("updateCard puts the new data by outTrackId", async () => {
    const s = sender();
    const { ref } = await s.sendCard("group:cidA==", card());
    await s.updateCard(ref, card("处理中"));
    const [put] = fake.callsTo("/v1.0/card/instances").filter((c) => c.method === "PUT");
    expect(put!.body).toMatchObject({ outTrackId: ref, cardUpdateOptions: { updateCardDataByKey: true }, cardData: { cardParamMap: renderTemplateData(card("处理中")) } });
    expect(fake.cards.get(ref)!.headerSubtitle).toBe("处理中");
  });

  it("session webhook is not used for cards (it cannot carry interactive cards)", async () => {
    await sender().sendCard("group:cidA==", card(), { sessionWebhook: fake.sessionWebhookUrl(), sessionWebhookExpiresAt: Date.now() + 3_600_000 });
    expect(fake.callsTo("/robot/sendBySession")).toHaveLength(0);
    expect(fake.callsTo("/v1.0/card/instances/createAndDeliver")).toHaveLength(1);
  });

  it("updating an unknown card is a non-retryable failure", async () => {
    const e = await failure(sender().updateCard("chatdesk-nope", card()));
    expect([e.retryable, e.status]).toEqual([false, 400]);
    expect(e.message).toContain("param.cardNotExist");
  });
});

describe("robot messages (no template id)", () => {
  it("group: sampleActionCard/markdown via groupMessages/send; ref keeps the chat and processQueryKey", async () => {
    const s = sender({ cardTemplateId: undefined });
    const r = await s.sendCard("group:cidA==", card());
    expect(r.updatable).toBe(false);
    const [call] = fake.callsTo("/v1.0/robot/groupMessages/send");
    expect(call!.body).toMatchObject({ robotCode: "ding-robot", openConversationId: "cidA==", msgKey: "sampleMarkdown" });
    const param = JSON.parse(call!.body.msgParam);
    expect(robotMessageViolations({ msgKey: call!.body.msgKey, msgParam: param })).toEqual([]);
    expect(param.text).toContain(`/claim ${T}`);
    expect(r.ref).toMatch(/^group:cidA==#pqk-\d+$/);
  });

  it("updateCard posts the new state as a new message in the same chat", async () => {
    const s = sender({ cardTemplateId: undefined });
    const { ref } = await s.sendCard("group:cidA==", card());
    await s.updateCard(ref, card("处理中"));
    const sends = fake.callsTo("/v1.0/robot/groupMessages/send");
    expect(sends).toHaveLength(2);
    expect(sends[1]!.body.openConversationId).toBe("cidA==");
    expect(JSON.parse(sends[1]!.body.msgParam).text).toContain("处理中");
    expect(fake.callsTo("/v1.0/card/instances")).toHaveLength(0);
  });

  it("1:1: oToMessages/batchSend with the user id", async () => {
    await sender({ cardTemplateId: undefined }).sendCard("user:manager1234", card());
    const [call] = fake.callsTo("/v1.0/robot/oToMessages/batchSend");
    expect(call!.body).toMatchObject({ robotCode: "ding-robot", userIds: ["manager1234"], msgKey: "sampleMarkdown" });
  });

  it("sendText uses sampleText", async () => {
    const r = await sender().sendText("group:cidA==", "已收到");
    const [call] = fake.callsTo("/v1.0/robot/groupMessages/send");
    expect(call!.body).toMatchObject({ msgKey: "sampleText", msgParam: JSON.stringify({ content: "已收到" }) });
    expect(r.ref).toContain("group:cidA==#");
  });
});

describe("session webhook", () => {
  it("is used while valid: text with @, no token sent to it", async () => {
    const hook = fake.sessionWebhookUrl();
    await sender().sendText("group:cidA==", "已收到", { sessionWebhook: hook, sessionWebhookExpiresAt: Date.now() + 3_600_000, mentions: ["0147008602"] });
    const [call] = fake.callsTo("/robot/sendBySession");
    expect(call!.body).toEqual({ msgtype: "text", text: { content: "已收到 @0147008602" }, at: { atUserIds: ["0147008602"], isAtAll: false } });
    expect(call!.headers["x-acs-dingtalk-access-token"]).toBeUndefined();
    expect(fake.callsTo("/v1.0/robot/groupMessages/send")).toHaveLength(0);
  });

  it("carries fallback cards as markdown while valid", async () => {
    const hook = fake.sessionWebhookUrl();
    const r = await sender({ cardTemplateId: undefined }).sendCard("group:cidA==", card(), { sessionWebhook: hook, sessionWebhookExpiresAt: Date.now() + 3_600_000 });
    const [call] = fake.callsTo("/robot/sendBySession");
    expect(call!.body).toMatchObject({ msgtype: "markdown", at: { atUserIds: ["u-lead"] } });
    expect(r).toMatchObject({ updatable: false });
    expect(r.ref).toMatch(/^group:cidA==#session-/);
  });

  it("is not used after expiry (or within a minute of it)", async () => {
    const hook = fake.sessionWebhookUrl();
    const s = sender();
    await s.sendText("group:cidA==", "late", { sessionWebhook: hook, sessionWebhookExpiresAt: Date.now() - 1 });
    await s.sendText("group:cidA==", "almost", { sessionWebhook: hook, sessionWebhookExpiresAt: Date.now() + 30_000 });
    expect(fake.callsTo("/robot/sendBySession")).toHaveLength(0);
    expect(fake.callsTo("/v1.0/robot/groupMessages/send")).toHaveLength(2);
  });

  it("is not used when it points outside DingTalk", async () => {
    await sender().sendText("group:cidA==", "x", { sessionWebhook: "https://evil.example/hook", sessionWebhookExpiresAt: Date.now() + 3_600_000 });
    expect(fake.callsTo("/v1.0/robot/groupMessages/send")).toHaveLength(1);
  });

  it("a rejected webhook falls back to the OpenAPI", async () => {
    await sender().sendText("group:cidA==", "x", { sessionWebhook: `${fake.url}/robot/sendBySession`, sessionWebhookExpiresAt: Date.now() + 3_600_000 });
    expect(fake.callsTo("/robot/sendBySession")).toHaveLength(1);
    expect(fake.callsTo("/v1.0/robot/groupMessages/send")).toHaveLength(1);
  });
});

describe("failures → PlatformError", () => {
  it("500 is retryable", async () => {
    const s = sender();
    fake.failNext(1, { status: 500 }, "/v1.0/card");
    const e = await failure(s.sendCard("group:cidA==", card()));
    expect([e.retryable, e.status]).toEqual([true, 500]);
  });

  it("429 is retryable with a back-off hint", async () => {
    fake.failNext(1, { status: 429, body: { code: "Throttling" } }, "/v1.0/robot");
    const e = await failure(sender().sendText("group:cidA==", "x"));
    expect(e.retryable).toBe(true);
    expect(e.retryAfterMs).toBeGreaterThan(0);
  });

  // Codes from https://open.dingtalk.com/document/development/how-to-process-api-throttling-on-the-dingtalk-server and https://open.dingtalk.com/document/development/the-robot-sends-a-group-message
  it("QPS-limit and send.too.fast errors are retryable", async () => {
    fake.failNext(1, { status: 403, body: { code: "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi" } }, "/v1.0/robot");
    const qps = await failure(sender().sendText("group:cidA==", "x"));
    expect([qps.retryable, qps.retryAfterMs]).toEqual([true, 1_000]);
    fake.failNext(1, { status: 400, body: { code: "send.too.fast" } }, "/v1.0/robot");
    const fast = await failure(sender().sendText("group:cidA==", "x"));
    expect([fast.retryable, fast.retryAfterMs]).toEqual([true, 60_000]);
  });

  it("a hung request times out as retryable", async () => {
    fake.failNext(1, { hangMs: 3_000 }, "/v1.0/card");
    const started = Date.now();
    const e = await failure(sender({ timeoutMs: 200 }).sendCard("group:cidA==", card()));
    expect(e.retryable).toBe(true);
    expect(e.message).toContain("timed out");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("400 is not retryable", async () => {
    fake.failNext(1, { status: 400, body: { code: "invalid.openConversationId", message: "群不存在" } }, "/v1.0/robot");
    const e = await failure(sender().sendText("group:cidA==", "x"));
    expect([e.retryable, e.status]).toEqual([false, 400]);
    expect(e.message).toContain("invalid.openConversationId");
  });

  it("network errors are retryable", async () => {
    const dead = createDingTalkSender({ ...settings, apiBase: "http://127.0.0.1:1" }, { cardTemplateId: "t", timeoutMs: 1_000 });
    const e = await failure(dead.sendCard("group:cidA==", card()));
    expect(e.retryable).toBe(true);
  });

  it("a malformed chat id is not retryable", async () => {
    const e = await failure(sender().sendText("cidA==", "x"));
    expect(e.retryable).toBe(false);
  });
});

describe("per-chat rate limit", () => {
  it("refuses past the limit with retryAfterMs and no call; other chats unaffected", async () => {
    let now = 5_000_000;
    const s = sender({ perChatPerMinute: 2, now: () => now });
    await s.sendText("group:cidA==", "1");
    await s.sendText("group:cidA==", "2");
    const sent = fake.callsTo("/v1.0/robot/groupMessages/send").length;
    const e = await failure(s.sendText("group:cidA==", "3"));
    expect(e.retryable).toBe(true);
    expect(e.retryAfterMs).toBe(60_000);
    expect(fake.callsTo("/v1.0/robot/groupMessages/send")).toHaveLength(sent);
    await s.sendText("group:cidB==", "other chat");
    now += 60_001;
    await s.sendText("group:cidA==", "later");
  });
});

describe("registerCardCallback", () => {
  it("registers our URL with the app secret as apiSecret", async () => {
    await registerCardCallback(settings, "https://desk.example.com/webhooks/dingtalk/cards");
    const [call] = fake.callsTo("/v1.0/card/callbacks/register");
    expect(call!.body).toEqual({ callbackRouteKey: "chatdesk", callbackUrl: "https://desk.example.com/webhooks/dingtalk/cards", apiSecret: "ding-app-secret", forceUpdate: true });
  });
});
