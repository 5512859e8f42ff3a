// The Notice claims a server that had been running all along would hold at `now`: every follow-up
// stage already due for the open backlog (deadline reminders and escalations, the current progress
// nudge, confirmation reminders) is claimed, so a tick at `now` measures finding what is due, not a
// catch-up of months of reminders. Computed with the scheduler's own stage rules. Each ticket's
// nextFollowUpAt is then what the tick would have stored with those claims (src/core/follow-up.ts).
// Run again at a later instant on a copy, it brings the copy to the steady state of that instant.
import Database from "better-sqlite3";
import type { AppContext } from "../../src/app/context.js";
import { nextFollowUpAt, type SentNotice } from "../../src/core/follow-up.js";
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
  blockedAt: string | null;
}

const d = (s: string | null) => (s === null ? null : new Date(s));

export function seedClaims(file: string, ctx: AppContext, now: Date): { claims: number; ms: number } {
  const t0 = performance.now();
  const db = new Database(file);
  const { config: cfg, calendar: cal } = ctx;
  const rows = db
    .prepare(
      `SELECT id, status, priority, receivedAt, responseDueAt, resolutionDueAt, firstResponseAt, lastProgressAt, resolvedAt, updatedAt, blockedAt
       FROM "Ticket" WHERE status IN ('open', 'in_progress', 'resolved')`,
    )
    .all() as Raw[];
  const insert = db.prepare(`INSERT OR IGNORE INTO "Notice" ("key", "ticketId", "kind", "level", "at") VALUES (?, ?, ?, ?, ?)`);
  const held = db.prepare(`SELECT ticketId, kind, level, at FROM "Notice" WHERE ticketId IS NOT NULL`).all() as { ticketId: number; kind: string; level: number; at: string }[];
  const sent = new Map<number, SentNotice[]>();
  const note = (id: number, n: SentNotice) => sent.set(id, [...(sent.get(id) ?? []), n]);
  for (const n of held) note(n.ticketId, { kind: n.kind, level: n.level, at: new Date(n.at) });
  const setNext = db.prepare(`UPDATE "Ticket" SET "nextFollowUpAt" = ? WHERE id = ?`);
  let claims = 0;
  const put = (c: NoticeClaim) => {
    const added = insert.run(c.key, c.ticketId ?? null, c.kind, c.level ?? 0, sqlTime(c.at)).changes;
    claims += added;
    if (added && c.ticketId) note(c.ticketId, { kind: c.kind, level: c.level ?? 0, at: c.at });
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
        blockedAt: d(r.blockedAt),
      } as unknown as TicketRow;
      claimStages(ctx, now, t, put);
      const next = nextFollowUpAt(cfg, cal, t, sent.get(t.id) ?? [], now);
      setNext.run(next ? sqlTime(next) : null, t.id);
    }
  })();
  db.close();
  return { claims, ms: performance.now() - t0 };
}

/** Claim every stage of `t` that has come by `now` (deadlines, the current nudge, confirmation). */
function claimStages(ctx: AppContext, now: Date, t: TicketRow, put: (c: NoticeClaim) => void): void {
  const { config: cfg, calendar: cal } = ctx;
  const clock = clockOf(cfg, t.priority);
  if (t.status === "resolved") {
    const { remindAt, closeAt } = confirmStages(cfg, cal, clock, t.resolvedAt ?? t.updatedAt);
    if (remindAt && remindAt <= now) put(confirmClaim(t, "confirm"));
    if (closeAt <= now) put(confirmClaim(t, "autoclose"));
    return;
  }
  for (const kind of ["response", "resolution"] as const) {
    if (kind === "response" && t.firstResponseAt) continue;
    const due = kind === "response" ? t.responseDueAt : t.resolutionDueAt;
    for (const stage of deadlineStages(cfg, cal, clock, t.receivedAt, due)) if (stage.at <= now) put(deadlineClaim(t, kind, stage));
  }
  if (t.status === "in_progress") {
    const n = nudgeStage(cfg, cal, clock, t.lastProgressAt, now);
    if (n) put(nudgeClaim(t, n.level));
  }
}
