// DingTalk sign-in. Web: login page → authCode → user access token → contact/users/me (unionId),
// then unionId → userId with the app token, since people are configured by userId (staffId).
// In the DingTalk client (免登): the JSAPI's requestAuthCode gives a code that the app token turns
// into the userId directly.
import type { DingTalkLogin } from "../settings.js";
import { fetchJson, SignInError, str, type PlatformIdentity } from "./identity.js";

export function dingtalkAuthorizeUrl(s: DingTalkLogin, redirectUri: string, state: string): string {
  const u = new URL(`${s.loginBase}/oauth2/auth`);
  u.searchParams.set("redirect_uri", redirectUri);
  u.searchParams.set("response_type", "code");
  u.searchParams.set("client_id", s.clientId);
  u.searchParams.set("scope", "openid");
  u.searchParams.set("state", state);
  u.searchParams.set("prompt", "consent");
  return u.toString();
}

const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const why = (b: Record<string, unknown>, status: number) => str(b.message) ?? str(b.errmsg) ?? str(b.code) ?? `HTTP ${status}`;

async function appToken(s: DingTalkLogin): Promise<string> {
  const r = await fetchJson("DingTalk app token", `${s.apiBase}/v1.0/oauth2/accessToken`, json({ appKey: s.clientId, appSecret: s.clientSecret }));
  const token = str(r.body.accessToken);
  if (r.status !== 200 || !token) throw new SignInError(`DingTalk app token failed (${why(r.body, r.status)})`);
  return token;
}

/** Old-style (oapi) call with the app token; errcode 0 means success. */
async function oapi(s: DingTalkLogin, what: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const url = `${s.oapiBase}${path}?access_token=${encodeURIComponent(await appToken(s))}`;
  const r = await fetchJson(what, url, json(body));
  if (r.status !== 200 || r.body.errcode !== 0) throw new SignInError(`${what} failed (${why(r.body, r.status)})`);
  return (r.body.result ?? {}) as Record<string, unknown>;
}

export async function dingtalkWebIdentity(s: DingTalkLogin, authCode: string): Promise<PlatformIdentity> {
  const tok = await fetchJson(
    "DingTalk user token",
    `${s.apiBase}/v1.0/oauth2/userAccessToken`,
    json({ clientId: s.clientId, clientSecret: s.clientSecret, code: authCode, grantType: "authorization_code" }),
  );
  const userToken = str(tok.body.accessToken);
  if (tok.status !== 200 || !userToken) throw new SignInError(`DingTalk refused the sign-in code (${why(tok.body, tok.status)})`);
  const me = await fetchJson("DingTalk user info", `${s.apiBase}/v1.0/contact/users/me`, { headers: { "x-acs-dingtalk-access-token": userToken } });
  const unionId = str(me.body.unionId);
  if (me.status !== 200 || !unionId) throw new SignInError(`DingTalk user info failed (${why(me.body, me.status)})`);
  const user = await oapi(s, "DingTalk unionId lookup", "/topapi/user/getbyunionid", { unionid: unionId });
  const userId = str(user.userid);
  if (!userId) throw new SignInError("DingTalk knows this account only outside the organisation (no userId)");
  return { platform: "dingtalk", userId, name: str(me.body.nick) ?? userId };
}

export async function dingtalkInAppIdentity(s: DingTalkLogin, code: string): Promise<PlatformIdentity> {
  const user = await oapi(s, "DingTalk 免登", "/topapi/v2/user/getuserinfo", { code });
  const userId = str(user.userid);
  if (!userId) throw new SignInError("DingTalk 免登 returned no userId");
  return { platform: "dingtalk", userId, name: str(user.name) ?? userId };
}

/** The DingTalk JSAPI, loaded only by the login page inside the DingTalk client. */
export const DINGTALK_JSAPI_URL = "https://g.alicdn.com/dingding/dingtalk-jsapi/3.0.25/dingtalk.open.js";
