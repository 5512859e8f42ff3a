// DingTalk in HTTP mode, end to end: the real server on loopback with SQLite, signed callbacks on
// POST /webhooks/dingtalk/robot and /webhooks/dingtalk/cards, and a fake DingTalk that records the
// token, card and robot-message calls.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardCallback, robotGroupText, signedCardRequest, signedRobotRequest } from "../support/dingtalk-events.js";
import { DT, nextTimestamp, startDingTalkRig, ticketCardOf, buttonClick, who, type DingTalkRig } from "../support/dingtalk-rig.js";
import { testProcessing } from "../support/server.js";
import { duplicateFiveTimes, noticesFollowTheCard, reportIssue, resolveByCommand, simultaneousClaims, ticketLife, unauthorisedClick } from "../support/dingtalk-scenarios.js";

let rig: DingTalkRig;
beforeAll(async () => {
  rig = await startDingTalkRig("http");
  expect(rig.server.processing).toBe(testProcessing());
});
afterAll(() => rig.close());

const post = (path: string, init: RequestInit) => fetch(`${rig.server.url}/webhooks/dingtalk/${path}`, init);
const stored = async () => ({ inbound: await rig.server.db.inboundEvent.count(), tickets: await rig.server.db.ticket.count() });

describe("DingTalk HTTP mode: the full ticket life", () => {
  it("message @bot → ticket + card; claim, progress, resolve and confirm with rating on the card; closed", async () => {
    await ticketLife(rig);
    // Every API call authenticated with a token the fake issued; one token served them all.
    expect(rig.fake.callsTo("/v1.0/oauth2/accessToken")).toHaveLength(1);
  });

  it("resolving by text command still works and moves the card on", () => resolveByCommand(rig));
  it("a clicker's notice shows only until the card moves on", () => noticesFollowTheCard(rig));
  it("the same message delivered 5 times makes one ticket", () => duplicateFiveTimes(rig));
  it("a click by someone without the role changes nothing", () => unauthorisedClick(rig));
  it("two simultaneous claims: exactly one wins", () => simultaneousClaims(rig));
});

describe("DingTalk HTTP mode: bad input is refused and nothing is stored", () => {
  it("robot callback with a bad sign → 401", async () => {
    const before = await stored();
    const res = await post("robot", await signedRobotRequest(rig.message("客户反馈：系统报错", who.reporter), "not-the-app-secret"));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "SIGNATURE_INVALID" });
    expect(await stored()).toEqual(before);
  });

  it("robot callback signed two hours ago (a replay) → 401", async () => {
    const before = await stored();
    const old = String(Date.now() - 2 * 3_600_000);
    const res = await post("robot", await signedRobotRequest(rig.message("客户反馈：系统报错", who.reporter), DT.appSecret, old));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "TIMESTAMP_STALE" });
    expect(await stored()).toEqual(before);
  });

  it("robot callback with malformed JSON → 400", async () => {
    const before = await stored();
    const res = await post("robot", await signedRobotRequest('{"msgtype":"text","text":{"content":"系统报错"', DT.appSecret));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "PAYLOAD_INVALID" });
    expect(await stored()).toEqual(before);
  });

  it("card callbacks with a bad signature, a stale timestamp or malformed JSON change nothing", async () => {
    const { ticket } = await reportIssue(rig, "客户反馈：系统报错，报表无法导出", "cid_bad_clicks==");
    const card = await ticketCardOf(rig, ticket.id);
    const click = buttonClick(card, "claim", who.zhang);
    const before = await stored();

    const badSign = await post("cards", await signedCardRequest(click, "not-the-app-secret", nextTimestamp()));
    expect(badSign.status).toBe(401);
    expect(await badSign.json()).toEqual({ error: "SIGNATURE_INVALID" });

    const stale = await post("cards", await signedCardRequest(click, DT.appSecret, String(Date.now() - 2 * 3_600_000)));
    expect(stale.status).toBe(401);
    expect(await stale.json()).toEqual({ error: "TIMESTAMP_STALE" });

    const malformed = await post("cards", { ...(await signedCardRequest({}, DT.appSecret, nextTimestamp())), body: '{"outTrackId":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: "PAYLOAD_INVALID" });

    const unsigned = await post("cards", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(click) });
    expect(unsigned.status).toBe(401);

    expect(await stored()).toEqual(before);
    expect(await rig.server.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({ status: "open", version: 1 });
    expect(await rig.server.db.ticketEvent.count({ where: { ticketId: ticket.id } })).toBe(1);
  });

  it("a click on a card we never sent is answered and ignored", async () => {
    const before = await stored();
    const res = await post("cards", await signedCardRequest(cardCallback({ outTrackId: "chatdesk-unknown", userId: who.zhang.id, value: { action: "claim", ticket: "FB19990101001" } }), DT.appSecret, nextTimestamp()));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { userPrivateData: { cardParamMap: { noticeKind: string; notice: string } } };
    expect(body.userPrivateData.cardParamMap).toMatchObject({ noticeKind: "warning" });
    expect(body.userPrivateData.cardParamMap.notice).toContain("FB19990101001");
    expect((await stored()).tickets).toBe(before.tickets);
  });

  it("group chatter that does not @ the bot is acknowledged and files nothing", async () => {
    const before = await stored();
    const res = await post("robot", await signedRobotRequest(robotGroupText({ text: "大家好", conversationId: DT.group, isInAtList: false }), DT.appSecret));
    expect(res.status).toBe(200);
    await rig.server.idle();
    expect((await stored()).tickets).toBe(before.tickets);
  });
});
