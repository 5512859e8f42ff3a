// Long-connection receiver (https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/request-url-configuration-case). Node-only: the SDK's WSClient needs `ws`; never import from the Worker.
import * as lark from "@larksuiteoapi/node-sdk";
import type { FeishuSettings } from "../../config/env.js";
import type { EventSink } from "../../platform/sink.js";
import type { BotOpenId } from "./bot-identity.js";
import { envelopeFromSdkEvent, parseFeishuPayload } from "./parse.js";
import { renderCardActionResponse } from "./render-card.js";

export type Log = (obj: Record<string, unknown>) => void;

export interface FeishuWsOptions {
  /** The bot's open_id, or its cached lookup (bot-identity.ts). */
  botOpenId?: string | BotOpenId;
  /** Test hook: skip the real WSClient and only build the dispatcher. */
  wsClientFactory?: (params: ConstructorParameters<typeof lark.WSClient>[0]) => Pick<lark.WSClient, "start" | "close">;
}

type Handler = (data: Record<string, unknown>) => Promise<unknown>;

/** Handlers for the SDK EventDispatcher, exported so tests can drive them without a socket. */
export function feishuWsHandlers(settings: FeishuSettings, sink: EventSink, log: Log, opts: FeishuWsOptions = {}): Record<string, Handler> {
  const botOpenId = async () => (typeof opts.botOpenId === "function" ? opts.botOpenId() : opts.botOpenId);
  return {
    "im.message.receive_v1": async (data) => {
      const ev = parseFeishuPayload(envelopeFromSdkEvent("im.message.receive_v1", data), { appId: settings.appId, botOpenId: await botOpenId() });
      if (ev.kind !== "message") {
        log({ level: "debug", msg: "feishu ws event ignored", reason: ev.kind === "ignored" ? ev.reason : ev.kind });
        return undefined;
      }
      // Throwing makes the SDK answer 500 so Feishu re-pushes; accept() is idempotent on message_id.
      await sink.accept(ev);
      return undefined;
    },
    // A staff member's reaction that turns a message into a ticket (docs/intake.md).
    "im.message.reaction.created_v1": async (data) => {
      const ev = parseFeishuPayload(envelopeFromSdkEvent("im.message.reaction.created_v1", data));
      if (ev.kind === "message") await sink.accept(ev);
      return undefined;
    },
    "card.action.trigger": async (data) => {
      const ev = parseFeishuPayload(envelopeFromSdkEvent("card.action.trigger", data), { appId: settings.appId });
      if (ev.kind !== "card_action") {
        log({ level: "debug", msg: "feishu ws card action ignored", reason: ev.kind === "ignored" ? ev.reason : ev.kind });
        return {};
      }
      try {
        // WSClient base64-encodes this return value into the ACK frame (https://github.com/larksuite/node-sdk).
        return renderCardActionResponse(await sink.cardAction(ev));
      } catch (err) {
        log({ level: "error", msg: "feishu card action failed", error: err instanceof Error ? err.message : String(err) });
        return { toast: { type: "error", content: "操作失败，请稍后重试 / Action failed, please retry" } };
      }
    },
  };
}

function sdkLogger(log: Log): lark.Logger {
  const to = (level: string) => (...msg: unknown[]) => log({ level, source: "feishu-ws", msg: msg.map((m) => (m instanceof Error ? m.message : typeof m === "string" ? m : JSON.stringify(m))).join(" ") });
  return { error: to("error"), warn: to("warn"), info: to("info"), debug: () => {}, trace: () => {} };
}

/** Connects and dispatches; returns a function that closes the connection. */
export function startFeishuWs(settings: FeishuSettings, sink: EventSink, log: Log = () => {}, opts: FeishuWsOptions = {}): () => void {
  const logger = sdkLogger(log);
  // No signature/decryption needed on the socket: the SDK invokes with needCheck:false.
  const dispatcher = new lark.EventDispatcher({ encryptKey: settings.encryptKey, logger, loggerLevel: lark.LoggerLevel.info });
  // IHandles has no 'card.action.trigger' key; the generic widens it (https://github.com/larksuite/node-sdk).
  dispatcher.register<Record<string, Handler>>(feishuWsHandlers(settings, sink, log, opts));

  const params = {
    appId: settings.appId,
    appSecret: settings.appSecret,
    domain: settings.domain,
    logger,
    loggerLevel: lark.LoggerLevel.info,
    autoReconnect: true,
    onReady: () => log({ level: "info", msg: "feishu ws connected" }),
    onError: (err: Error) => log({ level: "error", msg: "feishu ws failed", error: err.message }),
    onReconnecting: () => log({ level: "warn", msg: "feishu ws reconnecting" }),
    onReconnected: () => log({ level: "info", msg: "feishu ws reconnected" }),
  };
  const client = opts.wsClientFactory ? opts.wsClientFactory(params) : new lark.WSClient(params);
  void client.start({ eventDispatcher: dispatcher }).catch((err: unknown) => log({ level: "error", msg: "feishu ws start failed", error: String(err) }));
  return () => client.close({ force: true });
}
