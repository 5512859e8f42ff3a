// Cloudflare Worker entry: the same core, app and store as the Node server, on D1, webhook modes only.
// fetch: verify + store + ack, then process with waitUntil. scheduled (cron): the recovery sweep,
// outbox retries and the scheduler tick that Node runs on timers.
import { createFeishuFetchSender } from "../feishu/fetch-sender.js";
import { createDingTalkSender } from "../dingtalk/sender.js";
import { dingtalkSettings, feishuSettings, type Env } from "../../config/env.js";
import type { WorkflowConfig } from "../../config/schema.js";
import { isChatDeskError } from "../../core/errors.js";
import { createLogger, type Logger } from "../../log.js";
import type { ChatPlatform, ChatSender } from "../../platform/port.js";
import { composeRuntime, type Runtime } from "../../app-composition.js";
import { createLiveCalendar, type LiveCalendar } from "../../app/calendar/live.js";
import { createConsoleState, type ConsoleState } from "../../console/state.js";
import { revokeSessionsOfRemovedPeople } from "../../store/console-sessions.js";
import { workerConfig, workerEnv, type WorkerBindings, type WorkerExecutionContext, type WorkerScheduledController } from "./bindings.js";
import { attachmentR2 } from "./attachment-r2.js";
import { createD1Db } from "./db.js";
import { ensureDingTalkCardCallback } from "./dingtalk-callback.js";
import { runScheduled } from "./scheduled.js";

/** What lives as long as the isolate: parsed settings and the senders, whose token caches save a call per request. */
interface IsolateState {
  bindings: WorkerBindings;
  env: Env;
  config: WorkflowConfig;
  log: Logger;
  senders: Partial<Record<ChatPlatform, ChatSender>>;
  /** The calendar built from D1 data, re-read only when its version there moves (any isolate's edit). */
  calendarData: LiveCalendar;
  /** The console's cookie key (read from D1 once) and session cache. */
  console: ConsoleState;
}

let isolate: IsolateState | undefined;

function isolateState(bindings: WorkerBindings): IsolateState {
  // env is one object per isolate in practice; a different one (tests, redeploys) starts over.
  if (isolate?.bindings === bindings) return isolate;
  const env = workerEnv(bindings);
  const config = workerConfig(bindings);
  const log = createLogger(env.LOG_LEVEL, { service: "chatdesk", runtime: "worker" });
  const feishu = feishuSettings(env);
  const dingtalk = dingtalkSettings(env);
  const senders: Partial<Record<ChatPlatform, ChatSender>> = {
    ...(feishu ? { feishu: createFeishuFetchSender(feishu) } : {}),
    ...(dingtalk ? { dingtalk: createDingTalkSender(dingtalk, { cardTemplateId: config.dingtalk.cardTemplateId }) } : {}),
  };
  isolate = { bindings, env, config, log, senders, console: createConsoleState(env.CHATDESK_SESSION_SECRET), calendarData: createLiveCalendar(config.calendar, log) };
  return isolate;
}

/**
 * The runtime for one invocation. The Prisma client is per invocation, as Prisma's D1 guide does,
 * and `defer` must hand work to *this* invocation's waitUntil, so both are bound here.
 */
function invocationRuntime(bindings: WorkerBindings, exec: WorkerExecutionContext): Runtime {
  const s = isolateState(bindings);
  const defer = (task: () => Promise<void>) => {
    // A macrotask first, like setImmediate on Node: the acknowledgement goes out before the work.
    exec.waitUntil(
      new Promise<void>((r) => setTimeout(r, 0))
        .then(task)
        .catch((e: unknown) => s.log.error("deferred task failed", { error: e })),
    );
  };
  return composeRuntime(
    {
      env: s.env,
      config: s.config,
      db: createD1Db(bindings.DB),
      log: s.log,
      defer,
      senders: s.senders,
      attachments: bindings.ATTACHMENTS ? attachmentR2(bindings.ATTACHMENTS) : undefined,
      console: s.console,
      calendarData: s.calendarData,
      // Cloudflare sets it to the client's address (https://developers.cloudflare.com/fundamentals/reference/http-headers/).
      peerAddress: (c) => c.req.header("cf-connecting-ip"),
    },
    { feishu: createFeishuFetchSender },
  );
}

function configError(e: unknown): Response | undefined {
  if (!isChatDeskError(e) || e.code !== "CONFIG_INVALID") return undefined;
  console.error(JSON.stringify({ level: "error", msg: "chatdesk worker misconfigured", error: e.message }));
  return Response.json({ code: e.code, message: e.message }, { status: 500 });
}

export default {
  async fetch(request: Request, bindings: WorkerBindings, exec: WorkerExecutionContext): Promise<Response> {
    let rt: Runtime;
    try {
      rt = invocationRuntime(bindings, exec);
    } catch (e) {
      const res = configError(e);
      if (res) return res;
      throw e;
    }
    return rt.app.fetch(request);
  },

  async scheduled(controller: WorkerScheduledController, bindings: WorkerBindings, exec: WorkerExecutionContext): Promise<void> {
    const rt = invocationRuntime(bindings, exec);
    const now = new Date(controller.scheduledTime);
    try {
      await ensureDingTalkCardCallback(rt.ctx, dingtalkSettings(isolateState(bindings).env), now);
    } catch (e) {
      // Card clicks wait for it, nothing else does: the tick still runs, the next run retries.
      rt.ctx.log.error("dingtalk card callback registration failed", { error: e });
    }
    // A Worker has no start-up: people removed from CHATDESK_CONFIG_JSON lose their console sessions here.
    try {
      const revoked = await revokeSessionsOfRemovedPeople(rt.ctx.db, rt.ctx.config.people.map((p) => p.id), now);
      if (revoked) rt.ctx.log.info("console sessions revoked", { revoked, why: "removed from the workflow file" });
    } catch (e) {
      rt.ctx.log.error("console session sweep failed", { error: e }); // the tick still runs; requests check anyway
    }
    await runScheduled(rt.ctx, now);
  },
};
