// Outbound Feishu messages over plain fetch, for runtimes where the Node SDK (axios, ws) cannot run:
// Cloudflare Workers. Same calls and the same failure mapping as sender.ts: tenant token cached until
// shortly before expiry, create / reply / patch / urgent_app, PlatformError with retryable + Retry-After.
import type { FeishuSettings } from "../../config/env.js";
import { PlatformError, type ChatSender } from "../../platform/port.js";
import { dispositionName, readCapped } from "../../platform/download.js";
import { checkBody, feishuChatSender, httpError, resourceError, resourceRequest, retryAfterOf, tenantTokens, withTenantToken, withTokenRetry, type FeishuDownload, type TenantTokenBody } from "./chat-sender.js";

export interface FeishuFetchSenderOptions {
  fetch?: typeof fetch;
  /** Per-request timeout; Feishu APIs answer in well under a second when healthy. */
  timeoutMs?: number;
  now?: () => number;
  /** Refresh the tenant token this long before Feishu's stated expiry. */
  tokenMarginMs?: number;
}

export function createFeishuFetchSender(settings: FeishuSettings, opts: FeishuFetchSenderOptions = {}): ChatSender {
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const now = opts.now ?? Date.now;
  const margin = opts.tokenMarginMs ?? 5 * 60_000;
  const base = `${settings.domain}/open-apis`;

  /** One HTTP call → decoded body; every failure becomes a PlatformError. */
  async function request(what: string, method: string, url: string, body: unknown, token?: string): Promise<TenantTokenBody> {
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
    let b: TenantTokenBody = {};
    try {
      b = text ? (JSON.parse(text) as TenantTokenBody) : {};
    } catch {
      // Gateways in trouble answer HTML; only a non-2xx status tells us more.
      if (res.ok) throw new PlatformError(`feishu ${what}: HTTP ${res.status} answered non-JSON`, true, res.status);
    }
    if (!res.ok) throw httpError(what, res.status, b, () => retryAfterOf((n) => res.headers.get(n) ?? undefined, now()));
    return checkBody(b, what, res.status);
  }

  const tokens = tenantTokens(() => request("tenant_access_token", "POST", `${base}/auth/v3/tenant_access_token/internal`, { app_id: settings.appId, app_secret: settings.appSecret }), {
    now,
    marginMs: margin,
  });
  /** A message resource, streamed and cut off past `limit`; the whole download gets a longer timeout than a call. */
  const download: FeishuDownload = (ref, limit) =>
    withTokenRetry(tokens, async (token) => {
      const r = resourceRequest(ref);
      const url = `${base}/im/v1/messages/${encodeURIComponent(r.messageId)}/resources/${encodeURIComponent(r.fileKey)}?type=${r.type}`;
      const ctrl = new AbortController();
      const timer = setTimeout(() => ctrl.abort(), Math.max(timeoutMs, 60_000));
      try {
        const res = await doFetch(url, { headers: { authorization: `Bearer ${token}` }, signal: ctrl.signal });
        const header = (n: string) => res.headers.get(n) ?? undefined;
        if (!res.ok || !res.body) throw resourceError(res.ok ? 502 : res.status, await res.text(), header)!;
        const bytes = await readCapped(res.body, { contentLength: res.headers.get("content-length"), limit, abort: () => ctrl.abort() });
        const contentType = header("content-type");
        const refused = /json/i.test(contentType ?? "") && bytes.byteLength < 64 * 1024 ? resourceError(200, new TextDecoder().decode(bytes), header) : undefined;
        if (refused) throw refused;
        return { bytes, contentType, name: dispositionName(header("content-disposition")) };
      } catch (e) {
        if (e instanceof PlatformError) throw e;
        throw new PlatformError(`feishu resource: ${ctrl.signal.aborted ? "timed out" : `network error: ${(e as Error).message}`}`, true);
      } finally {
        clearTimeout(timer);
      }
    });

  // Shared calls (chat-sender.ts).
  return feishuChatSender(withTenantToken(tokens, (token, what, method, path, body) => request(what, method, `${base}${path}`, body, token)), download);
}
