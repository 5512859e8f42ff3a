// The Hono app both runtimes serve: health, webhooks of the configured platforms, errors as JSON.
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { isChatDeskError, type ErrorCode } from "../core/errors.js";
import type { AppContext } from "../app/context.js";
import type { EventSink } from "../platform/sink.js";
import { outboxCounts } from "../store/outbox.js";
import { calendarStatus } from "../app/calendar/status.js";
import { probeRoutes, serving, type LifecycleState } from "./health.js";

export interface HttpDeps {
  ctx: AppContext;
  sink: EventSink;
  bodyLimit: number;
  /** Platform sub-apps, mounted under /webhooks/<platform> when that platform is configured. */
  feishu?: Hono;
  dingtalk?: Hono;
  /** Extra routes (the console) mounted by the runtime. */
  extend?: (app: Hono) => void;
  /** Start-up / shutdown phase for /readyz (Node); a Worker is always serving. */
  lifecycle?: LifecycleState;
}

const STATUS: Partial<Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 503>> = {
  SIGNATURE_INVALID: 401,
  TOKEN_INVALID: 401,
  TIMESTAMP_STALE: 401,
  PAYLOAD_INVALID: 400,
  INVALID_INPUT: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNSUPPORTED: 503,
};

export function createHttpApp(deps: HttpDeps): Hono {
  const { ctx } = deps;
  const app = new Hono();
  app.use("*", requestId());
  app.use("*", async (c, next) => {
    const started = performance.now();
    await next();
    ctx.log.info("http", {
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  });
  // Every page sees the current calendar, whichever process or isolate changed it (one cheap read).
  // Webhooks skip it: an ack only stores the event, and the processing and card clicks sync themselves.
  app.use("*", async (c, next) => {
    const p = c.req.path;
    if (p !== "/livez" && p !== "/readyz" && !p.startsWith("/webhooks/")) await ctx.calendarData.sync(ctx.db);
    await next();
  });
  app.use(
    "/webhooks/*",
    bodyLimit({
      maxSize: deps.bodyLimit,
      onError: (c) => c.json({ code: "PAYLOAD_TOO_LARGE", message: `body larger than ${deps.bodyLimit} bytes` }, 413),
    }),
  );

  probeRoutes(app, ctx.db, deps.lifecycle ?? serving());
  // The detailed status; 503 when down or degraded (dead letters, failed events), so a monitor that only
  // reads status codes sees it. Readiness for traffic is /readyz.
  app.get("/healthz", async (c) => {
    try {
      await ctx.db.$queryRaw`SELECT 1`;
    } catch (e) {
      ctx.log.error("health check: database unavailable", { error: e });
      return c.json({ status: "down", database: "unavailable" }, 503);
    }
    const [outbox, inboundPending, inboundFailed] = await Promise.all([
      outboxCounts(ctx.db),
      ctx.db.inboundEvent.count({ where: { status: "pending" } }),
      ctx.db.inboundEvent.count({ where: { status: "failed" } }),
    ]);
    const dead = outbox.dead ?? 0;
    const degraded = Boolean(dead || inboundFailed);
    return c.json({
      status: degraded ? "degraded" : "ok",
      database: "ok",
      platforms: { feishu: Boolean(deps.feishu), dingtalk: Boolean(deps.dingtalk) },
      outbox: { pending: outbox.pending ?? 0, sent: outbox.sent ?? 0, dead },
      inbound: { pending: inboundPending, failed: inboundFailed },
      calendar: await calendarStatus(ctx, ctx.now()),
    }, degraded ? 503 : 200);
  });

  const notConfigured = (name: string, vars: string) => (c: Context) =>
    c.json({ code: "UNSUPPORTED", message: `${name} is not configured on this server (set ${vars})` }, 503);
  if (deps.feishu) app.route("/webhooks/feishu", deps.feishu);
  else app.post("/webhooks/feishu/*", notConfigured("Feishu", "FEISHU_APP_ID and FEISHU_APP_SECRET"));
  if (deps.dingtalk) app.route("/webhooks/dingtalk", deps.dingtalk);
  else app.post("/webhooks/dingtalk/*", notConfigured("DingTalk", "DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET"));

  deps.extend?.(app);

  app.notFound((c) => c.json({ code: "NOT_FOUND", message: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => {
    if (isChatDeskError(err)) return c.json({ code: err.code, message: err.message }, STATUS[err.code] ?? 400);
    ctx.log.error("unhandled error", { error: err, path: c.req.path, requestId: c.get("requestId") });
    return c.json({ code: "INTERNAL", message: "internal error" }, 500);
  });
  return app;
}
