// Waiting on the customer or a third party (待客户反馈 / 待第三方): the ticket's SLA clocks stand still
// until the handler resumes or the reporter replies; on resume the deadlines move on by the paused time
// (core/sla.ts: the targets apply to the time worked, the interval list kept on the ticket).
import type { Prisma } from "../../generated/prisma/client.js";
import { ChatDeskError } from "../../core/errors.js";
import { dueDates } from "../../core/sla.js";
import type { Priority } from "../../core/types.js";
import { closedPauses, closeWaiting, parseWaitingOn, WAITING_ON, type WaitingOn } from "../../core/waiting.js";
import type { TicketRow } from "../../store/tickets.js";
import type { AppContext } from "../context.js";

type Patch = Prisma.TicketUncheckedUpdateManyInput;

/** The columns that start a waiting stretch. */
export function startWaiting(t: TicketRow, on: string | undefined, reason: string, by: string, now: Date, patch: Patch): WaitingOn {
  if (t.waitingSince) throw new ChatDeskError("ILLEGAL_TRANSITION", "the ticket is waiting already", { status: t.status, action: "wait", waiting: true });
  const which = parseWaitingOn(on);
  Object.assign(patch, { waitingSince: now, waitingOn: which, waitingReason: reason, waitingBy: by });
  return which;
}

/**
 * The columns that end the waiting stretch at `now`: the interval joins the list, and the deadlines
 * still running (an answered response is history) move on by the paused time. An overdue flag stays
 * only if the moved deadline has passed too.
 */
export function endWaiting(ctx: AppContext, t: TicketRow, now: Date, patch: Patch): { pausedFrom: string; on: string } {
  if (!t.waitingSince) throw new ChatDeskError("ILLEGAL_TRANSITION", "the ticket is not waiting", { status: t.status, action: "resume", waiting: false });
  const pauses = closeWaiting(t, now);
  const due = dueDates(ctx.config.sla, t.priority as Priority, t.receivedAt, ctx.calendar, closedPauses({ pauses }));
  Object.assign(patch, { pauses, waitingSince: null, waitingOn: null, waitingReason: null, waitingBy: null });
  if (!t.firstResponseAt) Object.assign(patch, { responseDueAt: due.responseDueAt, responseOverdue: t.responseOverdue && due.responseDueAt <= now });
  if (!t.resolvedAt) Object.assign(patch, { resolutionDueAt: due.resolutionDueAt, resolutionOverdue: t.resolutionOverdue && due.resolutionDueAt <= now });
  return { pausedFrom: t.waitingSince.toISOString(), on: (WAITING_ON as readonly string[]).includes(t.waitingOn ?? "") ? t.waitingOn! : "customer" };
}

/** `/wait FB… customer 已请客户提供日志`: the first word says who, when it names someone; else the customer. */
export function splitWaitingText(text: string): { on?: string; text: string } {
  const [first, ...rest] = text.trim().split(/\s+/);
  try {
    parseWaitingOn(first);
    return { on: first, text: rest.join(" ") };
  } catch {
    return { text: text.trim() };
  }
}
