// The Feishu ChatSender, written once over a transport: the official SDK on Node (sender.ts), plain
// fetch on Workers (fetch-sender.ts). A transport makes one authenticated Open API call and turns every
// failure into a PlatformError; this module knows which calls a sender makes and what they answer.
import type { Card } from "../../../cards/model.js";
import { CardNotUpdatableError, PlatformError, type ChatSender, type SendOptions } from "../../platform/port.js";
import type { AttachmentRef, Downloaded } from "../../platform/fetched.js";
import { singleFlightToken, type TokenCacheOptions, type TokenProvider } from "../../platform/token-cache.js";
import { feishuTextMessage } from "./escape.js";
import { parseFetchedMessage } from "./fetched-message.js";
import { receiverOf } from "./receiver.js";
import { renderFeishuCard } from "./render-card.js";

/** A decoded Open API answer whose business code was 0. */
export interface FeishuBody {
  code?: number;
  msg?: string;
  data?: Record<string, unknown>;
  bot?: { open_id?: unknown };
}

/** One call to `<domain>/open-apis<path>` with the tenant token. */
export type FeishuTransport = (what: string, method: "GET" | "POST" | "PATCH", path: string, body?: unknown) => Promise<FeishuBody>;

/** Business codes that mean "slow down" rather than "this request is wrong". */
export const RATE_LIMIT_CODES = new Set([99991400, 230020, 11232, 11233]);

export interface TenantTokenBody extends FeishuBody {
  tenant_access_token?: string;
  expire?: number;
}

/**
 * The tenant token (answered as {code, msg, tenant_access_token, expire}, not wrapped in data:
 * https://open.larkoffice.com/document/ukTMukTMukTM/ukDNz4SO0MjL5QzM/auth-v3/auth/tenant_access_token_internal),
 * cached, with one in-flight request shared by every caller.
 */
export function tenantTokens(request: () => Promise<TenantTokenBody>, o: TokenCacheOptions = {}): TokenProvider {
  return singleFlightToken(async () => {
    let b: TenantTokenBody;
    try {
      b = await request();
    } catch (e) {
      // Refused credentials stay refused; a 5xx or a network error is worth another try later.
      if (e instanceof PlatformError) throw new PlatformError(`feishu: failed to get tenant_access_token: ${e.message}`, e.retryable, e.status, e.retryAfterMs);
      throw e;
    }
    if (!b.tenant_access_token) throw new PlatformError("feishu: tenant_access_token answer has no token", true, 200);
    return { token: b.tenant_access_token, ttlMs: (b.expire ?? 7200) * 1000 };
  }, o);
}

/** A transport that calls with the tenant token; a rejected token is dropped and the call made once more. */
export function withTenantToken(tokens: TokenProvider, call: (token: string, ...args: Parameters<FeishuTransport>) => Promise<FeishuBody>): FeishuTransport {
  return async (...args) => withTokenRetry(tokens, (token) => call(token, ...args));
}

/** Run `f` with the tenant token; a rejected token is dropped and `f` run once more with a fresh one. */
export async function withTokenRetry<T>(tokens: TokenProvider, f: (token: string) => Promise<T>): Promise<T> {
  try {
    return await f(await tokens.get());
  } catch (e) {
    if (!isTokenRejected(e)) throw e;
    tokens.invalidate();
    return f(await tokens.get());
  }
}

/** Downloads one message resource with the tenant token (the SDK's messageResource.get on Node, fetch on Workers). */
export type FeishuDownload = (ref: AttachmentRef, limit: number) => Promise<Downloaded>;

/**
 * GET /open-apis/im/v1/messages/{message_id}/resources/{file_key}?type=image|file (https://open.feishu.cn/document/server-docs/im-v1/message/get-2,
 * scope im:resource): `type=image` for images, `file` for files, audio and video.
 */
export function resourceRequest(ref: AttachmentRef): { messageId: string; fileKey: string; type: "image" | "file" } {
  if (!ref.messageId) throw new PlatformError("feishu resource: the attachment has no message id", false);
  return { messageId: ref.messageId, fileKey: ref.fileKey, type: ref.kind === "image" ? "image" : "file" };
}

/** A resource answer that is JSON carries Feishu's {code, msg} instead of the file (a refusal answered 200, or any error status). */
export function resourceError(status: number, text: string, header: (name: string) => string | undefined): PlatformError | undefined {
  let b: FeishuBody = {};
  try {
    b = JSON.parse(text) as FeishuBody;
  } catch {
    // not JSON: a gateway page
  }
  if (status < 200 || status >= 300) return httpError("resource", status, b, () => retryAfterOf(header));
  if (typeof b.code === "number" && b.code !== 0) return new PlatformError(`feishu resource: code ${b.code}: ${b.msg ?? ""}`, RATE_LIMIT_CODES.has(b.code), status);
  return undefined;
}

/** The tenant token was rejected (expired early, revoked): fetch a new one and try once more. */
const TOKEN_CODES = new Set([99991661, 99991663, 99991664, 99991677]);

function isTokenRejected(e: unknown): boolean {
  const m = e instanceof PlatformError ? /code (\d+)/.exec(e.message) : null;
  return !!m && TOKEN_CODES.has(Number(m[1]));
}

/** Retry-After (seconds or HTTP date) or Feishu's gateway x-ogw-ratelimit-reset (seconds). */
export function retryAfterOf(header: (name: string) => string | undefined, now = Date.now()): number | undefined {
  const reset = header("x-ogw-ratelimit-reset");
  if (reset && Number.isFinite(Number(reset))) return Math.max(0, Number(reset) * 1000);
  const ra = header("retry-after");
  if (!ra) return undefined;
  if (Number.isFinite(Number(ra))) return Math.max(0, Number(ra) * 1000);
  const at = Date.parse(ra);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** A non-2xx answer: 429, rate-limit codes, 5xx and 408 are worth retrying. */
export function httpError(what: string, status: number, body: FeishuBody, retryAfter: () => number | undefined): PlatformError {
  const code = typeof body.code === "number" ? body.code : undefined;
  const detail = code !== undefined ? ` (code ${code}: ${body.msg ?? ""})` : "";
  const rateLimited = status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code));
  const retryable = rateLimited || status >= 500 || status === 408;
  return new PlatformError(`feishu ${what}: HTTP ${status}${detail}`, retryable, status, rateLimited ? retryAfter() : undefined);
}

/** A 2xx answer carrying a business error code. */
export function checkBody(body: unknown, what: string, status = 200): FeishuBody {
  const b = (body ?? {}) as FeishuBody;
  if (typeof b.code === "number" && b.code !== 0) {
    throw new PlatformError(`feishu ${what}: code ${b.code}: ${b.msg ?? ""}`, RATE_LIMIT_CODES.has(b.code), status);
  }
  return b;
}

/**
 * A shared card (update_multi, always on in JSON 2.0) can be PATCHed only within 14 days of sending; later
 * PATCHes fail with 230031 (https://open.larksuite.com/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/patch).
 */
export const CARD_UPDATE_WINDOW_MS = 14 * 24 * 3_600_000;

/** Feishu text-message @mention: <at user_id="ou_x"></at>; "all" for everyone. */
function mentionText(ids: string[] | undefined): string {
  return (ids ?? []).map((id) => `<at user_id="${id.replace(/"/g, "")}"></at>`).join(" ");
}

/** POST /open-apis/jssdk/ticket/get → data {ticket, expire_in} (https://open.feishu.cn/document/uYjL24iN/uEzM4YjLxMDO24SMzgjN). */
async function jsapiTicket(call: FeishuTransport): Promise<{ ticket: string; expiresInS: number }> {
  const d = (await call("jssdk ticket", "POST", "/jssdk/ticket/get", {})).data ?? {};
  if (typeof d.ticket !== "string" || !d.ticket) throw new PlatformError("feishu jssdk ticket: response has no data.ticket", true);
  return { ticket: d.ticket, expiresInS: typeof d.expire_in === "number" ? d.expire_in : 7200 };
}

export function feishuChatSender(call: FeishuTransport, download?: FeishuDownload): ChatSender {
  const data = async (...args: Parameters<FeishuTransport>) => (await call(...args)).data ?? {};

  async function send(chatId: string, msgType: "interactive" | "text", content: string, o: SendOptions): Promise<string> {
    const to = receiverOf(chatId);
    // Feishu drops a create / reply whose uuid it saw within the hour (≤ 50 characters).
    const uuid = o.idempotencyKey ? { uuid: o.idempotencyKey.slice(0, 50) } : {};
    const answer = o.replyTo
      ? await data("reply", "POST", `/im/v1/messages/${encodeURIComponent(o.replyTo)}/reply`, { msg_type: msgType, content, ...uuid })
      : await data("send", "POST", `/im/v1/messages?receive_id_type=${to.type}`, { receive_id: to.id, msg_type: msgType, content, ...uuid });
    const id = answer.message_id;
    if (typeof id !== "string" || !id) throw new PlatformError("feishu send: response has no message_id", false);
    return id;
  }

  return {
    platform: "feishu",

    async sendCard(chatId: string, card: Card, o: SendOptions = {}) {
      const content = JSON.stringify(renderFeishuCard(card, { mentions: o.mentions }));
      return { ref: await send(chatId, "interactive", content, o), updatable: true };
    },

    cardUpdateWindowMs: CARD_UPDATE_WINDOW_MS,

    async updateCard(ref: string, card: Card) {
      try {
        await call("patch", "PATCH", `/im/v1/messages/${encodeURIComponent(ref)}`, { content: JSON.stringify(renderFeishuCard(card)) });
      } catch (e) {
        if (e instanceof PlatformError && /code 230031\b/.test(e.message)) throw new CardNotUpdatableError(e.message, e.status);
        throw e;
      }
    },

    async sendText(chatId: string, raw: string, o: SendOptions = {}) {
      const text = feishuTextMessage(raw); // the mentions below are the only tags in it
      const at = mentionText(o.mentions);
      const content = JSON.stringify({ text: at ? `${at} ${text}` : text });
      return { ref: await send(chatId, "text", content, o) };
    },

    async urgent(ref: string, userIds: string[]) {
      if (userIds.length === 0) return;
      await call("urgent", "PATCH", `/im/v1/messages/${encodeURIComponent(ref)}/urgent_app?user_id_type=open_id`, { user_id_list: userIds });
    },

    async fetchMessage(messageId: string) {
      // https://open.feishu.cn/document/server-docs/im-v1/message/get: data.items[0] (a merged-forward message lists its children too).
      const answer = await data("get message", "GET", `/im/v1/messages/${encodeURIComponent(messageId)}`);
      const items = Array.isArray(answer.items) ? answer.items : [];
      return parseFetchedMessage(items.find((i) => (i as { message_id?: unknown }).message_id === messageId) ?? items[0]);
    },

    async userName(userId: string) {
      // GET /open-apis/contact/v3/users/:user_id (https://open.feishu.cn/document/server-docs/contact-v3/user/get): `name` needs
      // contact:user.base:readonly; without it, or for a user outside the app's contact range, Feishu answers with an error code.
      try {
        const user = (await data("contact user", "GET", `/contact/v3/users/${encodeURIComponent(userId)}?user_id_type=open_id`)).user as { name?: unknown } | undefined;
        return typeof user?.name === "string" && user.name ? user.name : undefined;
      } catch (e) {
        if (e instanceof PlatformError && !e.retryable) return undefined;
        throw e;
      }
    },

    ...(download ? { download } : {}),
    jsapiTicket: () => jsapiTicket(call),

    async botUserId() {
      // Answered as {code, msg, bot: {open_id, …}}, not wrapped in data (https://open.feishu.cn/document/client-docs/bot-v3/obtain-bot-info).
      const id = (await call("bot info", "GET", "/bot/v3/info")).bot?.open_id;
      if (typeof id !== "string" || !id) throw new PlatformError("feishu bot info: response has no bot.open_id", false);
      return id;
    },
  };
}
