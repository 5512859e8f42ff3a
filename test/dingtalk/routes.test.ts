import { describe, expect, it } from "vitest";
import type { Card } from "../../cards/model.js";
import { dingtalkRoutes } from "../../src/adapter/dingtalk/routes.js";
import { signRobotCallback } from "../../src/adapter/dingtalk/sign.js";
import type { DingTalkSettings } from "../../src/config/env.js";
import type { InboundCardAction, InboundMessage } from "../../src/platform/inbound.js";
import type { CardActionReply, EventSink } from "../../src/platform/sink.js";
import { cardCallback, robotGroupText, robotP2PText, signedCardRequest, signedRobotRequest } from "../support/dingtalk-events.js";

const settings: DingTalkSettings = { clientId: "ding-app-key", clientSecret: "ding-app-secret", robotCode: "ding-robot", apiBase: "http://unused", mode: "http" };
const SECRET = settings.clientSecret;

const card: Card = {
  header: { title: "FB1 登录报错", subtitle: "处理中", color: "blue" },
  blocks: [{ type: "markdown", text: "x" }],
  summary: "FB1",
};

function recordingSink(reply: (ev: InboundCardAction) => Promise<CardActionReply> = async () => ({ toast: { kind: "success", text: "已认领" }, card })) {
  const accepted: InboundMessage[] = [];
  const clicks: InboundCardAction[] = [];
  const sink: EventSink = {
    async accept(ev) {
      accepted.push(ev);
      return { duplicate: false };
    },
    async cardAction(ev) {
      clicks.push(ev);
      return reply(ev);
    },
  };
  return { sink, accepted, clicks };
}

/** The routes with an in-memory signature ledger (the server's is the database: test/dingtalk/replay.test.ts). */
const app = (sink: EventSink) => {
  const seen = new Set<string>();
  return dingtalkRoutes(settings, sink, () => {}, { replay: async (key) => !seen.has(key) && !!seen.add(key), knownMessage: async () => false });
};

describe("POST /robot", () => {
  it("good sign → stored, 200 {msgtype: empty}", async () => {
    const r = recordingSink();
    const res = await app(r.sink).request("/robot", await signedRobotRequest(robotGroupText({ text: "登录报错", conversationId: "cidG==" }), SECRET));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ msgtype: "empty" });
    expect(r.accepted).toHaveLength(1);
    expect(r.accepted[0]).toMatchObject({ chatId: "group:cidG==", text: "登录报错", platform: "dingtalk" });
  });

  it("1:1 messages are accepted too", async () => {
    const r = recordingSink();
    await app(r.sink).request("/robot", await signedRobotRequest(robotP2PText({ senderStaffId: "u9" }), SECRET));
    expect(r.accepted[0]!.chatId).toBe("user:u9");
  });

  it("bad sign → 401, nothing stored", async () => {
    const r = recordingSink();
    const res = await app(r.sink).request("/robot", await signedRobotRequest(robotGroupText(), "another-secret"));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "SIGNATURE_INVALID" });
    expect(r.accepted).toHaveLength(0);
  });

  it("missing headers → 401", async () => {
    const r = recordingSink();
    const res = await app(r.sink).request("/robot", { method: "POST", body: JSON.stringify(robotGroupText()) });
    expect(res.status).toBe(401);
    expect(r.accepted).toHaveLength(0);
  });

  it("stale timestamp (a correctly signed replay from 2 hours ago) → 401", async () => {
    const r = recordingSink();
    const old = String(Date.now() - 2 * 3_600_000);
    const res = await app(r.sink).request("/robot", await signedRobotRequest(robotGroupText(), SECRET, old));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "TIMESTAMP_STALE" });
    expect(r.accepted).toHaveLength(0);
  });

  it("malformed JSON with a good sign → 400", async () => {
    const r = recordingSink();
    const res = await app(r.sink).request("/robot", await signedRobotRequest("{not json", SECRET));
    expect(res.status).toBe(400);
    expect(r.accepted).toHaveLength(0);
  });

  it("unknown payloads are acknowledged and ignored", async () => {
    const r = recordingSink();
    const res = await app(r.sink).request("/robot", await signedRobotRequest({ hello: 1 }, SECRET));
    expect(res.status).toBe(200);
    expect(r.accepted).toHaveLength(0);
  });

  it("header names are case-insensitive", async () => {
    const r = recordingSink();
    const ts = String(Date.now());
    const res = await app(r.sink).request("/robot", {
      method: "POST",
      headers: { Timestamp: ts, Sign: await signRobotCallback(ts, SECRET) },
      body: JSON.stringify(robotGroupText()),
    });
    expect(res.status).toBe(200);
    expect(r.accepted).toHaveLength(1);
  });
});

describe("POST /cards", () => {
  it("verified click → sink.cardAction; reply carries the clicker's card data and notice", async () => {
    const r = recordingSink();
    const body = cardCallback({ outTrackId: "chatdesk-1", userId: "u1", value: { action: "claim", ticket: "FB1" } });
    const res = await app(r.sink).request("/cards", await signedCardRequest(body, SECRET));
    expect(res.status).toBe(200);
    const json = (await res.json()) as any;
    expect(r.clicks).toHaveLength(1);
    expect(r.clicks[0]).toMatchObject({ cardRef: "chatdesk-1", actor: { userId: "u1" }, value: { action: "claim", ticket: "FB1" } });
    expect(json.cardUpdateOptions).toEqual({ updateCardDataByKey: true, updatePrivateDataByKey: true });
    expect(json.cardData.cardParamMap.headerSubtitle).toBe("处理中");
    expect(json.userPrivateData.cardParamMap).toEqual({ notice: "已认领", noticeKind: "success", noticeVersion: "" }); // the sink's card has no version
  });

  it("bad signature → 401 and the sink is not called", async () => {
    const r = recordingSink();
    const res = await app(r.sink).request("/cards", await signedCardRequest(cardCallback({ outTrackId: "t" }), "wrong"));
    expect(res.status).toBe(401);
    expect(r.clicks).toHaveLength(0);
  });

  it("malformed JSON → 400", async () => {
    const r = recordingSink();
    const req = await signedCardRequest({}, SECRET);
    const res = await app(r.sink).request("/cards", { ...req, body: "{oops" });
    expect(res.status).toBe(400);
  });

  it("answers within 2 s even when the sink is slow", async () => {
    const r = recordingSink(() => new Promise((res) => setTimeout(() => res({ toast: { kind: "success", text: "late" } }), 5_000)));
    const started = Date.now();
    const click = cardCallback({ outTrackId: "t", value: { action: "claim", ticket: "FB1", v: "5" } });
    const res = await app(r.sink).request("/cards", await signedCardRequest(click, SECRET));
    expect(Date.now() - started).toBeLessThan(2_000);
    const json = (await res.json()) as any;
    // No card to show: the notice belongs to the version that was clicked, and hides once the ticket moves on.
    expect(json.userPrivateData.cardParamMap).toMatchObject({ noticeKind: "info", noticeVersion: "5" });
    expect(json.cardData).toBeUndefined();
  });

  it("a failing sink still gets a well-formed error notice", async () => {
    const r = recordingSink(async () => {
      throw new Error("db down");
    });
    const res = await app(r.sink).request("/cards", await signedCardRequest(cardCallback({ outTrackId: "t" }), SECRET));
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).userPrivateData.cardParamMap.noticeKind).toBe("error");
  });

  it("clicks without our action value are acknowledged with {}", async () => {
    const r = recordingSink();
    const res = await app(r.sink).request("/cards", await signedCardRequest(cardCallback({ outTrackId: "t", params: {} }), SECRET));
    expect(await res.json()).toEqual({});
    expect(r.clicks).toHaveLength(0);
  });
});
