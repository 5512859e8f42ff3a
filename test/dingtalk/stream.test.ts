import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Card } from "../../cards/model.js";
import { startDingTalkStream, TOPIC_CARD, TOPIC_ROBOT, type StopStream } from "../../src/adapter/dingtalk/stream.js";
import type { DingTalkSettings } from "../../src/config/env.js";
import type { InboundCardAction, InboundMessage } from "../../src/platform/inbound.js";
import type { EventSink } from "../../src/platform/sink.js";
import { startFakeDingTalk, type FakeDingTalk } from "../fakes/dingtalk-server.js";
import { cardCallback, robotGroupText } from "../support/dingtalk-events.js";

let fake: FakeDingTalk;
let stops: StopStream[] = [];

beforeAll(async () => {
  fake = await startFakeDingTalk();
});
afterEach(async () => {
  await Promise.all(stops.map((s) => s()));
  stops = [];
});
afterAll(() => fake.close());

const settings = (): DingTalkSettings => ({
  clientId: "ding-app-key",
  clientSecret: "ding-app-secret",
  robotCode: "ding-robot",
  apiBase: fake.url,
  mode: "stream",
  streamGateway: `${fake.url}/v1.0/gateway/connections/open`,
});

const card: Card = { header: { title: "FB1", subtitle: "处理中", color: "blue" }, blocks: [], summary: "FB1" };

function recordingSink(opts: { failAccept?: boolean } = {}) {
  const accepted: InboundMessage[] = [];
  const clicks: InboundCardAction[] = [];
  const sink: EventSink = {
    async accept(ev) {
      if (opts.failAccept) throw new Error("db down");
      accepted.push(ev);
      return { duplicate: false };
    },
    async cardAction(ev) {
      clicks.push(ev);
      return { toast: { kind: "success", text: "已认领" }, card };
    },
  };
  return { sink, accepted, clicks };
}

async function start(sink: EventSink, s: DingTalkSettings = settings()) {
  const before = fake.connections;
  const stop = await startDingTalkStream(s, sink, () => {}, { backoff: { initialMs: 50, maxMs: 200 } });
  stops.push(stop);
  await fake.waitForConnections(before + 1);
  return stop;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("DingTalk Stream client against the fake gateway", () => {
  it("subscribes to the robot and card topics", async () => {
    await start(recordingSink().sink);
    expect(fake.subscriptions).toEqual(
      expect.arrayContaining([
        { type: "CALLBACK", topic: TOPIC_ROBOT },
        { type: "CALLBACK", topic: TOPIC_CARD },
      ]),
    );
  });

  it("robot message → sink.accept, then ACKed with the pushed messageId", async () => {
    const r = recordingSink();
    await start(r.sink);
    const id = fake.pushStream(TOPIC_ROBOT, robotGroupText({ text: "登录报错", conversationId: "cidS==", msgId: "msgS1==" }));
    const ack = await fake.waitForAck(id);
    expect(ack).toMatchObject({ code: 200, message: "OK", headers: { messageId: id } });
    expect(JSON.parse(ack.data)).toEqual({ response: null });
    expect(r.accepted).toHaveLength(1);
    expect(r.accepted[0]).toMatchObject({ dedupeId: "msgS1==", chatId: "group:cidS==", text: "登录报错" });
  });

  it("card callback → sink.cardAction; the ACK carries the clicker's card update", async () => {
    const r = recordingSink();
    await start(r.sink);
    const id = fake.pushStream(TOPIC_CARD, cardCallback({ outTrackId: "chatdesk-9", userId: "u1", value: { action: "claim", ticket: "FB1" } }));
    const ack = await fake.waitForAck(id);
    expect(r.clicks[0]).toMatchObject({ cardRef: "chatdesk-9", actor: { userId: "u1" }, value: { action: "claim", ticket: "FB1" }, dedupeId: `chatdesk-9:u1:${id}` });
    const { response } = JSON.parse(ack.data);
    expect(response.cardData.cardParamMap.headerSubtitle).toBe("处理中");
    expect(response.userPrivateData.cardParamMap).toEqual({ notice: "已认领", noticeKind: "success", noticeVersion: "" }); // the sink's card has no version
  });

  it("a message that cannot be stored is left un-ACKed (DingTalk may push it again)", async () => {
    await start(recordingSink({ failAccept: true }).sink);
    const id = fake.pushStream(TOPIC_ROBOT, robotGroupText());
    await sleep(300);
    expect(fake.acks.some((a) => a.headers?.messageId === id)).toBe(false);
  });

  it("unknown robot payloads are ACKed and ignored", async () => {
    const r = recordingSink();
    await start(r.sink);
    const id = fake.pushStream(TOPIC_ROBOT, { nothing: "here" });
    await fake.waitForAck(id);
    expect(r.accepted).toHaveLength(0);
  });

  it("answers the gateway's ping", async () => {
    await start(recordingSink().sink);
    const id = fake.pushSystem("ping", { opaque: "abc" });
    const ack = await fake.waitForAck(id);
    expect(JSON.parse(ack.data)).toEqual({ opaque: "abc" });
  });

  it("reconnects with a fresh ticket after the gateway drops the socket", async () => {
    const r = recordingSink();
    await start(r.sink);
    const before = fake.connections;
    const opens = fake.callsTo("/v1.0/gateway/connections/open").length;
    fake.dropConnections();
    await fake.waitForConnections(before + 1);
    expect(fake.callsTo("/v1.0/gateway/connections/open").length).toBeGreaterThan(opens);
    const id = fake.pushStream(TOPIC_ROBOT, robotGroupText({ msgId: "after-reconnect" }));
    await fake.waitForAck(id);
    expect(r.accepted.map((e) => e.dedupeId)).toContain("after-reconnect");
  });

  it("keeps retrying while the gateway fails, then connects", async () => {
    const before = fake.connections;
    fake.failNext(2, { status: 503 }, "/v1.0/gateway");
    await start(recordingSink().sink);
    expect(fake.connections).toBe(before + 1);
    expect(fake.callsTo("/v1.0/gateway/connections/open").length).toBeGreaterThanOrEqual(3);
  });

  it("accepts a gateway base URL as streamGateway", async () => {
    await start(recordingSink().sink, { ...settings(), streamGateway: fake.url });
  });

  it("does not reconnect after stop", async () => {
    const stop = await start(recordingSink().sink);
    await stop();
    const count = fake.connections;
    await sleep(400);
    expect(fake.connections).toBe(count);
  });

  it("rejects bad credentials up front instead of retrying forever", async () => {
    await expect(startDingTalkStream({ ...settings(), clientSecret: "wrong" }, recordingSink().sink)).rejects.toMatchObject({ code: "CONFIG_INVALID" });
  });
});
