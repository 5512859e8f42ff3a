// Feishu webhook endpoints (events + card callbacks). Mounted by the server at /webhooks/feishu.
import { Hono, type Context } from "hono";
import type { FeishuSettings } from "../../config/env.js";
import { isChatDeskError } from "../../core/errors.js";
import type { EventSink } from "../../platform/sink.js";
import type { BotOpenId } from "./bot-identity.js";
import { isLegacyCardCallback, verifyFeishuRequest } from "./crypto.js";
import { parseFeishuPayload } from "./parse.js";
import { renderCardActionResponse, renderLegacyCardActionResponse } from "./render-card.js";

export type Log = (obj: Record<string, unknown>) => void;

export interface FeishuRouteOptions {
  /** The bot's open_id, or its cached lookup (bot-identity.ts), for exact @mention detection (see parse.ts). */
  botOpenId?: string | BotOpenId;
}

const isMessageEvent = (p: Record<string, unknown>): boolean =>
  typeof p.header === "object" && p.header !== null && (p.header as Record<string, unknown>).event_type === "im.message.receive_v1";

/** Shown when the sink fails: Feishu treats a non-200 or a slow answer as a client-side error anyway. */
const FAILED_TOAST = { toast: { type: "error", content: "操作失败，请稍后重试 / Action failed, please retry" } };

export function feishuRoutes(settings: FeishuSettings, sink: EventSink, log: Log = () => {}, opts: FeishuRouteOptions = {}): Hono {
  const app = new Hono();

  const handle = async (c: Context, endpoint: "events" | "cards") => {
    // Read once as text: the signature covers the exact bytes received.
    const raw = await c.req.text();
    let payload: Record<string, unknown>;
    try {
      payload = await verifyFeishuRequest({ headers: c.req.raw.headers, rawBody: raw, settings });
    } catch (err) {
      if (!isChatDeskError(err)) throw err;
      const status = err.code === "PAYLOAD_INVALID" ? 400 : 401;
      log({ level: "warn", msg: "feishu webhook rejected", endpoint, code: err.code, reason: err.message });
      return c.json({ code: err.code, message: err.message }, status);
    }

    const botOpenId = typeof opts.botOpenId === "function" ? (isMessageEvent(payload) ? await opts.botOpenId() : undefined) : opts.botOpenId;
    const ev = parseFeishuPayload(payload, { appId: settings.appId, botOpenId });
    switch (ev.kind) {
      case "challenge":
        return c.json({ challenge: ev.challenge });
      case "ignored":
        log({ level: "debug", msg: "feishu event ignored", endpoint, reason: ev.reason });
        return c.json({});
      case "message":
        try {
          await sink.accept(ev);
        } catch (err) {
          // Not stored: a 500 makes Feishu re-push it later (https://open.feishu.cn/document/server-docs/event-subscription-guide/overview).
          log({ level: "error", msg: "feishu message not accepted", messageId: ev.messageId, error: err instanceof Error ? err.message : String(err) });
          return c.json({ message: "event not stored" }, 500);
        }
        return c.json({});
      case "card_action": {
        const legacy = isLegacyCardCallback(payload);
        try {
          const reply = await sink.cardAction(ev);
          return c.json(legacy ? renderLegacyCardActionResponse(reply) : renderCardActionResponse(reply));
        } catch (err) {
          // Callbacks are never re-pushed (https://open.feishu.cn/document/feishu-cards/card-callback-communication); tell the clicker instead of failing the request.
          log({ level: "error", msg: "feishu card action failed", error: err instanceof Error ? err.message : String(err) });
          return c.json(FAILED_TOAST);
        }
      }
    }
  };

  app.post("/events", (c) => handle(c, "events"));
  app.post("/cards", (c) => handle(c, "cards"));
  return app;
}
