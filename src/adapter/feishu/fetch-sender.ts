// Outbound Feishu messages over plain fetch, for runtimes where the Node SDK (axios, ws) cannot run:
// Cloudflare Workers. Same calls and the same failure mapping as sender.ts: tenant token cached until
// shortly before expiry, create / reply / patch / urgent_app, PlatformError with retryable + Retry-After.
import type { Card } from "../../../cards/model.js";
import type { FeishuSettings } from "../../config/env.js";
import { PlatformError, type ChatSender, type SendOptions } from "../../platform/port.js";
import { receiverOf } from "./receiver.js";
import { renderFeishuCard } from "./render-card.js";

export interface FeishuFetchSenderOptions {
  fetch?: typeof fetch;
  /** Per-request timeout; Feishu APIs answer in well under a second when healthy. */
  timeoutMs?: number;
  now?: () => number;
  /** Refresh the tenant token this long before Feishu's stated expiry. */
  tokenMarginMs?: number;
}

/** Business codes that mean "slow down" rather than "this request is wrong". */
const RATE_LIMIT_CODES = new Set([99991400, 230020, 11232, 11233]);
/** The tenant token was rejected (expired early, revoked): fetch a new one and try once more. */
const TOKEN_CODES = new Set([99991661, 99991663, 99991664, 99991677]);

interface FeishuBody {
  code?: number;
  msg?: string;
  data?: Record<string, unknown>;
  bot?: { open_id?: unknown };
  tenant_access_token?: string;
  expire?: number;
}

/** Retry-After (seconds or HTTP date) or Feishu's gateway x-ogw-ratelimit-reset (seconds). */
export function retryAfterFrom(headers: Headers, now = Date.now()): number | undefined {
  const reset = headers.get("x-ogw-ratelimit-reset");
  if (reset && Number.isFinite(Number(reset))) return Math.max(0, Number(reset) * 1000);
  const ra = headers.get("retry-after");
  if (!ra) return undefined;
  if (Number.isFinite(Number(ra))) return Math.max(0, Number(ra) * 1000);
  const at = Date.parse(ra);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Feishu user-id @mention in a text message; "all" for everyone. */
function mentionText(ids: string[] | undefined): string {
  return (ids ?? []).map((id) => `<at user_id="${id.replace(/"/g, "")}"></at>`).join(" ");
}

export function createFeishuFetchSender(settings: FeishuSettings, opts: FeishuFetchSenderOptions = {}): ChatSender {
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const now = opts.now ?? Date.now;
  const margin = opts.tokenMarginMs ?? 5 * 60_000;
  const base = `${settings.domain}/open-apis`;
  let cached: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  /** One HTTP call → decoded body; every failure becomes a PlatformError. */
  async function request(what: string, method: string, url: string, body: unknown, token?: string): Promise<FeishuBody> {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await doFetch(url, {
        method,
        headers: { "content-type": "application/json; charset=utf-8", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: ctrl.signal,
      });
      text = await res.text();
    } catch (e) {
      const reason = ctrl.signal.aborted ? `timed out after ${timeoutMs} ms` : `network error: ${(e as Error).message}`;
      throw new PlatformError(`feishu ${what}: ${reason}`, true);
    } finally {
      clearTimeout(timer);
    }
    let b: FeishuBody = {};
    try {
      b = text ? (JSON.parse(text) as FeishuBody) : {};
    } catch {
      // Gateways in trouble answer HTML; only a non-2xx status tells us more.
      if (res.ok) throw new PlatformError(`feishu ${what}: HTTP ${res.status} answered non-JSON`, true, res.status);
    }
    const code = typeof b.code === "number" ? b.code : undefined;
    if (!res.ok) {
      const detail = code !== undefined ? ` (code ${code}: ${b.msg ?? ""})` : "";
      const rateLimited = res.status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code));
      const retryable = rateLimited || res.status >= 500 || res.status === 408;
      throw new PlatformError(`feishu ${what}: HTTP ${res.status}${detail}`, retryable, res.status, rateLimited ? retryAfterFrom(res.headers, now()) : undefined);
    }
    if (code !== undefined && code !== 0) {
      throw new PlatformError(`feishu ${what}: code ${code}: ${b.msg ?? ""}`, RATE_LIMIT_CODES.has(code), res.status);
    }
    return b;
  }

  async function fetchToken(): Promise<string> {
    let b: FeishuBody;
    try {
      b = await request("tenant_access_token", "POST", `${base}/auth/v3/tenant_access_token/internal`, { app_id: settings.appId, app_secret: settings.appSecret });
    } catch (e) {
      // Refused credentials stay refused; a 5xx or a network error is worth another try later.
      if (e instanceof PlatformError) throw new PlatformError(`feishu: failed to get tenant_access_token: ${e.message}`, e.retryable, e.status, e.retryAfterMs);
      throw e;
    }
    if (!b.tenant_access_token) throw new PlatformError("feishu: tenant_access_token answer has no token", true, 200);
    const ttlMs = (b.expire ?? 7200) * 1000;
    cached = { token: b.tenant_access_token, refreshAt: now() + Math.max(ttlMs - margin, ttlMs / 2) };
    return b.tenant_access_token;
  }

  function token(): Promise<string> {
    if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
    // Concurrent callers share one token request.
    inflight ??= fetchToken().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  async function call(what: string, method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
    return (await callRaw(what, method, path, body)).data ?? {};
  }

  async function callRaw(what: string, method: string, path: string, body: unknown): Promise<FeishuBody> {
    const once = () => token().then((t) => request(what, method, `${base}${path}`, body, t));
    try {
      return await once();
    } catch (e) {
      const m = e instanceof PlatformError ? /code (\d+)/.exec(e.message) : null;
      if (!m || !TOKEN_CODES.has(Number(m[1]))) throw e;
      cached = undefined;
      return once();
    }
  }

  async function send(chatId: string, msgType: "interactive" | "text", content: string, replyTo?: string): Promise<string> {
    const data = replyTo
      ? await call("reply", "POST", `/im/v1/messages/${encodeURIComponent(replyTo)}/reply`, { msg_type: msgType, content })
      : await call("send", "POST", `/im/v1/messages?receive_id_type=${receiverOf(chatId).type}`, { receive_id: receiverOf(chatId).id, msg_type: msgType, content });
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
      await call("patch", "PATCH", `/im/v1/messages/${encodeURIComponent(ref)}`, { content: JSON.stringify(renderFeishuCard(card)) });
    },

    async sendText(chatId: string, text: string, o: SendOptions = {}) {
      const at = mentionText(o.mentions);
      const content = JSON.stringify({ text: at ? `${at} ${text}` : text });
      return { ref: await send(chatId, "text", content, o.replyTo) };
    },

    async urgent(ref: string, userIds: string[]) {
      if (userIds.length === 0) return;
      await call("urgent", "PATCH", `/im/v1/messages/${encodeURIComponent(ref)}/urgent_app?user_id_type=open_id`, { user_id_list: userIds });
    },

    async botUserId() {
      // Answered as {code, msg, bot: {open_id, …}}, not wrapped in data (reference A.6).
      const id = (await callRaw("bot info", "GET", "/bot/v3/info", undefined)).bot?.open_id;
      if (typeof id !== "string" || !id) throw new PlatformError("feishu bot info: response has no bot.open_id", false);
      return id;
    },
  };
}
