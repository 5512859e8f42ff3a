// DingTalk in Stream mode (DINGTALK_MODE=stream), end to end: the server's real dingtalk-stream client
// connects to the fake gateway, robot messages and card clicks arrive as CALLBACK frames and are
// ACKed on the socket; cards and messages go out through the fake's OpenAPI.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOPIC_CARD, TOPIC_ROBOT } from "../../src/adapter/dingtalk/stream.js";
import { DT, startDingTalkRig, who, type DingTalkRig } from "../support/dingtalk-rig.js";
import { duplicateFiveTimes, noticesFollowTheCard, simultaneousClaims, ticketLife, unauthorisedClick } from "../support/dingtalk-scenarios.js";

let rig: DingTalkRig;
beforeAll(async () => {
  rig = await startDingTalkRig("stream");
});
afterAll(() => rig.close());

const stored = async () => ({ inbound: await rig.server.db.inboundEvent.count(), tickets: await rig.server.db.ticket.count() });

describe("DingTalk Stream mode: the full ticket life", () => {
  it("connects to the gateway with the app credentials and subscribes to robot messages and card callbacks", () => {
    const open = rig.fake.callsTo("/v1.0/gateway/connections/open");
    expect(open).toHaveLength(1);
    expect(open[0]!.body).toMatchObject({ clientId: DT.appKey, clientSecret: DT.appSecret });
    expect(rig.fake.subscriptions).toEqual(
      expect.arrayContaining([
        { type: "CALLBACK", topic: TOPIC_ROBOT },
        { type: "CALLBACK", topic: TOPIC_CARD },
      ]),
    );
    expect(rig.fake.connections).toBe(1);
  });

  it("message @bot → ticket + card; claim, progress, resolve and confirm with rating on the card; closed", () => ticketLife(rig));
  it("a clicker's notice shows only until the card moves on", () => noticesFollowTheCard(rig));
  it("the same message pushed 5 times makes one ticket", () => duplicateFiveTimes(rig));
  it("a click by someone without the role changes nothing", () => unauthorisedClick(rig));
  it("two simultaneous claims: exactly one wins", () => simultaneousClaims(rig));
});

describe("DingTalk Stream mode: bad frames are ACKed and nothing is stored", () => {
  it("a robot frame whose data is not JSON", async () => {
    const before = await stored();
    const ack = await rig.fake.waitForAck(rig.fake.pushStream(TOPIC_ROBOT, '{"msgtype":"text","text":'));
    expect(ack).toMatchObject({ code: 200, message: "OK" });
    expect(JSON.parse(ack.data)).toEqual({ response: null });
    await rig.server.idle();
    expect(await stored()).toEqual(before);
  });

  it("a card frame whose data is not JSON gets an empty card update", async () => {
    const before = await stored();
    const ack = await rig.fake.waitForAck(rig.fake.pushStream(TOPIC_CARD, "{oops"));
    expect(JSON.parse(ack.data)).toEqual({ response: {} });
    await rig.server.idle();
    expect(await stored()).toEqual(before);
  });

  it("a robot frame that is not a message (quota notice) is ACKed and ignored", async () => {
    const before = await stored();
    const quota = { ...rig.message("x", who.reporter), text: undefined, errorCode: 20001, errorMessage: "受调用量超量影响" };
    const ack = await rig.fake.waitForAck(rig.fake.pushStream(TOPIC_ROBOT, quota));
    expect(ack.code).toBe(200);
    await rig.server.idle();
    expect(await stored()).toEqual(before);
  });
});
