// HTTP mode registers PUBLIC_URL/webhooks/dingtalk/cards as the card callback at startup (reference
// E.4); a failed registration is a clear warning, never a crash.
import { afterEach, describe, expect, it } from "vitest";
import { startFakeDingTalk, type FakeDingTalk } from "../fakes/dingtalk-server.js";
import { buttonClick, DT, startDingTalkRig, ticketCardOf, who, type DingTalkRig } from "../support/dingtalk-rig.js";
import { reportIssue } from "../support/dingtalk-scenarios.js";

const PUBLIC_URL = "https://desk.example.com/";
let rig: DingTalkRig | undefined;
let fake: FakeDingTalk | undefined;
afterEach(async () => {
  await rig?.close();
  await fake?.close();
  rig = fake = undefined;
});

const registrations = (f: FakeDingTalk) => f.callsTo("/v1.0/card/callbacks/register");
const logged = (r: DingTalkRig, level: string, msg: RegExp) => r.server.logs.filter((l) => l.level === level && msg.test(String(l.msg)));

describe("card callback registration at startup", () => {
  it("HTTP mode with PUBLIC_URL registers <PUBLIC_URL>/webhooks/dingtalk/cards, and clicks signed with the registered secret are accepted", async () => {
    rig = await startDingTalkRig("http", { env: { PUBLIC_URL } });
    const calls = registrations(rig.fake);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.status).toBe(200);
    expect(calls[0]!.headers["x-acs-dingtalk-access-token"]).toMatch(/^tok-\d+$/);
    expect(calls[0]!.body).toEqual({
      callbackRouteKey: "chatdesk",
      callbackUrl: "https://desk.example.com/webhooks/dingtalk/cards",
      apiSecret: DT.appSecret,
      forceUpdate: true,
    });
    expect(logged(rig, "info", /^dingtalk card callback registered$/)).toHaveLength(1);

    // Cards name the same route key, and a click DingTalk signs with that apiSecret gets through.
    const { ticket } = await reportIssue(rig, "客户反馈：系统报错无法登录");
    const card = await ticketCardOf(rig, ticket.id);
    expect(rig.fake.cards.size).toBeGreaterThan(0);
    expect(rig.fake.callsTo("/v1.0/card/instances/createAndDeliver").at(-1)!.body).toMatchObject({ callbackType: "HTTP", callbackRouteKey: "chatdesk" });
    const reply = await rig.click(buttonClick(card, "claim", who.zhang));
    expect(reply.userPrivateData?.cardParamMap.noticeKind).toBe("success");
  });

  it("a refused registration logs a warning naming the cause; the server runs and robot messages still work", async () => {
    fake = await startFakeDingTalk({ appKey: DT.appKey, appSecret: DT.appSecret });
    fake.failNext(1, { status: 403, body: { code: "Forbidden.AccessDenied.AccessTokenPermissionDenied", message: "没有调用该接口的权限" } }, "/v1.0/card/callbacks");
    rig = await startDingTalkRig("http", { fake, env: { PUBLIC_URL } });
    expect(registrations(fake).map((c) => c.status)).toEqual([403]);
    const warns = logged(rig, "warn", /^dingtalk card callback registration failed/);
    expect(warns).toHaveLength(1);
    expect(warns[0]).toMatchObject({ url: "https://desk.example.com/webhooks/dingtalk/cards" });
    expect(String(warns[0]!.error)).toContain("Forbidden.AccessDenied.AccessTokenPermissionDenied");
    expect((await fetch(`${rig.server.url}/healthz`)).status).toBe(200);
    await reportIssue(rig, "客户反馈：系统报错无法登录");
  });

  it("an unreachable DingTalk at startup is a warning too", async () => {
    fake = await startFakeDingTalk({ appKey: DT.appKey, appSecret: DT.appSecret });
    fake.failNext(1, { status: 503 }, "/v1.0/oauth2/accessToken");
    rig = await startDingTalkRig("http", { fake, env: { PUBLIC_URL } });
    expect(registrations(fake)).toHaveLength(0);
    expect(logged(rig, "warn", /^dingtalk card callback registration failed/)).toHaveLength(1);
  });

  it("HTTP mode without PUBLIC_URL does not register and warns that clicks cannot arrive", async () => {
    rig = await startDingTalkRig("http");
    expect(registrations(rig.fake)).toHaveLength(0);
    expect(logged(rig, "warn", /^dingtalk card callback not registered: PUBLIC_URL is not set/)).toHaveLength(1);
  });

  it("HTTP mode without a card template does not register (there are no interactive cards)", async () => {
    rig = await startDingTalkRig("http", { env: { PUBLIC_URL }, config: { dingtalk: {} } });
    expect(registrations(rig.fake)).toHaveLength(0);
    expect(logged(rig, "warn", /card callback/)).toHaveLength(0);
  });

  it("Stream mode does not register (clicks come over the connection)", async () => {
    rig = await startDingTalkRig("stream", { env: { PUBLIC_URL } });
    expect(registrations(rig.fake)).toHaveLength(0);
    expect(logged(rig, "warn", /card callback/)).toHaveLength(0);
  });
});
