// Small pieces shared by the list and the detail page.
import type { TicketRow } from "../../store/tickets.js";
import type { Labels } from "../labels.js";

export const StatusTag = (p: { status: string; labels: Labels }) => <span class={`tag st-${p.status}`}>{p.labels.status(p.status)}</span>;
export const PriorityTag = (p: { priority: string; labels: Labels }) => <span class={`tag pr-${p.priority}`}>{p.labels.priority(p.priority)}</span>;

const ACTIVE = new Set(["open", "in_progress"]);

/**
 * The list filter's meaning (store/console-query overdueWhere): flagged as breached by the scheduler
 * (kept after the ticket is finished, as history), or still being worked on and past a deadline now.
 */
export function isOverdue(t: Pick<TicketRow, "status" | "firstResponseAt" | "responseDueAt" | "resolutionDueAt" | "responseOverdue" | "resolutionOverdue">, now: Date): boolean {
  // The same rule as the list's "overdue" filter (store/console-query.ts overdueWhere).
  if (!ACTIVE.has(t.status)) return false;
  return t.responseOverdue || t.resolutionOverdue || (!t.firstResponseAt && now > t.responseDueAt) || now > t.resolutionDueAt;
}

export function DueCell(p: { ticket: TicketRow; now: Date; labels: Labels; overdueText: string }) {
  const t = p.ticket;
  return (
    <>
      {p.labels.time(t.resolutionDueAt)}
      {isOverdue(t, p.now) && (
        <>
          {" "}
          <span class="tag late">{p.overdueText}</span>
        </>
      )}
    </>
  );
}
