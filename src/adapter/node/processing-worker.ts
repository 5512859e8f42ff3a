// The processing worker thread (processing.ts starts it): its own database connection and context;
// processes the inbound events the HTTP thread stored, delivers the outbox, runs the background
// loops (recovery sweep, outbox retries) and the scheduler. Never serves HTTP.
import os from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { deliverDue } from "../../app/deliver.js";
import { processInbound } from "../../app/inbound.js";
import { parseEnv } from "../../config/env.js";
import { createLogger } from "../../log.js";
import { startNodeScheduler } from "../../scheduler/node-cron.js";
import { deferrals, startBackgroundLoops, type Stop } from "./background.js";
import { createSharedClock } from "./clock.js";
import { ackPriority } from "./ack-priority.js";
import { createSqliteDb } from "./db.js";
import { createRuntime } from "./node-composition.js";
import type { FromWorker, ToWorker, WorkerInit } from "./processing.js";

// Background work yields the CPU to the HTTP thread, so an acknowledgement never waits for a ticket's
// processing on a busy machine. On Linux the nice value is per thread and setpriority(PRIO_PROCESS, 0)
// sets the calling thread's (https://man7.org/linux/man-pages/man2/setpriority.2.html, BUGS); lowering
// one's own priority needs no privilege. Elsewhere it may apply to the process, or fail: then it stays.
const PROCESSING_NICE = 10;
try {
  if (process.platform === "linux") os.setPriority(0, Math.max(os.getPriority(0), PROCESSING_NICE));
} catch {
  /* not allowed here: processing keeps the process's priority */
}

const port = parentPort!;
const init = workerData as WorkerInit;
const post = (m: FromWorker) => port.postMessage(m);
const env = parseEnv(init.env);
const log = createLogger(env.LOG_LEVEL, {}, (line) => post({ type: "log", rec: JSON.parse(line) as Record<string, unknown> }));
const db = createSqliteDb(init.file, init.ackBuffer ? ackPriority(init.ackBuffer).giveWay : undefined);
const { defer, idle } = deferrals(log);
const clock = createSharedClock(init.clockBuffer);
const { ctx } = createRuntime({ env, config: init.config, db, log, now: clock.now, defer });

const stops: Stop[] = [startBackgroundLoops(ctx, defer, init.pollMs)];
if (init.scheduler) {
  const scheduler = startNodeScheduler(ctx, init.config.schedule);
  stops.push(() => scheduler.stop());
}

log.info("processing worker ready", { entry: import.meta.url.replace(/^.*\/(src|dist)\//, "$1/") });

// At most this many events in flight; the rest wait here as ids (their rows are pending in the database).
// In a burst the acks run far ahead of processing: unbounded, thousands of pipelines at once held their
// payloads, queries and cards in memory together (the bench's peak RSS passed 1.1 GB).
const INBOUND_IN_FLIGHT = 16;
const waitingIds: string[] = [];
let inFlight = 0;
const pump = () => {
  while (inFlight < INBOUND_IN_FLIGHT && waitingIds.length) {
    const id = waitingIds.shift()!;
    inFlight++;
    defer(() =>
      processInbound(ctx, id).finally(() => {
        inFlight--;
        pump();
      }),
    );
  }
};
const enqueue = (id: string) => {
  waitingIds.push(id);
  pump();
};

port.on("message", (m: ToWorker) => {
  if (m.type === "inbound") enqueue(m.id);
  else if (m.type === "outbox") defer(() => deliverDue(ctx, { ids: m.ids }).then(() => undefined));
  else if (m.type === "idle") void idle().then(() => post({ type: "idle", seq: m.seq }));
  else if (m.type === "stop") void stop();
});

async function stop(): Promise<void> {
  for (const s of stops) await s();
  await idle();
  await db.$disconnect();
  post({ type: "stopped" });
}
