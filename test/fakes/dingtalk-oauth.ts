// The DingTalk sign-in endpoints for the fake: the login page (answers as the person chosen with
// signInAs), the user access token, contact/users/me, unionId → userId, and the in-app 免登 code
// exchange. Codes are single use; user tokens only open users/me; oapi calls need an app token.
import type { ServerResponse } from "node:http";

export interface DingTalkOAuthUser {
  /** "" for an account outside the organisation (its unionId has no userId). */
  userId: string;
  unionId: string;
  nick: string;
}

export interface DingTalkOAuthFake {
  signInAs(user: DingTalkOAuthUser | undefined): void;
  /** A 免登 code as dd.runtime.permission.requestAuthCode would give it inside the client. */
  inAppCode(user: DingTalkOAuthUser): string;
  handle(
    call: { method: string; path: string; query: Record<string, string>; headers: Record<string, string>; body: any },
    res: ServerResponse,
    appTokenValid: (token: string) => boolean,
  ): boolean;
}

export function dingtalkOAuthFake(appKey: string, appSecret: string): DingTalkOAuthFake {
  let seq = 0;
  let current: DingTalkOAuthUser | undefined;
  const webCodes = new Map<string, DingTalkOAuthUser>();
  const inAppCodes = new Map<string, DingTalkOAuthUser>();
  const userTokens = new Map<string, DingTalkOAuthUser>();
  const known = new Map<string, DingTalkOAuthUser>(); // unionId → user, for getbyunionid
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  return {
    signInAs(u) {
      current = u;
      if (u?.userId) known.set(u.unionId, u); // no userId: an account outside the organisation
    },
    inAppCode(u) {
      known.set(u.unionId, u);
      const code = `dd-inapp-${++seq}`;
      inAppCodes.set(code, u);
      return code;
    },
    handle(call, res, appTokenValid) {
      const { method, path, query, body } = call;
      if (method === "GET" && path === "/oauth2/auth") {
        if (query.client_id !== appKey || query.response_type !== "code" || !query.redirect_uri) return json(res, 400, { code: "invalidRequest" }), true;
        if (!current) return json(res, 403, { code: "fake: no user signed in (call signInAs)" }), true;
        const code = `dd-web-${++seq}`;
        webCodes.set(code, current);
        const back = new URL(query.redirect_uri);
        back.searchParams.set("authCode", code);
        back.searchParams.set("code", code);
        if (query.state !== undefined) back.searchParams.set("state", query.state);
        res.writeHead(302, { location: back.toString() });
        res.end();
        return true;
      }
      if (method === "POST" && path === "/v1.0/oauth2/userAccessToken") {
        const user = webCodes.get(body?.code ?? "");
        webCodes.delete(body?.code ?? "");
        if (body?.clientId !== appKey || body?.clientSecret !== appSecret) return json(res, 400, { code: "invalidClientIdOrSecret", message: "无效的clientId或clientSecret" }), true;
        if (body?.grantType !== "authorization_code" || !user) return json(res, 400, { code: "invalidAuthCode", message: "不合法的临时授权码" }), true;
        const token = `dd-user-${++seq}`;
        userTokens.set(token, user);
        return json(res, 200, { accessToken: token, refreshToken: `r-${token}`, expireIn: 7200, corpId: "ding-fake-corp" }), true;
      }
      if (method === "GET" && path === "/v1.0/contact/users/me") {
        const user = userTokens.get(call.headers["x-acs-dingtalk-access-token"] ?? "");
        if (!user) return json(res, 401, { code: "InvalidAuthentication", message: "不合法的access_token" }), true;
        return json(res, 200, { nick: user.nick, unionId: user.unionId, openId: `open-${user.unionId}`, avatarUrl: "", stateCode: "86" }), true;
      }
      if (method === "POST" && (path === "/topapi/user/getbyunionid" || path === "/topapi/v2/user/getuserinfo")) {
        if (!appTokenValid(query.access_token ?? "")) return json(res, 200, { errcode: 40014, errmsg: "不合法的access_token" }), true;
        if (path === "/topapi/user/getbyunionid") {
          const user = known.get(body?.unionid ?? "");
          if (!user) return json(res, 200, { errcode: 60121, errmsg: "找不到该用户" }), true;
          return json(res, 200, { errcode: 0, errmsg: "ok", result: { contact_type: 0, userid: user.userId } }), true;
        }
        const user = inAppCodes.get(body?.code ?? "");
        inAppCodes.delete(body?.code ?? "");
        if (!user) return json(res, 200, { errcode: 40078, errmsg: "不存在的临时授权码" }), true;
        return json(res, 200, { errcode: 0, errmsg: "ok", result: { userid: user.userId, name: user.nick, unionid: user.unionId, sys: false, sys_level: 0 } }), true;
      }
      return false;
    },
  };
}
