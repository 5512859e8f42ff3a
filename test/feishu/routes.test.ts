import { mdMarkup } from "../../cards/safe-text.js";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { Card } from "../../cards/model.js";
import { feishuRoutes } from "../../src/adapter/feishu/routes.js";
import type { FeishuSettings } from "../../src/config/env.js";
import type { InboundCardAction, InboundMessage } from "../../src/platform/inbound.js";
import type { CardActionReply, EventSink } from "../../src/platform/sink.js";
import { checkFeishuCard } from "../support/feishu-card-rules.js";
import {
  APP_ID,
  BOT_OPEN_ID,
  cardActionEvent,
  challengeRequest,
  envelope,
  groupMention,
  legacyCardAction,
  post,
  TEST_SECRETS,
  type Posted,
} from "../support/feishu-events.js";

const replyCard: Card = {
  header: { title: "FB20240521001", color: "green", tags: [{ text: "处理中", color: "blue" }] },
  blocks: [{ type: "markdown", text: mdMarkup("已由 **张三** 认领") }],
  summary: "已认领",
};

function recordingSink(opts: { reply?: CardActionReply; failAccept?: boolean; failAction?: boolean } = {}) {
  const accepted: InboundMessage[] = [];
  const actions: InboundCardAction[] = [];
  const sink: EventSink = {
    async accept(ev) {
      if (opts.failAccept) throw new Error("db down");
      accepted.push(ev);
      return { duplicate: false };
    },
    async cardAction(ev) {
      if (opts.failAction) throw new Error("boom");
      actions.push(ev);
      return opts.reply ?? { toast: { kind: "success", text: "已认领" }, card: replyCard };
    },
  };
  return { sink, accepted, actions };
}

const encrypted: FeishuSettings = {
  appId: APP_ID,
  appSecret: "s",
  encryptKey: TEST_SECRETS.encryptKey,
  verificationToken: TEST_SECRETS.verificationToken,
  domain: "https://open.feishu.cn",
  mode: "webhook",
};
const plainSettings: FeishuSettings = { ...encrypted, encryptKey: undefined };

function mount(settings: FeishuSettings, sink: EventSink, logs: Record<string, unknown>[] = []) {
  const app = new Hono();
  app.route("/webhooks/feishu", feishuRoutes(settings, sink, (o) => logs.push(o), { botOpenId: BOT_OPEN_ID }));
  return app;
}

const send = (app: Hono, path: "events" | "cards", req: Posted) =>
  app.request(`/webhooks/feishu/${path}`, { method: "POST", body: req.body, headers: req.headers });

describe("feishuRoutes", () => {
  it("answers a plain url_verification challenge", async () => {
    const { sink, accepted } = recordingSink();
    const app = mount(plainSettings, sink);
    const res = await send(app, "events", await challengeRequest("plain-1", { secrets: { verificationToken: TEST_SECRETS.verificationToken } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: "plain-1" });
    expect(accepted).toHaveLength(0);
  });

  it("answers an encrypted challenge (no signature headers) on both endpoints", async () => {
    const { sink } = recordingSink();
    const app = mount(encrypted, sink);
    for (const path of ["events", "cards"] as const) {
      const req = await challengeRequest("enc-1");
      expect(req.headers["x-lark-signature"]).toBeUndefined();
      const res = await send(app, path, req);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ challenge: "enc-1" });
    }
  });

  it("rejects a challenge with the wrong token", async () => {
    const { sink } = recordingSink();
    const res = await send(mount(encrypted, sink), "events", await challengeRequest("x", { token: "nope" }));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: "TOKEN_INVALID" });
  });

  it("accepts a signed, encrypted group message once", async () => {
    const { sink, accepted } = recordingSink();
    const app = mount(encrypted, sink);
    const res = await send(app, "events", await post(groupMention(undefined, { messageId: "om_route1" })));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({ dedupeId: "om_route1", mentionedBot: true, text: "客户说系统报错无法登录 @Alice 请看看" });
  });

  it("bad signature → 401 and the sink is not called", async () => {
    const { sink, accepted } = recordingSink();
    const req = await post(groupMention());
    const res = await send(mount(encrypted, sink), "events", { ...req, headers: { ...req.headers, "x-lark-signature": "f".repeat(64) } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: "SIGNATURE_INVALID", message: expect.any(String) });
    expect(accepted).toHaveLength(0);
  });

  it("missing signature headers → 401", async () => {
    const { sink, accepted } = recordingSink();
    const req = await post(groupMention(), { unsigned: true });
    expect((await send(mount(encrypted, sink), "events", req)).status).toBe(401);
    expect(accepted).toHaveLength(0);
  });

  it("bad verification token → 401 (plain and encrypted)", async () => {
    const { sink, accepted } = recordingSink();
    const wrong = { ...groupMention(), header: { ...groupMention().header, token: "wrong-token" } };
    const plain = await post(wrong, { secrets: { verificationToken: TEST_SECRETS.verificationToken } });
    const resPlain = await send(mount(plainSettings, sink), "events", plain);
    expect(resPlain.status).toBe(401);
    expect(await resPlain.json()).toMatchObject({ code: "TOKEN_INVALID" });
    const enc = await post(wrong);
    expect((await send(mount(encrypted, sink), "events", enc)).status).toBe(401);
    expect(accepted).toHaveLength(0);
  });

  it("stale timestamp → 401 TIMESTAMP_STALE", async () => {
    const { sink, accepted } = recordingSink();
    const req = await post(groupMention(), { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    const res = await send(mount(encrypted, sink), "events", req);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: "TIMESTAMP_STALE" });
    expect(accepted).toHaveLength(0);
  });

  it("malformed JSON → 400 PAYLOAD_INVALID", async () => {
    const { sink, accepted } = recordingSink();
    const res = await send(mount(encrypted, sink), "events", { body: "{not json", headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "PAYLOAD_INVALID" });
    expect(accepted).toHaveLength(0);
  });

  it("unknown event type → 200 {} and nothing accepted", async () => {
    const { sink, accepted, actions } = recordingSink();
    const logs: Record<string, unknown>[] = [];
    const req = await post(envelope("im.chat.member.bot.added_v1", { chat_id: "oc_1" }));
    const res = await send(mount(encrypted, sink, logs), "events", req);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(accepted).toHaveLength(0);
    expect(actions).toHaveLength(0);
    expect(logs.some((l) => l.msg === "feishu event ignored")).toBe(true);
  });

  it("sink failure on a message → 500 so Feishu re-pushes", async () => {
    const { sink } = recordingSink({ failAccept: true });
    const logs: Record<string, unknown>[] = [];
    const res = await send(mount(encrypted, sink, logs), "events", await post(groupMention()));
    expect(res.status).toBe(500);
    expect(logs.some((l) => l.msg === "feishu message not accepted" && l.error === "db down")).toBe(true);
  });

  it("card callback on /cards → toast + raw 2.0 card", async () => {
    const { sink, actions } = recordingSink();
    const req = await post(cardActionEvent({ eventId: "ev_card1", value: { action: "claim", ticket: "FB20240521001" } }));
    const res = await send(mount(encrypted, sink), "cards", req);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { toast: unknown; card: { type: string; data: unknown } };
    expect(body.toast).toEqual({ type: "success", content: "已认领" });
    expect(body.card.type).toBe("raw");
    expect(checkFeishuCard(body.card.data)).toEqual([]);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ dedupeId: "ev_card1", actor: { userId: "ou_handler" }, cardRef: "om_card1", chatId: "oc_group1" });
  });

  it("card callback delivered to /events is handled the same way", async () => {
    const { sink, actions } = recordingSink({ reply: { toast: { kind: "warning", text: "已被他人认领" } } });
    const res = await send(mount(encrypted, sink), "events", await post(cardActionEvent()));
    expect(await res.json()).toEqual({ toast: { type: "warning", content: "已被他人认领" } });
    expect(actions).toHaveLength(1);
  });

  it("card callback with a bad signature never reaches the sink", async () => {
    const { sink, actions } = recordingSink();
    const req = await post(cardActionEvent());
    const res = await send(mount(encrypted, sink), "cards", { ...req, headers: { ...req.headers, "x-lark-request-nonce": "tampered" } });
    expect(res.status).toBe(401);
    expect(actions).toHaveLength(0);
  });

  it("a failing card action answers 200 with an error toast", async () => {
    const { sink } = recordingSink({ failAction: true });
    const res = await send(mount(encrypted, sink), "cards", await post(cardActionEvent()));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ toast: { type: "error" } });
  });

  it("legacy v1 card callback: SHA1-verified, card fields at top level", async () => {
    const { sink, actions } = recordingSink();
    const res = await send(mount(encrypted, sink), "cards", await legacyCardAction({ token: "c-legacy1" }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ schema: "2.0", toast: { type: "success", content: "已认领" } });
    expect(actions[0]).toMatchObject({ dedupeId: "c-legacy1" });
    const forged = await legacyCardAction({}, { secrets: { verificationToken: "guess" } });
    expect((await send(mount(encrypted, sink), "cards", forged)).status).toBe(401);
    expect(actions).toHaveLength(1);
  });

  it("plain-token mode accepts a message with the right token", async () => {
    const { sink, accepted } = recordingSink();
    const req = await post(groupMention(), { secrets: { verificationToken: TEST_SECRETS.verificationToken } });
    expect(req.headers["x-lark-signature"]).toBeUndefined();
    expect((await send(mount(plainSettings, sink), "events", req)).status).toBe(200);
    expect(accepted).toHaveLength(1);
  });
});
