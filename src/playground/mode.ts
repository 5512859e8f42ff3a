// When the playground runs, where the server listens, and the environment of a sandboxed bot: generated
// platform credentials and FEISHU_DOMAIN / DINGTALK_API_BASE pointed at the in-process peers.
import path from "node:path";
import { dingtalkSettings, feishuSettings, type Env } from "../config/env.js";

/**
 * off: a normal server. only: no platform credentials (or CHATDESK_PLAYGROUND=1 without them): this
 * server's bot talks to the sandbox peers. beside: CHATDESK_PLAYGROUND=1 next to real credentials: the
 * real bot is untouched and a second, sandboxed bot with its own database and clock serves /playground.
 */
export type PlaygroundMode = "off" | "only" | "beside";

export function playgroundMode(env: Env): PlaygroundMode {
  const flag = env.CHATDESK_PLAYGROUND;
  const real = Boolean(feishuSettings(env) || dingtalkSettings(env));
  if (flag === "0" || flag === "false") return "off";
  if (flag === "1" || flag === "true") return real ? "beside" : "only";
  return real ? "off" : "only";
}

/** HOST wins; otherwise a playground listens on loopback only (it signs anyone in), a server on all interfaces. */
export function listenHost(host: string | undefined, playground: boolean): string {
  return host?.trim() || (playground ? "127.0.0.1" : "0.0.0.0");
}

export const PEER_BASE = "/playground/peer";

export interface SandboxCredentials {
  feishu: { appId: string; appSecret: string; verificationToken: string; encryptKey: string; botOpenId: string; tenantKey: string };
  dingtalk: { clientId: string; clientSecret: string; robotCode: string; cardTemplateId: string; corpId: string; botUserId: string };
  sessionSecret: string;
}

const hex = (bytes: number) => Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");

/** Fresh per process: both sides live in it, so nothing needs to outlive it. */
export function generateCredentials(): SandboxCredentials {
  return {
    feishu: {
      appId: `cli_pg${hex(7)}`,
      appSecret: hex(16),
      verificationToken: hex(12),
      encryptKey: hex(16),
      botOpenId: `ou_pgbot${hex(12)}`,
      tenantKey: `pg_tenant_${hex(4)}`,
    },
    dingtalk: {
      clientId: `dingpg${hex(8)}`,
      clientSecret: hex(24),
      robotCode: `dingpg${hex(8)}`,
      cardTemplateId: `pg-${hex(6)}.schema`,
      corpId: `dingpgcorp${hex(4)}`,
      botUserId: `$:LWCP_v1:$pg${hex(8)}`,
    },
    sessionSecret: hex(32),
  };
}

const PLATFORM_VARS = /^(FEISHU_|DINGTALK_)/;

/**
 * The environment of the sandboxed bot: the source's settings without any real platform variable, the
 * sandbox's credentials and peers, its own console secret, and (unless DATABASE_URL says otherwise)
 * data/playground.db, so demo tickets never mix with a real deployment's.
 */
export function sandboxEnv(source: Record<string, string | undefined>, creds: SandboxCredentials, origin: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(source)) if (!PLATFORM_VARS.test(k)) out[k] = v;
  const peer = `${origin}${PEER_BASE}`;
  return {
    ...out,
    DATABASE_URL: source.DATABASE_URL || "file:./data/playground.db",
    PUBLIC_URL: origin,
    CHATDESK_SESSION_SECRET: creds.sessionSecret,
    CHATDESK_ADMIN_TOKEN: undefined,
    FEISHU_APP_ID: creds.feishu.appId,
    FEISHU_APP_SECRET: creds.feishu.appSecret,
    FEISHU_VERIFICATION_TOKEN: creds.feishu.verificationToken,
    FEISHU_ENCRYPT_KEY: creds.feishu.encryptKey,
    FEISHU_DOMAIN: `${peer}/feishu`,
    FEISHU_MODE: "webhook",
    DINGTALK_CLIENT_ID: creds.dingtalk.clientId,
    DINGTALK_CLIENT_SECRET: creds.dingtalk.clientSecret,
    DINGTALK_ROBOT_CODE: creds.dingtalk.robotCode,
    DINGTALK_API_BASE: `${peer}/dingtalk`,
    DINGTALK_LOGIN_BASE: `${peer}/dingtalk`,
    DINGTALK_OAPI_BASE: `${peer}/dingtalk`,
    DINGTALK_CORP_ID: creds.dingtalk.corpId,
    DINGTALK_MODE: "http",
  };
}

/** beside: the second bot's environment, derived from the real one (its database sits next to the real one's). */
export function besideEnv(source: Record<string, string | undefined>, mainDbFile: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(source)) if (!PLATFORM_VARS.test(k)) out[k] = v;
  const dir = mainDbFile === ":memory:" ? undefined : path.dirname(mainDbFile);
  return {
    ...out,
    CHATDESK_PLAYGROUND: "1",
    PORT: "0",
    HOST: "127.0.0.1",
    PUBLIC_URL: undefined,
    CHATDESK_SESSION_SECRET: undefined,
    CHATDESK_ADMIN_TOKEN: undefined,
    DATABASE_URL: dir ? `file:${path.join(dir, "playground.db")}` : ":memory:",
  };
}
