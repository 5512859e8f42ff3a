// The HTTP thread's side of the processing worker (CHATDESK_PROCESSING=worker): a worker thread
// (https://nodejs.org/api/worker_threads.html) with its own SQLite connection processes the stored
// inbound events, delivers the outbox and runs the scheduler, so acknowledgements never queue behind
// a ticket's work on the HTTP event loop. Messages are ids only: the rows are in the database.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Offload } from "../../app/context.js";
import type { WorkflowConfig } from "../../config/schema.js";
import type { Logger } from "../../log.js";
import { projectRoot } from "./project-root.js";

/** What the worker is started with (structured-cloned into it). */
export interface WorkerInit {
  env: Record<string, string | undefined>;
  config: WorkflowConfig;
  /** The SQLite file, already migrated by the HTTP thread. */
  file: string;
  pollMs: number;
  scheduler: boolean;
  /** The bot's clock (clock.ts), shared with the HTTP thread. */
  clockBuffer: SharedArrayBuffer;
  /** Waiting acknowledgements, counted by the HTTP thread's inbox (ack-priority.ts). */
  ackBuffer?: SharedArrayBuffer;
}

export type ToWorker = { type: "inbound"; id: string } | { type: "outbox"; ids: number[] } | { type: "idle"; seq: number } | { type: "stop" };
export type FromWorker = { type: "log"; rec: Record<string, unknown> } | { type: "idle"; seq: number } | { type: "stopped" };

export interface ProcessingWorker {
  offload: Offload;
  /** Resolves when the worker has finished everything sent to it so far. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** The worker's entry: compiled next to the server in dist/node, or the TypeScript source through tsx. */
function workerEntry(): URL {
  const compiled = new URL("./processing-worker.js", import.meta.url.replace(/\/chunks\/[^/]+$/, "/"));
  if (import.meta.url.includes("/dist/node/") && fs.existsSync(compiled)) return compiled;
  return pathToFileURL(path.join(projectRoot(), "src/adapter/node/processing-worker-tsx.mjs"));
}

export function startProcessingWorker(init: WorkerInit, log: Logger): ProcessingWorker {
  const entry = workerEntry();
  let stopping = false;
  let seq = 0;
  const waiting = new Map<number, () => void>();
  let stopped: (() => void) | undefined;
  let worker: Worker;

  const spawn = () => {
    worker = new Worker(entry, { workerData: init });
    worker.on("message", (m: FromWorker) => {
      if (m.type === "log") relay(log, m.rec);
      else if (m.type === "idle") waiting.get(m.seq)?.();
      else if (m.type === "stopped") stopped?.();
    });
    worker.on("error", (e) => log.error("processing worker failed", { error: e }));
    worker.on("exit", (code) => {
      for (const done of waiting.values()) done();
      waiting.clear();
      if (stopping) return stopped?.();
      // Nothing is lost: the events and messages are rows; the new worker's recovery sweep takes them.
      log.error("processing worker exited: starting another", { code });
      setTimeout(spawn, 1_000).unref();
    });
  };
  spawn();
  const send = (m: ToWorker) => worker.postMessage(m);

  return {
    offload: { inbound: (id) => send({ type: "inbound", id }), outbox: (ids) => send({ type: "outbox", ids }) },
    idle: () =>
      new Promise<void>((resolve) => {
        const n = ++seq;
        waiting.set(n, () => {
          waiting.delete(n);
          resolve();
        });
        send({ type: "idle", seq: n });
      }),
    async stop() {
      stopping = true;
      const done = new Promise<void>((r) => (stopped = r));
      send({ type: "stop" });
      await done;
      await worker.terminate();
    },
  };
}

/** A worker's log record, written by the HTTP thread's logger (one stream, the test logs included). */
function relay(log: Logger, rec: Record<string, unknown>): void {
  const { level, msg, time: _t, service: _s, ...fields } = rec;
  const write = level === "error" ? log.error : level === "warn" ? log.warn : level === "debug" ? log.debug : log.info;
  write(String(msg), { thread: "processing", ...fields });
}
