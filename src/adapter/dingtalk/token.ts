// App access token (https://open.dingtalk.com/document/development/obtain-the-access-token-of-an-internal-app): POST {apiBase}/v1.0/oauth2/accessToken, valid 7200 s. Cached until
// shortly before expiry; concurrent callers share one request so a burst never fans out. One cache per
// app in the process (appTokens): the sender, the Stream client's credential check and the card callback
// registration all ask it, so start-up fetches the token once, not once per part.
import { PlatformError } from "../../platform/port.js";
import { singleFlightToken, type TokenProvider } from "../../platform/token-cache.js";
import { callApi, DEFAULT_TIMEOUT_MS } from "./api.js";

export type { TokenProvider } from "../../platform/token-cache.js";

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
  const api = { fetch: o.fetch ?? globalThis.fetch.bind(globalThis), timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  return singleFlightToken(
    async () => {
      const r = await callApi<{ accessToken?: string; expireIn?: number }>(api, "accessToken", `${o.apiBase}/v1.0/oauth2/accessToken`, {
        method: "POST",
        body: { appKey: o.appKey, appSecret: o.appSecret },
      });
      if (!r.accessToken) throw new PlatformError("DingTalk accessToken answer has no accessToken", true, 200);
      return { token: r.accessToken, ttlMs: (r.expireIn ?? 7200) * 1000 };
    },
    { now: o.now, marginMs: o.marginMs },
  );
}

export interface AppCredentials {
  apiBase: string;
  clientId: string;
  clientSecret: string;
}

const perApp = new Map<string, TokenProvider>();

/** The process's (Worker isolate's) one token cache for these credentials, shared by every caller. */
export function appTokens(app: AppCredentials): TokenProvider {
  const key = JSON.stringify([app.apiBase, app.clientId, app.clientSecret]);
  let p = perApp.get(key);
  if (!p) {
    // Looked up per call, so a fetch installed later (tests, polyfills) is the one used.
    p = createTokenProvider({ apiBase: app.apiBase, appKey: app.clientId, appSecret: app.clientSecret, fetch: (input, init) => globalThis.fetch(input, init) });
    perApp.set(key, p);
  }
  return p;
}
