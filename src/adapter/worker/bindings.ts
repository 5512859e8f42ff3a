// What Cloudflare hands the Worker: the D1 binding plus vars/secrets named like the Node env.
// Parsed once per isolate into the same Env and WorkflowConfig the Node server uses.
import type { PrismaD1 } from "@prisma/adapter-d1";
import { parseEnv, type Env } from "../../config/env.js";
import { parseWorkflowConfig, parseWorkflowConfigText } from "../../config/load.js";
import type { WorkflowConfig } from "../../config/schema.js";
import { ChatDeskError } from "../../core/errors.js";
import type { R2BucketBinding } from "./attachment-r2.js";

/** The D1 binding, typed by what the Prisma adapter accepts (keeps workers-types out of the global scope). */
export type D1Binding = ConstructorParameters<typeof PrismaD1>[0];

/** The slice of Cloudflare's ExecutionContext we use. */
export interface WorkerExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

/** The slice of Cloudflare's ScheduledController we use. */
export interface WorkerScheduledController {
  scheduledTime: number;
  cron: string;
}

export interface WorkerBindings {
  DB: D1Binding;
  /** R2 bucket for downloaded attachments (wrangler.toml [[r2_buckets]]); without it downloads fail and say so. */
  ATTACHMENTS?: R2BucketBinding;
  /**
   * The workflow config (the Worker has no file system for CHATDESK_CONFIG): JSON text from a var or
   * secret, or an object from a `[vars.CHATDESK_CONFIG_JSON]` table in wrangler.toml.
   */
  CHATDESK_CONFIG_JSON?: string | Record<string, unknown>;
  [name: string]: unknown;
}

/** Only string bindings are env vars / secrets; D1, KV and JSON vars are objects. */
export function workerEnv(bindings: WorkerBindings): Env {
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(bindings)) if (typeof v === "string" && k !== "CHATDESK_CONFIG_JSON") vars[k] = v;
  const env = parseEnv(vars);
  if (env.CHATDESK_CONFIG) {
    throw new ChatDeskError("CONFIG_INVALID", "CHATDESK_CONFIG names a file, which a Worker cannot read: put the JSON itself in CHATDESK_CONFIG_JSON");
  }
  // Long connections need a process that stays up; a Worker only receives webhooks.
  if (env.FEISHU_MODE === "ws") throw new ChatDeskError("CONFIG_INVALID", "FEISHU_MODE=ws needs the Node server; on Workers use FEISHU_MODE=webhook");
  if (env.DINGTALK_MODE === "stream") throw new ChatDeskError("CONFIG_INVALID", "DINGTALK_MODE=stream needs the Node server; on Workers use DINGTALK_MODE=http");
  return env;
}

export function workerConfig(bindings: WorkerBindings): WorkflowConfig {
  const value = bindings.CHATDESK_CONFIG_JSON;
  if (typeof value === "string") {
    return value.trim() === "" ? parseWorkflowConfig({}, "default config") : parseWorkflowConfigText(value, "CHATDESK_CONFIG_JSON");
  }
  if (value === undefined) return parseWorkflowConfig({}, "default config");
  return parseWorkflowConfig(value, "CHATDESK_CONFIG_JSON");
}
