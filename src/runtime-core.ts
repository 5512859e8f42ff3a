// Composition shared by the Node server and the Worker: context, senders, sink, HTTP app.
// Runtime-specific parts (database driver, long connections, timers, the Feishu sender) are passed
// in, so this module never pulls a Node-only SDK into the Worker bundle. Node calls createRuntime
// (src/runtime.ts), the Worker calls composeRuntime with a fetch-based Feishu sender.
import type { Hono } from "hono";
import type { AppContext } from "./app/context.js";
import { createEventSink } from "./app/inbound.js";
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
  /** Excel export for the console; Node passes exceljs, the Worker has none (its console answers 501). */
  xlsx?: XlsxWriter;
  /** The run-time calendar, kept across compositions (the Worker composes per invocation, once per isolate this). */
  calendarData?: LiveCalendar;
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
    ...(dingtalk ? { dingtalk: createDingTalkSender(dingtalk, { cardTemplateId: config.dingtalk.cardTemplateId }) } : {}),
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
    defer: input.defer,
    publicUrl: env.PUBLIC_URL ?? config.publicUrl,
  };
  const sink = createEventSink(ctx);
  const plog = (platform: string) => (obj: Record<string, unknown>) => log.info(String(obj.msg ?? `${platform} event`), { platform, ...obj });
  const app = createHttpApp({
    ctx,
    sink,
    bodyLimit: env.BODY_LIMIT,
    feishu: feishu ? feishuRoutes(feishu, sink, plog("feishu"), { botOpenId: botOpenIdOf(senders.feishu, { log: plog("feishu") }) }) : undefined,
    dingtalk: dingtalk ? dingtalkRoutes(dingtalk, sink, plog("dingtalk")) : undefined,
    extend: (a) => {
      a.route("/console", createConsole(ctx, consoleSettings(env, { publicUrl: ctx.publicUrl, xlsx: input.xlsx })));
      input.extend?.(a, ctx);
    },
  });
  return { ctx, sink, app };
}
