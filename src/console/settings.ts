// What the console needs from the environment: how people sign in, which proxies to believe, and
// the per-process state (the cookie key, the session cache).
import type { Env } from "../config/env.js";
import { ipMatcher } from "../http/ip.js";
import type { ClientSettings, PeerAddress } from "./client.js";
import type { XlsxWriter } from "./export/xlsx.js";
import { createConsoleState, type ConsoleState } from "./state.js";

export const CONSOLE_BASE = "/console";

export interface FeishuLogin {
  appId: string;
  appSecret: string;
  /** Open platform origin: authorize page, token and user info (FEISHU_DOMAIN). */
  domain: string;
}

export interface DingTalkLogin {
  clientId: string;
  clientSecret: string;
  apiBase: string;
  loginBase: string;
  oapiBase: string;
  corpId?: string;
}

export interface ConsoleSettings {
  /** Base URL for OAuth redirects; the request's origin when unset. */
  publicUrl?: string;
  adminToken?: string;
  feishu?: FeishuLogin;
  dingtalk?: DingTalkLogin;
  /** Client address and https, from the runtime's peer and the trusted proxies. */
  client: ClientSettings;
  /** The cookie key and the session cache of this process / isolate. */
  state: ConsoleState;
  /** Excel export; absent on runtimes that cannot run exceljs (the Worker). */
  xlsx?: XlsxWriter;
}

const trim = (u: string) => u.replace(/\/+$/, "");

export function consoleSettings(env: Env, opts: { publicUrl?: string; xlsx?: XlsxWriter; peer?: PeerAddress; state?: ConsoleState } = {}): ConsoleSettings {
  const publicUrl = opts.publicUrl ? trim(opts.publicUrl) : undefined;
  return {
    publicUrl,
    adminToken: env.CHATDESK_ADMIN_TOKEN,
    feishu:
      env.FEISHU_APP_ID && env.FEISHU_APP_SECRET ? { appId: env.FEISHU_APP_ID, appSecret: env.FEISHU_APP_SECRET, domain: trim(env.FEISHU_DOMAIN) } : undefined,
    dingtalk:
      env.DINGTALK_CLIENT_ID && env.DINGTALK_CLIENT_SECRET
        ? {
            clientId: env.DINGTALK_CLIENT_ID,
            clientSecret: env.DINGTALK_CLIENT_SECRET,
            apiBase: trim(env.DINGTALK_API_BASE),
            loginBase: trim(env.DINGTALK_LOGIN_BASE),
            oapiBase: trim(env.DINGTALK_OAPI_BASE),
            corpId: env.DINGTALK_CORP_ID,
          }
        : undefined,
    client: { publicUrl, trusted: ipMatcher(env.CHATDESK_TRUSTED_PROXIES), peer: opts.peer },
    // The Worker composes per request and passes its isolate's state; Node makes one per server.
    state: opts.state ?? createConsoleState(env.CHATDESK_SESSION_SECRET),
    xlsx: opts.xlsx,
  };
}
