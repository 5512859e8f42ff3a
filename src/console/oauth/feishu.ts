// Feishu web sign-in (网页应用登录): authorize page → code → user_access_token (OAuth v2 token
// endpoint) → user info. Inside the Feishu client the authorize page passes straight through without
// asking, which is what makes the same redirect the in-app 免登 flow.
import type { FeishuLogin } from "../settings.js";
import { fetchJson, SignInError, str, type PlatformIdentity } from "./identity.js";

export function feishuAuthorizeUrl(s: FeishuLogin, redirectUri: string, state: string): string {
  const u = new URL(`${s.domain}/open-apis/authen/v1/authorize`);
  u.searchParams.set("app_id", s.appId);
  u.searchParams.set("redirect_uri", redirectUri);
  u.searchParams.set("state", state);
  return u.toString();
}

export async function feishuIdentity(s: FeishuLogin, code: string, redirectUri: string): Promise<PlatformIdentity> {
  const tok = await fetchJson("Feishu token", `${s.domain}/open-apis/authen/v2/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify({ grant_type: "authorization_code", client_id: s.appId, client_secret: s.appSecret, code, redirect_uri: redirectUri }),
  });
  // v2 answers at the top level (RFC 6749), with code 0 on success.
  const accessToken = str(tok.body.access_token);
  if (tok.status !== 200 || tok.body.code !== 0 || !accessToken) {
    throw new SignInError(`Feishu refused the sign-in code (${str(tok.body.error_description) ?? str(tok.body.error) ?? str(tok.body.msg) ?? `HTTP ${tok.status}`})`);
  }
  const info = await fetchJson("Feishu user info", `${s.domain}/open-apis/authen/v1/user_info`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  const data = (info.body.data ?? {}) as Record<string, unknown>;
  const openId = str(data.open_id);
  if (info.status !== 200 || info.body.code !== 0 || !openId) throw new SignInError(`Feishu user info failed (${str(info.body.msg) ?? `HTTP ${info.status}`})`);
  return { platform: "feishu", userId: openId, name: str(data.name) ?? str(data.en_name) ?? openId };
}
