// Work that runs beside the HTTP answers, on whichever thread processes (the HTTP thread when inline,
// the processing worker otherwise): deferred tasks, the recovery sweep and the outbox poll.
import type { AppContext } from "../../app/context.js";
import { deliverDue } from "../../app/deliver.js";
import { processPendingInbound } from "../../app/inbound.js";
import type { Logger } from "../../log.js";

export type Stop = () => void | Promise<void>;
export type Defer = (task: () => Promise<void>) => void;

/** Work deferred past the response, tracked so shutdown (and tests) can wait for it. */
export function deferrals(log: Logger): { defer: Defer; idle: () => Promise<void> } {
  const pending = new Set<Promise<void>>();
  const defer: Defer = (task) => {
    const p: Promise<void> = new Promise<void>((r) => setImmediate(r))
      .then(task)
      .catch((e) => log.error("deferred task failed", { error: e }))
      .finally(() => pending.delete(p));
    pending.add(p);
  };
  const idle = async () => {
    while (pending.size) await Promise.all([...pending]);
  };
  return { defer, idle };
}

/** Recover what a crash left behind, then keep retrying inbound events and the outbox every pollMs (0: never). */
export function startBackgroundLoops(ctx: AppContext, defer: Defer, pollMs: number): Stop {
  defer(async () => {
    await processPendingInbound(ctx);
    await deliverDue(ctx);
  });
  if (pollMs <= 0) return () => {};
  let polling = false;
  const poll = () => {
    if (polling) return;
    polling = true;
    Promise.all([processPendingInbound(ctx), deliverDue(ctx)])
      .catch((e) => ctx.log.error("background loop failed", { error: e }))
      .finally(() => (polling = false));
  };
  const timer = setInterval(poll, pollMs);
  timer.unref();
  // A busy chat's messages wait for the end of its rate window; run the outbox then rather than at the
  // next poll, or one chat gets only about one window's worth per poll.
  let wake: { at: number; timer: NodeJS.Timeout } | undefined;
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
  return () => {
    clearInterval(timer);
    if (wake) clearTimeout(wake.timer);
    ctx.wakeAt = undefined;
  };
}

