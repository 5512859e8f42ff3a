// Probes for orchestrators and load balancers, beside /healthz (the detailed status):
//   GET /livez  — the process serves HTTP (restart it when this fails); touches nothing else.
//   GET /readyz — send it traffic: not starting, migrating or stopping, and the database answers a real
//                 query on a migrated table. 503 with a reason otherwise.
// Same routes on Node and Workers; a Worker is never "starting" (D1 is migrated by wrangler beforehand).
import type { Hono } from "hono";
import type { Db } from "../store/db.js";

export type Lifecycle = "starting" | "migrating" | "serving" | "stopping";

/** Where the process is in its life; the Node server moves it along, a Worker stays "serving". */
export interface LifecycleState {
  phase: Lifecycle;
}

export const serving = (): LifecycleState => ({ phase: "serving" });

/** Longest /readyz waits for the database: a probe that hangs is worse than one that says no. */
const READY_DB_TIMEOUT_MS = 2_000;

export type Readiness = { ready: true } | { ready: false; reason: string };

export async function readiness(db: Db | undefined, state: LifecycleState): Promise<Readiness> {
  if (state.phase !== "serving") return { ready: false, reason: state.phase };
  if (!db) return { ready: false, reason: "starting" };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      db.ticket.findFirst({ select: { id: true } }),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${READY_DB_TIMEOUT_MS} ms`)), READY_DB_TIMEOUT_MS))),
    ]);
    return { ready: true };
  } catch (e) {
    return { ready: false, reason: `database: ${e instanceof Error ? e.message.split("\n").filter(Boolean).pop() : String(e)}` };
  } finally {
    clearTimeout(timer);
  }
}

/** /livez and /readyz on any Hono app (the real one, and the Node server's start-up gate). */
export function probeRoutes(app: Hono, db: Db | undefined, state: LifecycleState): void {
  app.get("/livez", (c) => c.json({ status: "ok", phase: state.phase }));
  app.get("/readyz", async (c) => {
    const r = await readiness(db, state);
    c.header("cache-control", "no-store");
    return r.ready ? c.json({ status: "ready" }) : c.json({ status: "not_ready", reason: r.reason }, 503);
  });
}
