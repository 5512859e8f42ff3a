// Outbound Feishu messages through the official SDK client (reference C).
import * as lark from "@larksuiteoapi/node-sdk";
import type { Card } from "../../../cards/model.js";
import type { FeishuSettings } from "../../config/env.js";
import { PlatformError, type ChatSender, type SendOptions } from "../../platform/port.js";
import { receiverOf } from "./receiver.js";
import { renderFeishuCard } from "./render-card.js";

export interface FeishuSenderOptions {
  /** Per-request timeout; Feishu APIs answer in well under a second when healthy. */
  timeoutMs?: number;
  /** Must resolve to the response body, like the SDK's default axios instance (reference C.5). */
  httpInstance?: lark.HttpInstance;
  /** Token cache; defaults to one per sender so senders (and tests) never share a stale token. */
  cache?: lark.Cache;
  log?: (obj: Record<string, unknown>) => void;
}

/** Business codes that mean "slow down" rather than "this request is wrong". */
const RATE_LIMIT_CODES = new Set([99991400, 230020, 11232, 11233]);
const NETWORK_CODES = new Set(["ECONNABORTED", "ETIMEDOUT", "ECONNREFUSED", "ECONNRESET", "EPIPE", "EAI_AGAIN", "ENOTFOUND", "ENETUNREACH", "EHOSTUNREACH", "ERR_NETWORK", "ERR_SOCKET_CONNECTION_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

interface FeishuBody {
  code?: number;
  msg?: string;
  data?: Record<string, unknown>;
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  const get = (headers as { get?: (n: string) => unknown }).get;
  const v = typeof get === "function" ? get.call(headers, name) : (headers as Record<string, unknown>)[name];
  return v === undefined || v === null ? undefined : String(v);
}

/** Retry-After (seconds or HTTP date) or Feishu's gateway x-ogw-ratelimit-reset (seconds). */
export function retryAfterMs(headers: unknown, now = Date.now()): number | undefined {
  const reset = headerValue(headers, "x-ogw-ratelimit-reset");
  if (reset && Number.isFinite(Number(reset))) return Math.max(0, Number(reset) * 1000);
  const ra = headerValue(headers, "retry-after");
  if (!ra) return undefined;
  if (Number.isFinite(Number(ra))) return Math.max(0, Number(ra) * 1000);
  const at = Date.parse(ra);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/**
 * The SDK throws axios errors for non-2xx (Feishu's {code,msg} in err.response.data), throws a
 * plain Error when the token call answers code≠0, and *returns* HTTP-200 bodies with code≠0.
 */
export function toPlatformError(err: unknown, what: string): PlatformError {
  if (err instanceof PlatformError) return err;
  const e = err as { code?: unknown; message?: unknown; response?: { status?: number; data?: unknown; headers?: unknown } };
  const message = typeof e?.message === "string" ? e.message : String(err);
  if (e?.response && typeof e.response.status === "number") {
    const status = e.response.status;
    const body = (e.response.data ?? {}) as FeishuBody;
    const detail = typeof body.code === "number" ? ` (code ${body.code}: ${body.msg ?? ""})` : "";
    const rateLimited = status === 429 || (typeof body.code === "number" && RATE_LIMIT_CODES.has(body.code));
    const retryable = rateLimited || status >= 500 || status === 408;
    return new PlatformError(`feishu ${what}: HTTP ${status}${detail}`, retryable, status, rateLimited ? retryAfterMs(e.response.headers) : undefined);
  }
  const code = typeof e?.code === "string" ? e.code : undefined;
  if ((code && NETWORK_CODES.has(code)) || /timeout|network|socket hang up/i.test(message)) {
    return new PlatformError(`feishu ${what}: ${code ?? "network"} ${message}`, true);
  }
  // Token failures ("failed to get tenant_access_token, code: …") and anything else unknown.
  return new PlatformError(`feishu ${what}: ${message}`, false);
}

function checkBody(body: unknown, what: string): Record<string, unknown> {
  const b = (body ?? {}) as FeishuBody;
  if (typeof b.code === "number" && b.code !== 0) {
    throw new PlatformError(`feishu ${what}: code ${b.code}: ${b.msg ?? ""}`, RATE_LIMIT_CODES.has(b.code), 200);
  }
  return b.data ?? {};
}

function defaultHttp(timeoutMs: number): lark.HttpInstance {
  // A private instance: the SDK's default one is shared process-wide and has no timeout.
  const http = lark.defaultHttpInstance.create({ timeout: timeoutMs });
  http.interceptors.response.use((resp) => resp.data);
  return http as unknown as lark.HttpInstance;
}

function quietLogger(log?: (obj: Record<string, unknown>) => void): lark.Logger {
  // The SDK logs every failed call at error level; we report failures as PlatformError instead.
  const to = (level: string) => (...msg: unknown[]) => log?.({ level, source: "feishu-sdk", msg: msg.map((m) => (m instanceof Error ? m.message : typeof m === "string" ? m : JSON.stringify(m))).join(" ").slice(0, 500) });
  return { error: to("debug"), warn: to("debug"), info: () => {}, debug: () => {}, trace: () => {} };
}

/** Feishu text-message @mention: <at user_id="ou_x"></at>; "all" for everyone. */
function mentionText(ids: string[] | undefined): string {
  return (ids ?? []).map((id) => `<at user_id="${id.replace(/"/g, "")}"></at>`).join(" ");
}

export function createFeishuSender(settings: FeishuSettings, opts: FeishuSenderOptions = {}): ChatSender {
  const client = new lark.Client({
    appId: settings.appId,
    appSecret: settings.appSecret,
    domain: settings.domain,
    appType: lark.AppType.SelfBuild,
    httpInstance: opts.httpInstance ?? defaultHttp(opts.timeoutMs ?? 10_000),
    cache: opts.cache ?? new lark.DefaultCache(),
    logger: quietLogger(opts.log),
  });

  async function call(what: string, fn: () => Promise<unknown>): Promise<Record<string, unknown>> {
    let body: unknown;
    try {
      body = await fn();
    } catch (err) {
      throw toPlatformError(err, what);
    }
    return checkBody(body, what);
  }

  async function send(chatId: string, msgType: "interactive" | "text", content: string, replyTo?: string): Promise<string> {
    const data = replyTo
      ? await call("reply", () => client.im.v1.message.reply({ path: { message_id: replyTo }, data: { msg_type: msgType, content } }))
      : await call("send", () =>
          client.im.v1.message.create({ params: { receive_id_type: receiverOf(chatId).type }, data: { receive_id: receiverOf(chatId).id, msg_type: msgType, content } }),
        );
    const id = data.message_id;
    if (typeof id !== "string" || !id) throw new PlatformError("feishu send: response has no message_id", false);
    return id;
  }

  return {
    platform: "feishu",

    async sendCard(chatId: string, card: Card, o: SendOptions = {}) {
      const content = JSON.stringify(renderFeishuCard(card, { mentions: o.mentions }));
      return { ref: await send(chatId, "interactive", content, o.replyTo), updatable: true };
    },

    async updateCard(ref: string, card: Card) {
      // Only works for shared cards (update_multi, always true in 2.0) sent within 14 days.
      const content = JSON.stringify(renderFeishuCard(card));
      await call("patch", () => client.im.v1.message.patch({ path: { message_id: ref }, data: { content } }));
    },

    async sendText(chatId: string, text: string, o: SendOptions = {}) {
      const at = mentionText(o.mentions);
      const content = JSON.stringify({ text: at ? `${at} ${text}` : text });
      return { ref: await send(chatId, "text", content, o.replyTo) };
    },

    async urgent(ref: string, userIds: string[]) {
      if (userIds.length === 0) return;
      await call("urgent", () =>
        client.im.v1.message.urgentApp({ path: { message_id: ref }, params: { user_id_type: "open_id" }, data: { user_id_list: userIds } }),
      );
    },

    async botUserId() {
      // The SDK has no typed wrapper; the answer is {code, msg, bot: {open_id, …}}, not wrapped in data.
      let body: { code?: number; msg?: string; bot?: { open_id?: unknown } };
      try {
        body = (await client.request({ method: "GET", url: "/open-apis/bot/v3/info" })) as typeof body;
      } catch (err) {
        throw toPlatformError(err, "bot info");
      }
      checkBody(body, "bot info");
      const id = body?.bot?.open_id;
      if (typeof id !== "string" || !id) throw new PlatformError("feishu bot info: response has no bot.open_id", false);
      return id;
    },
  };
}
