// What the console needs from the environment: how people sign in and the key that signs cookies.
import type { Env } from "../config/env.js";
import { deriveSecret, hmacSigner, type Signer } from "./crypto.js";
import type { XlsxWriter } from "./export/xlsx.js";

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
  /** Signs session, state and CSRF values; undefined = the console cannot sign anyone in. */
  signer?: Promise<Signer>;
  /** Excel export; without it the console answers Excel downloads with 501. */
  xlsx?: XlsxWriter;
}

const trim = (u: string) => u.replace(/\/+$/, "");

export function consoleSettings(env: Env, opts: { publicUrl?: string; xlsx?: XlsxWriter } = {}): ConsoleSettings {
  // An explicit secret wins; otherwise one derived from the admin token, so a single variable is
  // enough for a first set-up. Without either there is nothing to sign sessions with.
  const secret = env.CHATDESK_SESSION_SECRET;
  const signer = secret
    ? Promise.resolve(hmacSigner(secret))
    : env.CHATDESK_ADMIN_TOKEN
      ? deriveSecret(env.CHATDESK_ADMIN_TOKEN, "console-session").then(hmacSigner)
      : undefined;
  return {
    publicUrl: opts.publicUrl ? trim(opts.publicUrl) : undefined,
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
    signer,
    xlsx: opts.xlsx,
  };
}
