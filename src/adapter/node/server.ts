// The Node server: embedded SQLite (created and migrated on start), HTTP on PORT, background loops
// (inbound recovery, outbox retries, scheduler), and the long-connection modes.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serve, type ServerType } from "@hono/node-server";
import type { Hono } from "hono";
import type { AppContext } from "../../app/context.js";
import { calendarUpkeep } from "../../app/calendar/upkeep.js";
import { deliverDue } from "../../app/deliver.js";
import { processPendingInbound } from "../../app/inbound.js";
import { dingtalkSettings, feishuSettings, parseEnv, type Env } from "../../config/env.js";
import type { WorkflowConfig } from "../../config/schema.js";
import type { Clock } from "../../core/types.js";
import { createLogger, type Logger } from "../../log.js";
import type { ChatPlatform, ChatSender } from "../../platform/port.js";
import { createRuntime } from "../../runtime.js";
import { registerCardCallbackOnStart } from "../dingtalk/card-callback.js";
import type { Db } from "../../store/db.js";
import { loadWorkflowConfig } from "./config-file.js";
import { createSqliteDb } from "./db.js";
import { migrateSqlite, readMigrations } from "./migrate.js";
import { sqlitePath } from "./sqlite-path.js";
import { startNodeScheduler } from "../../scheduler/node-cron.js";

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../prisma/migrations");

export interface NodeServerOptions {
  /** Environment variables (defaults to process.env). */
  env?: Record<string, string | undefined>;
  /** Workflow config object instead of reading CHATDESK_CONFIG. */
  config?: WorkflowConfig;
  now?: Clock;
  log?: Logger;
  senders?: Partial<Record<ChatPlatform, ChatSender>>;
  /** Background loop period for retries and recovery; 0 disables it (tests drive it by hand). */
  pollMs?: number;
  /** Start long connections when FEISHU_MODE=ws / DINGTALK_MODE=stream (default true). */
  longConnections?: boolean;
  /** Run the scheduler (reminders, escalations, digests) on config.schedule with node-cron (default true). */
  scheduler?: boolean;
  extend?: (app: Hono, ctx: AppContext) => void;
}

export interface NodeServer {
  url: string;
  port: number;
  env: Env;
  ctx: AppContext;
  app: Hono;
  db: Db;
  /** Wait for the work deferred so far (processing after ack, outbox kicks). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startNodeServer(opts: NodeServerOptions = {}): Promise<NodeServer> {
  const env = parseEnv(opts.env ?? process.env);
  const log = opts.log ?? createLogger(env.LOG_LEVEL, { service: "chatdesk" });
  const config = opts.config ?? loadWorkflowConfig(env.CHATDESK_CONFIG);
  const file = sqlitePath(env.DATABASE_URL);
  const applied = migrateSqlite(file, readMigrations(MIGRATIONS_DIR));
  if (applied.length) log.info("database migrated", { file, applied });
  const db = createSqliteDb(file);

  // Work deferred past the response; tracked so shutdown (and tests) can wait for it.
  const pending = new Set<Promise<void>>();
  const defer = (task: () => Promise<void>) => {
    const p: Promise<void> = new Promise<void>((r) => setImmediate(r))
      .then(task)
      .catch((e) => log.error("deferred task failed", { error: e }))
      .finally(() => pending.delete(p));
    pending.add(p);
  };
  const idle = async () => {
    while (pending.size) await Promise.all([...pending]);
  };

  const { ctx, sink, app } = createRuntime({ env, config, db, log, now: opts.now, defer, senders: opts.senders, extend: opts.extend });

  const stops: (() => void | Promise<void>)[] = [];
  if (opts.longConnections !== false) {
    const feishu = feishuSettings(env);
    if (feishu?.mode === "ws") {
      const [{ startFeishuWs }, { botOpenIdOf }] = await Promise.all([import("../feishu/ws.js"), import("../feishu/bot-identity.js")]);
      stops.push(startFeishuWs(feishu, sink, (o) => log.info(String(o.msg ?? "feishu ws"), o), { botOpenId: botOpenIdOf(ctx.senders.feishu) }));
      log.info("feishu long connection started");
    }
    const dingtalk = dingtalkSettings(env);
    if (dingtalk?.mode === "stream") {
      const { startDingTalkStream } = await import("../dingtalk/stream.js");
      stops.push(await startDingTalkStream(dingtalk, sink, (o) => log.info(String(o.msg ?? "dingtalk stream"), o)));
      log.info("dingtalk stream started");
    }
  }

  // DingTalk HTTP mode: card clicks arrive only at a registered callback URL (never fatal, see the helper).
  const dingtalkHttp = dingtalkSettings(env);
  if (dingtalkHttp?.mode === "http") {
    defer(async () => {
      await registerCardCallbackOnStart(dingtalkHttp, { publicUrl: ctx.publicUrl, cardTemplateId: config.dingtalk.cardTemplateId, log });
    });
  }

  // Holiday feeds at start (then once a day in the tick), and the deadlines of a calendar that changed
  // while this process was down (a package update, another process's edit).
  defer(async () => {
    await calendarUpkeep(ctx, ctx.now(), { force: true });
  });

  // Recover what a crash left behind, then keep retrying on a short period.
  defer(async () => {
    await processPendingInbound(ctx);
    await deliverDue(ctx);
  });
  const pollMs = opts.pollMs ?? 2_000;
  let polling = false;
  const poll = () => {
    if (polling) return;
    polling = true;
    Promise.all([processPendingInbound(ctx), deliverDue(ctx)])
      .catch((e) => log.error("background loop failed", { error: e }))
      .finally(() => (polling = false));
  };
  const timer = pollMs > 0 ? setInterval(poll, pollMs) : undefined;
  timer?.unref();
  // A busy chat's messages wait for the end of its rate window; run the outbox then rather than at the
  // next poll, or one chat gets only about one window's worth per poll.
  let wake: { at: number; timer: NodeJS.Timeout } | undefined;
  if (pollMs > 0) {
    ctx.wakeAt = (at) => {
      const due = at.getTime();
      if (wake && wake.at <= due) return;
      if (wake) clearTimeout(wake.timer);
      const t = setTimeout(() => {
        wake = undefined;
        defer(() => deliverDue(ctx).then(() => undefined));
      }, Math.max(0, due - ctx.now().getTime()) + 5);
      t.unref();
      wake = { at: due, timer: t };
    };
  }
  if (opts.scheduler !== false) {
    const scheduler = startNodeScheduler(ctx, config.schedule);
    stops.push(() => scheduler.stop());
  }

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: env.PORT, hostname: "0.0.0.0" }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  log.info("chatdesk listening", { port, database: file });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    env,
    ctx,
    app,
    db,
    idle,
    async close() {
      if (timer) clearInterval(timer);
      if (wake) clearTimeout(wake.timer);
      ctx.wakeAt = undefined;
      for (const stop of stops) await stop();
      await new Promise<void>((r) => server.close(() => r()));
      await idle();
      await db.$disconnect();
    },
  };
}
