// The Node server: embedded SQLite (created and migrated on start), HTTP on PORT, background loops
// (inbound recovery, outbox retries, scheduler), and the long-connection modes.
import path from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono } from "hono";
import type { AppContext } from "../../app/context.js";
import { calendarUpkeep } from "../../app/calendar/upkeep.js";
import { dingtalkSettings, feishuSettings, parseEnv, type Env } from "../../config/env.js";
import type { WorkflowConfig } from "../../config/schema.js";
import type { Clock } from "../../core/types.js";
import { createLogger, type Logger } from "../../log.js";
import type { ChatPlatform, ChatSender } from "../../platform/port.js";
import { createRuntime } from "./node-composition.js";
import { registerCardCallbackOnStart } from "../dingtalk/card-callback.js";
import type { Db } from "../../store/db.js";
import type { EventSink } from "../../platform/sink.js";
import { loadWorkflowConfig } from "./config-file.js";
import { createSqliteDb } from "./db.js";
import { migrateSqlite, readMigrations } from "./migrate.js";
import { sqlitePath } from "./sqlite-path.js";
import { startNodeScheduler } from "../../scheduler/node-cron.js";
import { revokeSessionsOfRemovedPeople } from "../../store/console-sessions.js";
import { probeRoutes, type LifecycleState } from "../../http/health.js";
import { besideEnv, listenHost, playgroundMode } from "../../playground/mode.js";
import type { Playground } from "../../playground/node.js";
import { createSharedClock, type SharedClock } from "./clock.js";
import { projectRoot } from "./project-root.js";
import { deferrals, startBackgroundLoops, type Defer, type Stop } from "./background.js";
import { ackPriority, ackPriorityBuffer } from "./ack-priority.js";
import { createNodeInbox } from "./inbox.js";
import { startProcessingWorker } from "./processing.js";

export const MIGRATIONS_DIR = path.join(projectRoot(), "prisma/migrations");

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
  /** The bot's clock, shared with the processing worker (tests pin it); ignored when `now` is given. */
  sharedClock?: SharedClock;
  /** Called once HTTP answers and before the database is migrated (tests watch start-up through it). */
  onListening?: (url: string) => Promise<void> | void;
}

export interface NodeServer {
  url: string;
  port: number;
  env: Env;
  ctx: AppContext;
  /** The bot's clock (moved by the playground); undefined when the caller passed `now`. */
  clock?: SharedClock;
  /** CHATDESK_PLAYGROUND=1 beside real credentials: the sandboxed second bot. */
  playground?: NodeServer;
  app: Hono;
  db: Db;
  /** Where events are processed (CHATDESK_PROCESSING, or inline when it cannot be a worker thread). */
  processing: "worker" | "inline";
  /** Wait for the work deferred so far (processing after ack, outbox kicks), the worker's included. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** One-off work after start-up, deferred so that it never holds up listening. */
function startUpChores(env: Env, ctx: AppContext, defer: Defer): void {
  const { config, db, log } = ctx;
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

  // People removed from the workflow file lose their console sessions now, not at their next request.
  defer(async () => {
    const revoked = await revokeSessionsOfRemovedPeople(db, config.people.map((p) => p.id), ctx.now());
    if (revoked) log.info("console sessions revoked", { revoked, why: "removed from the workflow file" });
  });
}

export async function startNodeServer(opts: NodeServerOptions = {}): Promise<NodeServer> {
  const source = opts.env ?? process.env;
  const mode = playgroundMode(parseEnv(source));
  // Listen first, so /livez answers and /readyz says why not while the database is being migrated, and
  // so a playground knows its own URL (PORT=0 included) for its peers.
  const lifecycle: LifecycleState = { phase: "starting" };
  const http = await listen(parseEnv(source), lifecycle, mode === "only");
  const clock = opts.now ? undefined : (opts.sharedClock ?? createSharedClock());
  let prepared: Prepared;
  try {
    prepared = await prepare(opts, source, mode === "only", http.url, lifecycle, clock);
  } catch (e) {
    await http.close();
    throw e;
  }
  const { pg, env, log, config, file } = prepared;
  const db = createSqliteDb(file);
  // beside: a second, sandboxed bot with its own database and clock; this one stays as configured.
  const sandbox = mode === "beside" ? await startNodeServer({ env: besideEnv(source, file), log: log.child({ instance: "playground" }), pollMs: opts.pollMs, scheduler: opts.scheduler }) : undefined;

  const { defer, idle } = deferrals(log);

  const extend = (a: Hono, c: AppContext) => {
    pg?.mount(a, c);
    if (sandbox) a.get("/playground", (x) => x.redirect(`${sandbox.url}/playground`, 302));
    opts.extend?.(a, c);
  };
  // The TCP peer: what the console throttles and logs (forwarded headers only from trusted proxies).
  const peerAddress = (c: Parameters<typeof getConnInfo>[0]) => getConnInfo(c).remote.address;
  const where = processingPlace(opts, env, clock, !!pg);
  const feishuClient = where.worker ? "fetch" : "sdk";
  const { ctx, sink, app } = createRuntime({ env, config, db, log, now: opts.now ?? clock?.now, defer, senders: opts.senders, extend, lifecycle, peerAddress, feishuClient });

  const stops: Stop[] = opts.longConnections !== false ? await startLongConnections(env, ctx, sink) : [];

  startUpChores(env, ctx, defer);
  const processing = startProcessing({ opts, source, env, config, file, ctx, defer, clock, where });
  stops.unshift(processing.stop);

  http.serve(app);
  lifecycle.phase = "serving";
  log.info("chatdesk listening", { host: http.host, port: http.port, database: file });
  logPlayground(log, http.host, pg ? env.PUBLIC_URL : undefined, sandbox?.url);

  return {
    url: http.url,
    port: http.port,
    env,
    ctx,
    clock,
    playground: sandbox,
    app,
    db,
    processing: processing.mode,
    async idle() {
      // The worker's work can hand nothing back, and this thread's can hand work to the worker.
      await idle();
      await processing.idle();
      await idle();
    },
    async close() {
      lifecycle.phase = "stopping";
      for (const stop of stops) await stop();
      pg?.close(); // answers the page's long polls, which would hold the listener open
      await http.close();
      await idle();
      await processing.close();
      await sandbox?.close();
      await db.$disconnect();
    },
  };
}

interface ProcessingInput {
  opts: NodeServerOptions;
  source: Record<string, string | undefined>;
  env: Env;
  config: WorkflowConfig;
  file: string;
  ctx: AppContext;
  defer: Defer;
  clock: SharedClock | undefined;
  where: ProcessingPlace;
}

/** Where processing runs, decided before the runtime is built (the HTTP thread's Feishu client depends on it). */
interface ProcessingPlace {
  worker: boolean;
  /** Why it runs inline though CHATDESK_PROCESSING asks for the worker (logged). */
  inlineBecause?: string;
}

interface Processing {
  mode: "worker" | "inline";
  /** Stops the timers and the scheduler (first thing on shutdown). */
  stop: Stop;
  idle(): Promise<void>;
  /** After the HTTP thread's own work: the worker finishes and closes its connection. */
  close(): Promise<void>;
}

/**
 * Where events are processed, the outbox delivered and the scheduler run: a worker thread
 * (CHATDESK_PROCESSING=worker), or this thread. Inline when the work cannot cross to a thread: a clock
 * or senders given as functions (tests), and the playground (the page talks to the bot's context).
 */
function processingPlace(opts: NodeServerOptions, env: Env, clock: SharedClock | undefined, playground: boolean): ProcessingPlace {
  const inlineBecause = env.CHATDESK_PROCESSING === "inline" ? undefined : playground ? "playground" : !clock ? "a clock function" : opts.senders ? "senders given in-process" : undefined;
  return { worker: env.CHATDESK_PROCESSING === "worker" && !inlineBecause && !!clock, inlineBecause };
}

function startProcessing(p: ProcessingInput): Processing {
  const { opts, ctx, defer, clock } = p;
  const pollMs = opts.pollMs ?? 2_000;
  const scheduler = opts.scheduler !== false;
  const { inlineBecause } = p.where;
  if (p.where.worker && clock) {
    const ackBuffer = ackPriorityBuffer();
    const worker = startProcessingWorker({ env: { ...p.source }, config: p.config, file: p.file, pollMs, scheduler, clockBuffer: clock.buffer, ackBuffer }, ctx.log);
    const inbox = createNodeInbox(p.file, ackPriority(ackBuffer));
    ctx.offload = worker.offload;
    ctx.inbox = inbox;
    ctx.log.info("processing on a worker thread", { pollMs, scheduler });
    return {
      mode: "worker",
      stop: () => {},
      idle: () => worker.idle(),
      close: async () => {
        await worker.stop();
        inbox.close();
      },
    };
  }
  if (inlineBecause) ctx.log.info("processing inline", { why: inlineBecause });
  const stops: Stop[] = [startBackgroundLoops(ctx, defer, pollMs)];
  if (scheduler) {
    const s = startNodeScheduler(ctx, p.config.schedule);
    stops.push(() => s.stop());
  }
  return {
    mode: "inline",
    stop: async () => {
      for (const s of stops) await s();
    },
    idle: async () => {},
    close: async () => {},
  };
}

/** FEISHU_MODE=ws and DINGTALK_MODE=stream: the long connections, loaded only when configured. */
async function startLongConnections(env: Env, ctx: AppContext, sink: EventSink): Promise<Stop[]> {
  const { log } = ctx;
  const stops: Stop[] = [];
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
  return stops;
}

interface Prepared {
  pg?: Playground;
  env: Env;
  log: Logger;
  config: WorkflowConfig;
  file: string;
}

/** Settings (the playground's sandbox when it runs alone), then the migrated database, behind the start-up gate. */
async function prepare(opts: NodeServerOptions, source: Record<string, string | undefined>, playgroundOnly: boolean, url: string, lifecycle: LifecycleState, clock: SharedClock | undefined): Promise<Prepared> {
  let pg: Playground | undefined;
  if (playgroundOnly) {
    const { createPlayground } = await import("../../playground/node.js");
    pg = createPlayground({ source, origin: source.PUBLIC_URL?.trim().replace(/\/+$/, "") || url, clock: clock ?? createSharedClock(), stateFile: playgroundStateFile });
  }
  const env = parseEnv(pg ? pg.env : source);
  const log = opts.log ?? createLogger(env.LOG_LEVEL, { service: "chatdesk" });
  const config = pg ? pg.workflow(opts.config, loadWorkflowConfig) : (opts.config ?? loadWorkflowConfig(env.CHATDESK_CONFIG));
  const file = sqlitePath(env.DATABASE_URL);
  lifecycle.phase = "migrating";
  await opts.onListening?.(url);
  await new Promise((r) => setImmediate(r)); // let a waiting probe in before the (synchronous) migration
  const applied = migrateSqlite(file, readMigrations(MIGRATIONS_DIR));
  if (applied.length) log.info("database migrated", { file, applied });
  return { pg, env, log, config, file };
}

function logPlayground(log: Logger, host: string, alone: string | undefined, beside: string | undefined): void {
  if (alone && !/^(127\.|::1$|localhost$)/.test(host)) log.warn("playground: listening beyond loopback (HOST); anyone who reaches it can sign in to its console as any persona", { host });
  if (alone) log.info(`playground: open ${alone}/playground (no platform credentials set, so Feishu and DingTalk are sandboxed on this machine)`, { url: `${alone}/playground` });
  if (beside) log.info(`playground: open ${beside}/playground (a sandboxed second bot beside the real one)`, { url: `${beside}/playground` });
}

interface Listener {
  host: string;
  port: number;
  /** Where a client on this machine reaches the server. */
  url: string;
  /** Hand the requests to the real app (until then a start-up gate answers). */
  serve(app: Hono): void;
  close(): Promise<void>;
}

/** The sandbox's chats beside its database file (none for :memory:). */
function playgroundStateFile(url: string): string | undefined {
  const file = sqlitePath(url);
  return file === ":memory:" ? undefined : `${file}.playground.json`;
}

/** HTTP on HOST:PORT with a start-up gate: probes answer, everything else is 503 + Retry-After. */
async function listen(env: Env, lifecycle: LifecycleState, playground = false): Promise<Listener> {
  const gate = new Hono();
  probeRoutes(gate, undefined, lifecycle);
  gate.all("*", (c) => {
    c.header("retry-after", "5");
    return c.json({ code: "STARTING", message: `chatdesk is ${lifecycle.phase}; try again shortly` }, 503);
  });
  // The node-server bindings (incoming/outgoing, for getConnInfo) travel on as the app's env.
  type Handler = (req: Request, bindings: unknown) => Response | Promise<Response>;
  let handler: Handler = (req, bindings) => gate.fetch(req, bindings);
  const host = listenHost(env.HOST, playground);
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: (req, bindings) => handler(req, bindings), port: env.PORT, hostname: host }, () => resolve(s));
    s.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  const local = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  return {
    host,
    port,
    url: `http://${local.includes(":") ? `[${local}]` : local}:${port}`,
    serve: (app) => (handler = (req, bindings) => app.fetch(req, bindings)),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
