// The Notice claims a server that had been running all along would hold at `now`: every follow-up
// stage already due for the open backlog (deadline reminders and escalations, the current progress
// nudge, confirmation reminders) is claimed, so a tick at `now` measures finding what is due, not a
// catch-up of months of reminders. Computed with the scheduler's own stage rules.
import Database from "better-sqlite3";
import type { AppContext } from "../../src/app/context.js";
import { confirmClaim } from "../../src/scheduler/auto-close.js";
import { nudgeClaim } from "../../src/scheduler/nudges.js";
import { deadlineClaim } from "../../src/scheduler/reminders.js";
import { clockOf, confirmStages, deadlineStages, nudgeStage } from "../../src/scheduler/stages.js";
import type { NoticeClaim } from "../../src/store/notices.js";
import { sqlTime } from "../../src/store/reports.js";
import type { TicketRow } from "../../src/store/tickets.js";

interface Raw {
  id: number;
  status: string;
  priority: string;
  receivedAt: string;
  responseDueAt: string;
  resolutionDueAt: string;
  firstResponseAt: string | null;
  lastProgressAt: string;
  resolvedAt: string | null;
  updatedAt: string;
}

const d = (s: string | null) => (s === null ? null : new Date(s));

export function seedClaims(file: string, ctx: AppContext, now: Date): { claims: number; ms: number } {
  const t0 = performance.now();
  const db = new Database(file);
  const { config: cfg, calendar: cal } = ctx;
  const rows = db
    .prepare(
      `SELECT id, status, priority, receivedAt, responseDueAt, resolutionDueAt, firstResponseAt, lastProgressAt, resolvedAt, updatedAt
       FROM "Ticket" WHERE status IN ('open', 'in_progress', 'resolved')`,
    )
    .all() as Raw[];
  const insert = db.prepare(`INSERT OR IGNORE INTO "Notice" ("key", "ticketId", "kind", "level", "at") VALUES (?, ?, ?, ?, ?)`);
  let claims = 0;
  const put = (c: NoticeClaim) => {
    claims += insert.run(c.key, c.ticketId ?? null, c.kind, c.level ?? 0, sqlTime(c.at)).changes;
  };
  db.transaction(() => {
    for (const r of rows) {
      const t = {
        ...r,
        receivedAt: new Date(r.receivedAt),
        responseDueAt: new Date(r.responseDueAt),
        resolutionDueAt: new Date(r.resolutionDueAt),
        firstResponseAt: d(r.firstResponseAt),
        lastProgressAt: new Date(r.lastProgressAt),
        resolvedAt: d(r.resolvedAt),
        updatedAt: new Date(r.updatedAt),
      } as unknown as TicketRow;
      const clock = clockOf(cfg, t.priority);
      if (r.status === "resolved") {
        const { remindAt, closeAt } = confirmStages(cfg, cal, clock, t.resolvedAt ?? t.updatedAt);
        if (remindAt && remindAt <= now) put(confirmClaim(t, "confirm"));
        if (closeAt <= now) put(confirmClaim(t, "autoclose"));
        continue;
      }
      for (const kind of ["response", "resolution"] as const) {
        if (kind === "response" && t.firstResponseAt) continue;
        const due = kind === "response" ? t.responseDueAt : t.resolutionDueAt;
        for (const stage of deadlineStages(cfg, cal, clock, t.receivedAt, due)) if (stage.at <= now) put(deadlineClaim(t, kind, stage));
      }
      if (r.status === "in_progress") {
        const n = nudgeStage(cfg, cal, clock, t.lastProgressAt, now);
        if (n) put(nudgeClaim(t, n.level));
      }
    }
  })();
  db.close();
  return { claims, ms: performance.now() - t0 };
}
