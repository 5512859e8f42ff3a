// The Feishu web sign-in endpoints for the fake open platform: the authorize page (answers as if the
// person chosen with signInAs had approved), the OAuth v2 token endpoint and user info.
// Codes are single use and bound to the app and redirect URI, as on the real platform.
import type { ServerResponse } from "node:http";

export interface FeishuOAuthUser {
  openId: string;
  name: string;
}

export interface FeishuOAuthFake {
  /** Who the next authorize requests sign in as (undefined: the authorize page refuses). */
  signInAs(user: FeishuOAuthUser | undefined): void;
  /** A code as the authorize page would issue it, for driving the callback directly. */
  issueCode(user: FeishuOAuthUser, appId: string, redirectUri: string): string;
  /** Handles the request when it is one of ours. */
  handle(call: { method: string; path: string; query: Record<string, string>; headers: Record<string, string | string[] | undefined>; body: unknown }, res: ServerResponse): boolean;
}

export function feishuOAuthFake(): FeishuOAuthFake {
  let seq = 0;
  let current: FeishuOAuthUser | undefined;
  const codes = new Map<string, { user: FeishuOAuthUser; appId: string; redirectUri: string }>();
  const tokens = new Map<string, FeishuOAuthUser>();
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  };
  const issueCode = (user: FeishuOAuthUser, appId: string, redirectUri: string) => {
    const code = `fs-code-${++seq}`;
    codes.set(code, { user, appId, redirectUri });
    return code;
  };
  return {
    signInAs: (u) => (current = u),
    issueCode,
    handle(call, res) {
      const { method, path, query } = call;
      if (method === "GET" && path === "/open-apis/authen/v1/authorize") {
        if (!query.app_id || !query.redirect_uri) return json(res, 400, { code: 20001, msg: "invalid request: app_id and redirect_uri are required" }), true;
        if (!current) return json(res, 403, { code: 20010, msg: "fake: no user signed in (call signInAs)" }), true;
        const back = new URL(query.redirect_uri);
        back.searchParams.set("code", issueCode(current, query.app_id, query.redirect_uri));
        if (query.state !== undefined) back.searchParams.set("state", query.state);
        res.writeHead(302, { location: back.toString() });
        res.end();
        return true;
      }
      if (method === "POST" && path === "/open-apis/authen/v2/oauth/token") {
        const b = (call.body ?? {}) as Record<string, string>;
        const grant = codes.get(b.code ?? "");
        codes.delete(b.code ?? "");
        if (b.grant_type !== "authorization_code" || !grant || grant.appId !== b.client_id || !b.client_secret || grant.redirectUri !== b.redirect_uri) {
          return json(res, 400, { code: 20003, error: "invalid_grant", error_description: "The authorization code is invalid or has been used." }), true;
        }
        const token = `u-fake-${++seq}`;
        tokens.set(token, grant.user);
        return json(res, 200, { code: 0, access_token: token, expires_in: 7200, token_type: "Bearer", scope: "" }), true;
      }
      if (method === "GET" && path === "/open-apis/authen/v1/user_info") {
        const auth = String(call.headers.authorization ?? "");
        const user = tokens.get(auth.replace(/^Bearer /, ""));
        if (!user) return json(res, 401, { code: 99991668, msg: "Invalid access token for authorization." }), true;
        return json(res, 200, { code: 0, msg: "success", data: { open_id: user.openId, union_id: `on_${user.openId}`, name: user.name, en_name: user.name, tenant_key: "fake-tenant" } }), true;
      }
      return false;
    },
  };
}
