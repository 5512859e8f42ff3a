// Stream mode (https://open-dingtalk.github.io/developerpedia/docs/learn/stream/protocol) with dingtalk-stream 2.1.5. Node-only: the Worker bundle never imports
// this file. What we change in the SDK, and why (https://github.com/open-dingtalk/dingtalk-stream-sdk-nodejs):
//  - getEndpoint uses fetch against settings.streamGateway (or {apiBase}/v1.0/gateway/connections/open),
//    because the SDK hard-codes api.dingtalk.com and tests need a local gateway;
//  - autoReconnect is off and we reconnect ourselves with exponential backoff + jitter: 2.1.5 retries
//    every 1 s and double-schedules on handshake errors (a 2^n storm);
//  - the keepAlive heartbeat timer is cleared on every close (2.1.5 leaks one per reconnect).
// That means subclassing through private fields (SdkInternals below), so package.json pins dingtalk-stream
// to exactly 2.1.5; test/dingtalk/stream.test.ts and life-stream.test.ts exercise every one of them. Before
// moving the pin, re-read dist/client.mjs of the new version. The SDK offers no supported hook for any of
// the three (no gateway URL option, no backoff option); asking upstream for them is the lasting fix.
import { DWClient, type DWClientDownStream } from "dingtalk-stream";
import type { DingTalkSettings } from "../../config/env.js";
import { ChatDeskError } from "../../core/errors.js";
import { PlatformError } from "../../platform/port.js";
import type { EventSink } from "../../platform/sink.js";
import { parseCardCallback, parseRobotMessage } from "./parse.js";
import { renderCallbackResponse } from "./render-card.js";
import { CARD_REPLY_BUDGET_MS, cardReplyWithin, errText, type Log } from "./routes.js";
import { appTokens, createTokenProvider, type TokenProvider } from "./token.js";

export const TOPIC_ROBOT = "/v1.0/im/bot/messages/get";
export const TOPIC_CARD = "/v1.0/card/instances/callback";

export interface StreamOptions {
  /** Shared with the sender; used to check the credentials before connecting. */
  tokens?: TokenProvider;
  fetch?: typeof fetch;
  backoff?: { initialMs?: number; maxMs?: number };
  /** WebSocket ping every 8 s, terminate on a missing pong (SDK keepAlive). */
  keepAlive?: boolean;
  handshakeTimeoutMs?: number;
}

export type StopStream = () => Promise<void>;

/** The SDK's private socket/timer fields we need; names as in dingtalk-stream 2.1.5 dist/client.mjs. */
interface SdkInternals {
  dw_url?: string;
  socket?: { once(ev: "close", fn: () => void): void; readyState: number };
  heartbeatIntervallId?: ReturnType<typeof setInterval>;
  sslopts: Record<string, unknown>;
}

function gatewayUrl(settings: DingTalkSettings): string {
  const g = settings.streamGateway;
  if (!g) return `${settings.apiBase}/v1.0/gateway/connections/open`;
  const u = new URL(g);
  return u.pathname === "/" || u.pathname === "" ? `${u.origin}/v1.0/gateway/connections/open` : g;
}

class ChatDeskStreamClient extends DWClient {
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private closed: Promise<void> = Promise.resolve();

  constructor(
    private readonly settings: DingTalkSettings,
    private readonly o: StreamOptions & { fetch: typeof fetch; log: Log },
  ) {
    super({ clientId: settings.clientId, clientSecret: settings.clientSecret, keepAlive: o.keepAlive ?? true, debug: false });
    // autoReconnect is missing from the constructor's type but honoured at runtime (https://github.com/open-dingtalk/dingtalk-stream-sdk-nodejs).
    (this.config as { autoReconnect?: boolean }).autoReconnect = false;
    (this as unknown as SdkInternals).sslopts = { rejectUnauthorized: true, handshakeTimeout: o.handshakeTimeoutMs ?? 10_000 };
  }

  private get internals(): SdkInternals {
    return this as unknown as SdkInternals;
  }

  /** Same request as the SDK (https://open-dingtalk.github.io/developerpedia/docs/learn/stream/protocol) through fetch, so the gateway URL is configurable. */
  override async getEndpoint(): Promise<this> {
    const g = this.settings.streamGateway;
    if (g && /^wss?:/.test(g)) {
      this.internals.dw_url = g; // a WebSocket URL: connect directly (the SDK's connect() skips the ticket request for a ws:// URL)
      return this;
    }
    const res = await this.o.fetch(gatewayUrl(this.settings), {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        clientId: this.config.clientId,
        clientSecret: this.config.clientSecret,
        ua: "chatdesk",
        subscriptions: this.config.subscriptions,
      }),
    });
    const body = (await res.json().catch(() => ({}))) as { endpoint?: string; ticket?: string };
    if (!res.ok || !body.endpoint || !body.ticket) throw new Error(`stream gateway answered HTTP ${res.status} without endpoint/ticket`);
    this.internals.dw_url = `${body.endpoint}?ticket=${encodeURIComponent(body.ticket)}`;
    return this;
  }

  override async connect(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.getEndpoint();
      await this._connect();
    } catch (e) {
      this.o.log({ level: "warn", msg: "dingtalk stream connect failed", error: errText(e), attempt: this.attempt });
      this.clearHeartbeat();
      this.scheduleReconnect();
      return;
    }
    this.attempt = 0;
    const socket = this.internals.socket;
    if (!socket) return;
    if (this.stopped) {
      this.disconnect(); // stop() ran while we were connecting
      return;
    }
    this.closed = new Promise((resolve) =>
      socket.once("close", () => {
        this.clearHeartbeat();
        resolve();
        if (!this.stopped) {
          this.o.log({ level: "info", msg: "dingtalk stream closed, reconnecting" });
          this.scheduleReconnect();
        }
      }),
    );
  }

  private clearHeartbeat(): void {
    if (this.internals.heartbeatIntervallId !== undefined) clearInterval(this.internals.heartbeatIntervallId);
    this.internals.heartbeatIntervallId = undefined;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retryTimer) return;
    const initial = this.o.backoff?.initialMs ?? 1_000;
    const max = this.o.backoff?.maxMs ?? 60_000;
    const delay = Math.min(initial * 2 ** this.attempt + Math.random() * initial, max);
    this.attempt++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const open = this.internals.socket && this.internals.socket.readyState < 2;
    this.disconnect();
    this.clearHeartbeat();
    if (open) await Promise.race([this.closed, new Promise((r) => setTimeout(r, 2_000))]);
  }
}

/**
 * Connect to DingTalk Stream, feed robot messages and card clicks to the sink, and ACK them.
 * Robot messages are ACKed after sink.accept resolves (stored): a storage failure leaves the frame
 * un-ACKed so DingTalk may push it again, and redeliveries dedupe on msgId. Card clicks are answered
 * within the 2 s budget with the clicker's card data. Resolves once the first connect attempt ends.
 */
export async function startDingTalkStream(settings: DingTalkSettings, sink: EventSink, log: Log = () => {}, opts: StreamOptions = {}): Promise<StopStream> {
  const fetchImpl = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const tokens = opts.tokens ?? (opts.fetch ? createTokenProvider({ apiBase: settings.apiBase, appKey: settings.clientId, appSecret: settings.clientSecret, fetch: fetchImpl }) : appTokens(settings));

  // 2.1.5 retries bad credentials forever without a word (https://github.com/open-dingtalk/dingtalk-stream-sdk-nodejs): check them first.
  try {
    await tokens.get();
  } catch (e) {
    if (e instanceof PlatformError && !e.retryable) throw new ChatDeskError("CONFIG_INVALID", `DingTalk rejected the app credentials: ${e.message}`);
    log({ level: "warn", msg: "dingtalk token check failed, connecting anyway", error: errText(e) });
  }

  const client = new ChatDeskStreamClient(settings, { ...opts, fetch: fetchImpl, log });

  const onRobot = async (msg: DWClientDownStream) => {
    const id = msg.headers.messageId;
    let data: unknown;
    try {
      data = JSON.parse(msg.data);
    } catch {
      log({ level: "warn", msg: "dingtalk stream robot frame with bad JSON", messageId: id });
      client.socketCallBackResponse(id, null);
      return;
    }
    const parsed = parseRobotMessage(data);
    if ("ignored" in parsed) {
      log({ level: "debug", msg: "dingtalk stream robot message ignored", reason: parsed.ignored });
      client.socketCallBackResponse(id, null);
      return;
    }
    try {
      await sink.accept(parsed.event);
      client.socketCallBackResponse(id, null);
    } catch (e) {
      log({ level: "error", msg: "dingtalk stream robot message not stored; left un-ACKed", error: errText(e), messageId: id });
    }
  };

  const onCard = async (msg: DWClientDownStream) => {
    const id = msg.headers.messageId;
    let data: unknown;
    try {
      data = JSON.parse(msg.data);
    } catch {
      data = undefined;
    }
    const parsed = parseCardCallback(data, id);
    if ("ignored" in parsed) {
      log({ level: "debug", msg: "dingtalk stream card callback ignored", reason: parsed.ignored });
      client.socketCallBackResponse(id, {});
      return;
    }
    const reply = await cardReplyWithin(sink, parsed.event, CARD_REPLY_BUDGET_MS, log);
    client.socketCallBackResponse(id, renderCallbackResponse(reply, parsed.event.value));
  };

  // The SDK ignores listener return values: a rejection would be unhandled, so catch here.
  const guard = (fn: (m: DWClientDownStream) => Promise<void>) => (m: DWClientDownStream) => {
    fn(m).catch((e: unknown) => log({ level: "error", msg: "dingtalk stream handler failed", error: errText(e), topic: m.headers.topic }));
  };
  client.registerCallbackListener(TOPIC_ROBOT, guard(onRobot)).registerCallbackListener(TOPIC_CARD, guard(onCard));
  await client.connect();
  return () => client.stop();
}
