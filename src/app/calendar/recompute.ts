// Deadlines follow the calendar: when it changes, every open ticket whose SLA clock runs on working
// time gets its deadlines recomputed from its received time (dueDates, the same rule as at intake and
// on a priority change, paused stretches left out). Each moved
// ticket is one change with a timeline entry, and its cards are updated in place.
// Reminders follow, and nothing already sent is sent again: claims are keyed by the deadline's value
// (store/notices.ts), so the claims of stages already sent for the old deadline are carried over to
// the new one. Only a breach (and its second level) whose new deadline lies ahead is not carried: the
// ticket is no longer overdue, its flag is cleared, and it is escalated again only if it passes again.
import { fmt, messages } from "../../../cards/i18n/index.js";
import { formatLocal } from "../../../cards/format.js";
import { ChatDeskError } from "../../core/errors.js";
import type { Prisma } from "../../generated/prisma/client.js";
import { dueDates, slaOf } from "../../core/sla.js";
import { SYSTEM_ACTOR, type Locale, type Priority } from "../../core/types.js";
import { closedPauses } from "../../core/waiting.js";
import { deadlineClaimKey } from "../../store/notices.js";
import { applyChange, type ExtraOp, type TicketRow } from "../../store/tickets.js";
import type { AppContext } from "../context.js";
import { ticketChanged } from "../notify.js";

export interface RecomputeSummary {
  /** Open tickets on working-time clocks looked at. */
  scanned: number;
  /** Tickets whose deadlines moved. */
  moved: number;
  /** False when the budget ran out before the end (the next tick goes on). */
  done: boolean;
}

type Kind = "response" | "resolution";
const PAGE = 500;

interface Moved {
  kind: Kind;
  from: Date;
  to: Date;
}

function movedDeadlines(ctx: AppContext, t: Pick<TicketRow, "priority" | "receivedAt" | "responseDueAt" | "resolutionDueAt" | "firstResponseAt" | "pauses">): Moved[] {
  const due = dueDates(ctx.config.sla, t.priority as Priority, t.receivedAt, ctx.calendar, closedPauses(t));
  const out: Moved[] = [];
  // An answered ticket's response deadline is history (reports judge the answer against it).
  if (!t.firstResponseAt && due.responseDueAt.getTime() !== t.responseDueAt.getTime()) out.push({ kind: "response", from: t.responseDueAt, to: due.responseDueAt });
  if (due.resolutionDueAt.getTime() !== t.resolutionDueAt.getTime()) out.push({ kind: "resolution", from: t.resolutionDueAt, to: due.resolutionDueAt });
  return out;
}

/** The claims already sent for the old deadline, re-keyed to the new one (upserts: a deadline moving back finds its old keys). */
async function carriedClaims(ctx: AppContext, ticketId: number, m: Moved, now: Date): Promise<ExtraOp[]> {
  const sent = await ctx.db.notice.findMany({ where: { ticketId, kind: { startsWith: `${m.kind}.` }, at: m.from } });
  return sent
    .filter((n) => !((n.kind.endsWith(".breach") || n.kind.endsWith(".escalate")) && m.to > now))
    .map((n) => (db) => {
      const key = deadlineClaimKey(ticketId, n.kind, n.level, m.to);
      return db.notice.upsert({ where: { key }, create: { key, ticketId, kind: n.kind, level: n.level, at: m.to }, update: {} });
    });
}

function describe(ctx: AppContext, t: TicketRow, moved: Moved[]): string {
  const m = messages(t.locale as Locale);
  const tz = ctx.config.calendar.timeZone;
  const parts = moved.map((x) => `${x.kind === "response" ? m.field.responseDue : m.field.resolutionDue} ${formatLocal(x.from, tz, true)} → ${formatLocal(x.to, tz, true)}`);
  return fmt(t.locale === "en" ? "Calendar changed: {parts}" : "日历变更：{parts}", { parts: parts.join(t.locale === "en" ? "; " : "；") });
}

/** Move one ticket's deadlines; "conflict" when it changed meanwhile (the caller reloads and tries again). */
async function moveOne(ctx: AppContext, t: TicketRow, now: Date): Promise<"moved" | "same" | "conflict"> {
  const moved = movedDeadlines(ctx, t);
  if (!moved.length) return "same";
  const patch: Record<string, unknown> = {};
  const ops: ExtraOp[] = [];
  for (const x of moved) {
    const flag = x.kind === "response" ? "responseOverdue" : "resolutionOverdue";
    patch[x.kind === "response" ? "responseDueAt" : "resolutionDueAt"] = x.to;
    patch[flag] = t[flag] && x.to <= now;
    ops.push(...(await carriedClaims(ctx, t.id, x, now)));
  }
  const payload = { reason: "calendar", text: describe(ctx, t, moved), ...Object.fromEntries(moved.map((x) => [x.kind, { from: x.from.toISOString(), to: x.to.toISOString() }])) };
  try {
    const after = await applyChange(ctx.db, t, patch as Prisma.TicketUncheckedUpdateManyInput, { kind: "deadlines", actor: SYSTEM_ACTOR, source: "system", at: now, payload }, ops);
    await ticketChanged(ctx, t, after);
    return "moved";
  } catch (e) {
    if (e instanceof ChatDeskError && e.code === "CONFLICT") return "conflict";
    throw e;
  }
}

/** Recompute every open working-clock ticket's deadlines against ctx.calendar (after a sync). */
export async function recomputeDueDates(ctx: AppContext, now: Date, budget = 300): Promise<RecomputeSummary> {
  const working = (["urgent", "high", "medium", "low"] as Priority[]).filter((p) => slaOf(ctx.config.sla, p).clock === "working");
  const summary: RecomputeSummary = { scanned: 0, moved: 0, done: true };
  if (!working.length) return summary;
  for (let after = 0; ; ) {
    const rows = await ctx.db.ticket.findMany({
      where: { id: { gt: after }, status: { in: ["open", "in_progress"] }, priority: { in: working } },
      select: { id: true, priority: true, receivedAt: true, responseDueAt: true, resolutionDueAt: true, firstResponseAt: true, pauses: true },
      orderBy: { id: "asc" },
      take: PAGE,
    });
    for (const c of rows) {
      summary.scanned++;
      if (!movedDeadlines(ctx, c).length) continue;
      if (summary.moved >= budget) return { ...summary, done: false };
      // A ticket changed by someone at the same moment is read again (twice at most, then the next run).
      for (let attempt = 0; attempt < 3; attempt++) {
        const t = await ctx.db.ticket.findUnique({ where: { id: c.id } });
        if (!t || (t.status !== "open" && t.status !== "in_progress")) break;
        const r = await moveOne(ctx, t, now);
        if (r === "moved") summary.moved++;
        if (r !== "conflict") break;
        if (attempt === 2) summary.done = false;
      }
    }
    if (rows.length < PAGE) return summary;
    after = rows[rows.length - 1]!.id;
  }
}
