// Outbound Feishu messages through the official SDK client (https://github.com/larksuite/node-sdk; https://open.feishu.cn/document/server-docs/im-v1/message/create).
import type * as lark from "@larksuiteoapi/node-sdk";
import type { FeishuSettings } from "../../config/env.js";
import { PlatformError, type ChatSender } from "../../platform/port.js";
import { dispositionName, readCapped } from "../../platform/download.js";
import type { TokenProvider } from "../../platform/token-cache.js";
import { checkBody, feishuChatSender, httpError, resourceError, resourceRequest, retryAfterOf, tenantTokens, withTenantToken, withTokenRetry, type FeishuBody, type FeishuDownload } from "./chat-sender.js";

export interface FeishuSenderOptions {
  /** Per-request timeout; Feishu APIs answer in well under a second when healthy. */
  timeoutMs?: number;
  /** Must resolve to the response body, like the SDK's default axios instance (https://github.com/larksuite/node-sdk). */
  httpInstance?: lark.HttpInstance;
  now?: () => number;
  log?: (obj: Record<string, unknown>) => void;
}

const NETWORK_CODES = new Set(["ECONNABORTED", "ETIMEDOUT", "ECONNREFUSED", "ECONNRESET", "EPIPE", "EAI_AGAIN", "ENOTFOUND", "ENETUNREACH", "EHOSTUNREACH", "ERR_NETWORK", "ERR_SOCKET_CONNECTION_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  const get = (headers as { get?: (n: string) => unknown }).get;
  const v = typeof get === "function" ? get.call(headers, name) : (headers as Record<string, unknown>)[name];
  return v === undefined || v === null ? undefined : String(v);
}

/** Retry-After (seconds or HTTP date) or Feishu's gateway x-ogw-ratelimit-reset (seconds), from axios headers. */
export const retryAfterMs = (headers: unknown, now = Date.now()): number | undefined => retryAfterOf((n) => headerValue(headers, n), now);

/**
 * The SDK throws axios errors for non-2xx (Feishu's {code,msg} in err.response.data), throws a
 * plain Error when the token call answers code≠0, and *returns* HTTP-200 bodies with code≠0.
 */
export function toPlatformError(err: unknown, what: string): PlatformError {
  if (err instanceof PlatformError) return err;
  const e = err as { code?: unknown; message?: unknown; response?: { status?: number; data?: unknown; headers?: unknown } };
  const message = typeof e?.message === "string" ? e.message : String(err);
  if (e?.response && typeof e.response.status === "number") {
    const headers = e.response.headers;
    return httpError(what, e.response.status, (e.response.data ?? {}) as FeishuBody, () => retryAfterMs(headers));
  }
  const code = typeof e?.code === "string" ? e.code : undefined;
  if ((code && NETWORK_CODES.has(code)) || /timeout|network|socket hang up/i.test(message)) {
    return new PlatformError(`feishu ${what}: ${code ?? "network"} ${message}`, true);
  }
  // Token failures ("failed to get tenant_access_token, code: …") and anything else unknown.
  return new PlatformError(`feishu ${what}: ${message}`, false);
}

type Sdk = typeof lark;

/**
 * The SDK, loaded on the first call: its generated API surface is ~100 MB resident once imported, and a
 * thread that imports this module but never sends through it (the HTTP thread, which uses the fetch client
 * when the processing worker delivers: node-composition.ts) never loads it.
 */
const loadSdk = (): Promise<Sdk> => import("@larksuiteoapi/node-sdk");

/** The SDK and one client, made on first use and then shared by every call. */
interface Lazy {
  sdk: Sdk;
  client: lark.Client;
}

function defaultHttp(sdk: Sdk, timeoutMs: number): lark.HttpInstance {
  // A private instance: the SDK's default one is shared process-wide and has no timeout. Like the SDK's own
  // interceptor it answers {data, headers} to calls that ask for headers (messageResource.get).
  const http = sdk.defaultHttpInstance.create({ timeout: timeoutMs });
  http.interceptors.response.use((resp) => ((resp.config as { $return_headers?: boolean }).$return_headers ? { data: resp.data, headers: resp.headers } : resp.data));
  return http as unknown as lark.HttpInstance;
}

type Readable = AsyncIterable<Uint8Array> & { destroy?: () => void };

/** An error answer to a streamed call arrives as a stream: read it so the {code, msg} can be mapped. */
async function withReadBody(err: unknown): Promise<unknown> {
  const r = (err as { response?: { data?: unknown } })?.response;
  const data = r?.data as Readable | undefined;
  if (!r || !data || typeof data !== "object" || !(Symbol.asyncIterator in data)) return err;
  try {
    const text = new TextDecoder().decode(await readCapped(data, { limit: 64 * 1024 }));
    r.data = text ? JSON.parse(text) : {};
  } catch {
    r.data = {};
  }
  return err;
}

/** Message resources through the SDK's client.im.messageResource.get, read as a stream and cut off past `limit`. */
function sdkDownload(lazy: () => Promise<Lazy>, tokens: TokenProvider): FeishuDownload {
  return (ref, limit) =>
    withTokenRetry(tokens, async (token) => {
      const r = resourceRequest(ref);
      const { sdk, client } = await lazy();
      let res: Awaited<ReturnType<typeof client.im.messageResource.get>>;
      try {
        res = await client.im.messageResource.get({ path: { message_id: r.messageId, file_key: r.fileKey }, params: { type: r.type } }, sdk.withTenantToken(token));
      } catch (err) {
        throw toPlatformError(await withReadBody(err), "resource");
      }
      const header = (n: string) => headerValue(res.headers, n);
      const stream = res.getReadableStream() as Readable;
      let bytes: Uint8Array;
      try {
        bytes = await readCapped(stream, { contentLength: header("content-length"), limit, abort: () => stream.destroy?.() });
      } catch (err) {
        throw err instanceof PlatformError ? err : new PlatformError(`feishu resource: reading failed: ${(err as Error).message}`, true);
      }
      const contentType = header("content-type");
      if (/json/i.test(contentType ?? "") && bytes.byteLength < 64 * 1024) {
        const refused = resourceError(200, new TextDecoder().decode(bytes), header);
        if (refused) throw refused;
      }
      return { bytes, contentType, name: dispositionName(header("content-disposition")) };
    });
}

function quietLogger(log?: (obj: Record<string, unknown>) => void): lark.Logger {
  // The SDK logs every failed call at error level; we report failures as PlatformError instead.
  const to = (level: string) => (...msg: unknown[]) => log?.({ level, source: "feishu-sdk", msg: msg.map((m) => (m instanceof Error ? m.message : typeof m === "string" ? m : JSON.stringify(m))).join(" ").slice(0, 500) });
  return { error: to("debug"), warn: to("debug"), info: () => {}, debug: () => {}, trace: () => {} };
}

export function createFeishuSender(settings: FeishuSettings, opts: FeishuSenderOptions = {}): ChatSender {
  let made: Promise<Lazy> | undefined;
  const lazy = () =>
    (made ??= loadSdk().then((sdk) => ({
      sdk,
      client: new sdk.Client({
        appId: settings.appId,
        appSecret: settings.appSecret,
        domain: settings.domain,
        appType: sdk.AppType.SelfBuild,
        httpInstance: opts.httpInstance ?? defaultHttp(sdk, opts.timeoutMs ?? 10_000),
        // The SDK's token manager reads its cache, requests, then writes, so concurrent calls with no token
        // cached each fetch one (node-sdk TokenManager.getCustomTenantAccessToken); we keep the token instead,
        // with one in-flight fetch shared by every caller.
        disableTokenCache: true,
        logger: quietLogger(opts.log),
      }),
    })));
  const call = async (what: string, payload: Parameters<lark.Client["request"]>[0], token?: string): Promise<FeishuBody> => {
    const { sdk, client } = await lazy();
    let answer: unknown;
    try {
      answer = await client.request(payload, token ? sdk.withTenantToken(token) : undefined);
    } catch (err) {
      throw toPlatformError(err, what);
    }
    return checkBody(answer, what);
  };
  const tokens = tenantTokens(
    () => call("tenant_access_token", { method: "POST", url: "/open-apis/auth/v3/tenant_access_token/internal", data: { app_id: settings.appId, app_secret: settings.appSecret } }),
    { now: opts.now },
  );
  // The calls themselves are shared with the Worker (chat-sender.ts).
  return feishuChatSender(
    withTenantToken(tokens, (token, what, method, path, body) => call(what, { method, url: `/open-apis${path}`, data: body }, token)),
    sdkDownload(lazy, tokens),
  );
}
