// A follow-up card: a banner saying why (deadline coming, breached, escalated, no progress, awaiting
// confirmation) on top of the ticket card itself, so the buttons to act are right there.
import type { Card, CardColor } from "./model.js";
import { formatMinutes } from "./duration.js";
import { escapeMd, formatLocal, truncate } from "./format.js";
import { fmt, messages } from "./i18n/index.js";
import { ticketCard, type TicketCardInput, type TicketCardOptions } from "./ticket.js";

export type ReminderKind =
  | "response.before"
  | "resolution.before"
  | "response.breach"
  | "resolution.breach"
  | "response.escalate"
  | "resolution.escalate"
  | "nudge"
  | "confirm"
  | "blocked"
  | "blocked.escalate"
  | "waiting";

export interface ReminderInfo {
  kind: ReminderKind;
  clock: "working" | "calendar";
  /** The deadline (deadline kinds) or the auto-close time (confirm). */
  due?: Date;
  /** Minutes left (before), overdue (escalate) or without progress (nudge), in the policy's clock. */
  minutes?: number;
  /** Names of the people it is escalated to. */
  to?: string[];
  /** Blocked kinds: the reason, who marked it and since when. */
  blocked?: { reason: string; by: string; since: Date };
  /** The waiting kind: on whom, why, since when. */
  waiting?: { on: string; reason: string; since: Date };
}

const COLOR: Record<ReminderKind, CardColor> = {
  "response.before": "orange",
  "resolution.before": "orange",
  "response.breach": "red",
  "resolution.breach": "red",
  "response.escalate": "carmine",
  "resolution.escalate": "carmine",
  nudge: "yellow",
  confirm: "turquoise",
  blocked: "violet",
  "blocked.escalate": "carmine",
  waiting: "yellow",
};

export function reminderText(r: ReminderInfo, o: Pick<TicketCardOptions, "locale" | "timeZone">): string {
  const m = messages(o.locale).reminder;
  const deadline = r.kind.startsWith("response") ? m.respond : m.resolve;
  const due = r.due ? formatLocal(r.due, o.timeZone) : "";
  const span = `${formatMinutes(r.minutes ?? 0, o.locale, { days: r.clock === "calendar" })}${r.clock === "working" ? m.workingTime : ""}`;
  const to = r.to?.length ? r.to.join("、") : r.kind.endsWith("escalate") ? m.managers : m.leads;
  const b = r.blocked;
  switch (r.kind) {
    case "response.before":
    case "resolution.before":
      return fmt(m.before, { due, action: deadline, left: span });
    case "response.breach":
    case "resolution.breach":
      return fmt(m.breach, { due, action: deadline, to });
    case "response.escalate":
    case "resolution.escalate":
      return fmt(m.escalate, { due, action: deadline.charAt(0).toUpperCase() + deadline.slice(1), over: span, to });
    case "nudge":
      return fmt(m.nudge, { quiet: span });
    case "confirm":
      return fmt(m.confirm, { closeAt: due });
    case "blocked":
      return fmt(m.blocked, { by: escapeMd(b?.by ?? ""), since: b ? formatLocal(b.since, o.timeZone) : "", reason: escapeMd(truncate(b?.reason ?? "", 200)), to });
    case "blocked.escalate":
      return fmt(m.blockedEscalate, { over: span, since: b ? formatLocal(b.since, o.timeZone) : "", reason: escapeMd(truncate(b?.reason ?? "", 200)), to });
    case "waiting": {
      const w = r.waiting;
      const on = messages(o.locale).waiting[w?.on ?? "customer"] ?? w?.on ?? "";
      return fmt(m.waitingLong, { on, over: span, since: w ? formatLocal(w.since, o.timeZone) : "", reason: escapeMd(truncate(w?.reason ?? "", 200)) });
    }
  }
}

export function reminderCard(t: TicketCardInput, r: ReminderInfo, o: TicketCardOptions): Card {
  const base = ticketCard(t, o);
  const title = messages(o.locale).reminder.title[r.kind] ?? r.kind;
  const text = reminderText(r, o);
  return {
    ...base,
    header: { ...base.header, title: `${title} · ${t.number}`, subtitle: truncate(t.title, 60), color: COLOR[r.kind] },
    blocks: [{ type: "markdown", text }, ...base.blocks],
    summary: `${title} ${t.number}: ${text.replace(/\*\*/g, "")}`,
  };
}
