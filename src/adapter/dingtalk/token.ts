// App access token (https://open.dingtalk.com/document/development/obtain-the-access-token-of-an-internal-app): POST {apiBase}/v1.0/oauth2/accessToken, valid 7200 s. Cached until
// shortly before expiry; concurrent callers share one request so a burst never fans out.
import { PlatformError } from "../../platform/port.js";
import { callApi, DEFAULT_TIMEOUT_MS } from "./api.js";

export interface TokenProvider {
  /** A valid token, from cache when possible. */
  get(): Promise<string>;
  /** Forget the cached token (after the platform rejected it). */
  invalidate(): void;
}

export interface TokenOptions {
  apiBase: string;
  appKey: string;
  appSecret: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
  /** Refresh this long before the platform's expiry. */
  marginMs?: number;
}

export function createTokenProvider(o: TokenOptions): TokenProvider {
  const now = o.now ?? Date.now;
  const margin = o.marginMs ?? 5 * 60_000;
  const api = { fetch: o.fetch ?? globalThis.fetch.bind(globalThis), timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  let cached: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  const fetchToken = async (): Promise<string> => {
    const r = await callApi<{ accessToken?: string; expireIn?: number }>(api, "accessToken", `${o.apiBase}/v1.0/oauth2/accessToken`, {
      method: "POST",
      body: { appKey: o.appKey, appSecret: o.appSecret },
    });
    if (!r.accessToken) throw new PlatformError("DingTalk accessToken answer has no accessToken", true, 200);
    const ttlMs = (r.expireIn ?? 7200) * 1000;
    cached = { token: r.accessToken, refreshAt: now() + Math.max(ttlMs - margin, ttlMs / 2) };
    return r.accessToken;
  };

  return {
    get() {
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
      inflight ??= fetchToken().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
