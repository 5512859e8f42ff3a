// Environment, parsed once at the edge (Node main or Worker fetch) with zod.
import { z } from "zod";
import { ChatDeskError } from "../core/errors.js";
import { ipMatcher } from "../http/ip.js";

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Listen address. Unset: 0.0.0.0 (all interfaces), 127.0.0.1 in playground mode; 127.0.0.1 keeps the server to this machine. */
  HOST: optional,
  /** Longest a graceful shutdown (SIGTERM/SIGINT) may take before the process exits anyway, ms. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(8_000),
  DATABASE_URL: z.string().default("file:./data/chatdesk.db"),
  CHATDESK_CONFIG: optional,
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /**
   * Node: where inbound events are processed and the outbox delivered — `worker` (a worker thread with its
   * own database connection, so the HTTP loop only verifies, stores and answers) or `inline` (on the HTTP
   * event loop, after the answer). The playground always runs inline.
   */
  CHATDESK_PROCESSING: z.enum(["worker", "inline"]).default("worker"),
  /** Largest accepted webhook body, bytes. */
  BODY_LIMIT: z.coerce.number().int().min(1024).default(1024 * 1024),
  /** Public base URL of this server, used for links in cards (console pages). */
  PUBLIC_URL: optional,
  FEISHU_APP_ID: optional,
  FEISHU_APP_SECRET: optional,
  FEISHU_VERIFICATION_TOKEN: optional,
  FEISHU_ENCRYPT_KEY: optional,
  FEISHU_DOMAIN: z.string().url().default("https://open.feishu.cn"),
  FEISHU_MODE: z.enum(["webhook", "ws"]).default("webhook"),
  DINGTALK_CLIENT_ID: optional,
  DINGTALK_CLIENT_SECRET: optional,
  DINGTALK_ROBOT_CODE: optional,
  DINGTALK_API_BASE: z.string().url().default("https://api.dingtalk.com"),
  DINGTALK_MODE: z.enum(["http", "stream"]).default("http"),
  /** Override of the Stream gateway endpoint (tests point it at a fake). */
  DINGTALK_STREAM_GATEWAY: optional,
  /** DingTalk's login page host (web OAuth) and old-style API host (unionId → userId, in-app 免登). */
  DINGTALK_LOGIN_BASE: z.string().url().default("https://login.dingtalk.com"),
  DINGTALK_OAPI_BASE: z.string().url().default("https://oapi.dingtalk.com"),
  /** Organisation id for in-app 免登 when the app's homepage URL does not pass ?corpId=$CORPID$. */
  DINGTALK_CORP_ID: optional,
  /** Web console: admin token for first set-up, and the key that signs session cookies. */
  CHATDESK_ADMIN_TOKEN: optional.refine((v) => v === undefined || v.length >= 16, "must be at least 16 characters"),
  CHATDESK_SESSION_SECRET: optional.refine((v) => v === undefined || v.length >= 32, "must be at least 32 characters"),
  /** Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed: IPs or CIDR ranges, comma-separated. */
  CHATDESK_TRUSTED_PROXIES: optional.refine((v) => {
    try {
      ipMatcher(v);
      return true;
    } catch {
      return false;
    }
  }, "must be a comma-separated list of IP addresses or CIDR ranges (e.g. 127.0.0.1,10.0.0.0/8)"),
  /** Local sandbox of both platforms at /playground: 1 = on, 0 = off; unset = on only without platform credentials. */
  CHATDESK_PLAYGROUND: optional.refine((v) => v === undefined || ["0", "1", "true", "false"].includes(v), "must be 1 (on) or 0 (off)"),
});

export type Env = z.output<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const r = envSchema.safeParse(source);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new ChatDeskError("CONFIG_INVALID", `Invalid environment:\n${lines.join("\n")}`);
  }
  return r.data;
}

export interface FeishuSettings {
  appId: string;
  appSecret: string;
  verificationToken?: string;
  encryptKey?: string;
  domain: string;
  mode: "webhook" | "ws";
}

export interface DingTalkSettings {
  clientId: string;
  clientSecret: string;
  robotCode: string;
  apiBase: string;
  mode: "http" | "stream";
  streamGateway?: string;
}

export function feishuSettings(env: Env): FeishuSettings | undefined {
  if (!env.FEISHU_APP_ID || !env.FEISHU_APP_SECRET) return undefined;
  return {
    appId: env.FEISHU_APP_ID,
    appSecret: env.FEISHU_APP_SECRET,
    verificationToken: env.FEISHU_VERIFICATION_TOKEN,
    encryptKey: env.FEISHU_ENCRYPT_KEY,
    domain: env.FEISHU_DOMAIN.replace(/\/+$/, ""),
    mode: env.FEISHU_MODE,
  };
}

export function dingtalkSettings(env: Env): DingTalkSettings | undefined {
  if (!env.DINGTALK_CLIENT_ID || !env.DINGTALK_CLIENT_SECRET) return undefined;
  return {
    clientId: env.DINGTALK_CLIENT_ID,
    clientSecret: env.DINGTALK_CLIENT_SECRET,
    robotCode: env.DINGTALK_ROBOT_CODE ?? env.DINGTALK_CLIENT_ID,
    apiBase: env.DINGTALK_API_BASE.replace(/\/+$/, ""),
    mode: env.DINGTALK_MODE,
    streamGateway: env.DINGTALK_STREAM_GATEWAY,
  };
}
