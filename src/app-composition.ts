// Composition shared by the Node server and the Worker: context, senders, sink, HTTP app.
// Runtime-specific parts (database driver, long connections, timers, the Feishu sender) are passed
// in, so this module never pulls a Node-only SDK into the Worker bundle. Node calls createRuntime
// (src/adapter/node/node-composition.ts), the Worker calls composeRuntime with a fetch-based Feishu sender.
import type { Hono } from "hono";
import type { AppContext } from "./app/context.js";
import type { AttachmentStorage } from "./app/attachments/storage.js";
import { createEventSink, isStoredMessage } from "./app/inbound.js";
import { dingtalkSettings, feishuSettings, type Env, type FeishuSettings } from "./config/env.js";
import type { WorkflowConfig } from "./config/schema.js";
import { createLiveCalendar, type LiveCalendar } from "./app/calendar/live.js";
import type { Clock } from "./core/types.js";
import { createHttpApp } from "./http/app.js";
import type { Logger } from "./log.js";
import type { ChatPlatform, ChatSender } from "./platform/port.js";
import type { EventSink } from "./platform/sink.js";
import type { Db } from "./store/db.js";
import { botOpenIdOf } from "./adapter/feishu/bot-identity.js";
import { feishuRoutes } from "./adapter/feishu/routes.js";
import { dingtalkRoutes } from "./adapter/dingtalk/routes.js";
import { createDingTalkSender } from "./adapter/dingtalk/sender.js";
import { createConsole } from "./console/app.js";
import { consoleSettings } from "./console/settings.js";
import type { XlsxWriter } from "./console/export/xlsx.js";
import { xlsxWriter } from "./console/export/xlsx-writer.js";
import type { PeerAddress } from "./console/client.js";
import type { ConsoleState } from "./console/state.js";
import { firstUseOfSignature } from "./store/used-signatures.js";
import type { LifecycleState } from "./http/health.js";
import { announceBlocked } from "./scheduler/blocked.js";

export interface RuntimeInput {
  env: Env;
  config: WorkflowConfig;
  db: Db;
  log: Logger;
  now?: Clock;
  defer: (task: () => Promise<void>) => void;
  /** Tests may replace the senders (e.g. to point a second one elsewhere); defaults are built from env. */
  senders?: Partial<Record<ChatPlatform, ChatSender>>;
  extend?: (app: Hono, ctx: AppContext) => void;
  /** Excel export for the console (default: write-excel-file, on both runtimes). */
  xlsx?: XlsxWriter;
  /** The run-time calendar, kept across compositions (the Worker composes per invocation, once per isolate this). */
  calendarData?: LiveCalendar;
  /** The direct peer of a request as the runtime knows it (Node: the TCP peer; Worker: CF-Connecting-IP). */
  peerAddress?: PeerAddress;
  /** Console state that outlives one composition (the Worker composes per request); Node lets it be made here. */
  console?: ConsoleState;
  /** Where downloaded attachments go (Node: the data folder; Worker: the R2 binding). */
  attachments?: AttachmentStorage;
  /** Start-up / shutdown phase for /readyz (Node); a Worker is always serving. */
  lifecycle?: LifecycleState;
}

export interface Runtime {
  ctx: AppContext;
  sink: EventSink;
  app: Hono;
}

/** How each runtime talks to Feishu: the official SDK on Node, plain fetch on Workers. */
export interface SenderFactories {
  feishu: (settings: FeishuSettings) => ChatSender;
}

export function composeRuntime(input: RuntimeInput, factories: SenderFactories): Runtime {
  const { env, config, log } = input;
  const feishu = feishuSettings(env);
  const dingtalk = dingtalkSettings(env);
  const senders: Partial<Record<ChatPlatform, ChatSender>> = input.senders ?? {
    ...(feishu ? { feishu: factories.feishu(feishu) } : {}),
    // The bot's clock also judges session webhook expiry (real time in production; tests and the playground move it).
    ...(dingtalk ? { dingtalk: createDingTalkSender(dingtalk, { cardTemplateId: config.dingtalk.cardTemplateId, now: input.now ? () => input.now!().getTime() : undefined }) } : {}),
  };
  const calendarData = input.calendarData ?? createLiveCalendar(config.calendar, log);
  const ctx: AppContext = {
    db: input.db,
    config,
    calendar: calendarData.view,
    calendarData,
    now: input.now ?? (() => new Date()),
    log,
    senders,
    attachments: input.attachments,
    defer: input.defer,
    publicUrl: env.PUBLIC_URL ?? config.publicUrl,
  };
  ctx.onBlocked = (ticket) => announceBlocked(ctx, ticket);
  const sink = createEventSink(ctx);
  const plog = (platform: string) => (obj: Record<string, unknown>) => log.info(String(obj.msg ?? `${platform} event`), { platform, ...obj });
  const app = createHttpApp({
    ctx,
    sink,
    bodyLimit: env.BODY_LIMIT,
    lifecycle: input.lifecycle,
    feishu: feishu ? feishuRoutes(feishu, sink, plog("feishu"), { botOpenId: botOpenIdOf(senders.feishu, { log: plog("feishu") }) }) : undefined,
    dingtalk: dingtalk ? dingtalkRoutes(dingtalk, sink, plog("dingtalk"), {
          replay: (key, until, now) => (ctx.inbox ? ctx.inbox.claimSignature(key, until, now) : firstUseOfSignature(ctx.db, key, until, now)),
          knownMessage: isStoredMessage(ctx),
        }) : undefined,
    extend: (a) => {
      const settings = consoleSettings(env, { publicUrl: ctx.publicUrl, xlsx: input.xlsx ?? xlsxWriter, peer: input.peerAddress, state: input.console });
      a.route("/console", createConsole(ctx, settings));
      input.extend?.(a, ctx);
    },
  });
  return { ctx, sink, app };
}
