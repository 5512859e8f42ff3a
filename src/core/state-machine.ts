// Ticket lifecycle: 待处理 open → 处理中 in_progress → 待确认 resolved → 已关闭 closed,
// plus 已驳回 rejected / merged, and reopen (resolved|closed → in_progress).
// One table says, per action, where it may start, where it lands, and who may do it.
import { ChatDeskError } from "./errors.js";
import type { Role, Status } from "./types.js";

export const ACTIONS = [
  "claim",
  "progress",
  "note",
  "plan",
  "priority",
  "category",
  "reassign",
  "collaborate",
  "block",
  "unblock",
  "wait",
  "resume",
  "resolve",
  "confirm",
  "rate",
  "reopen",
  "reject",
  "merge",
  "close",
] as const;
export type TicketAction = (typeof ACTIONS)[number];

interface Rule {
  from: readonly Status[];
  /** Target status; "same" keeps the current one. */
  to: Status | "same";
  roles: readonly Role[];
}

const ACTIVE = ["open", "in_progress"] as const;
const LEADS = ["lead", "manager"] as const;

export const RULES: Record<TicketAction, Rule> = {
  claim: { from: ["open"], to: "in_progress", roles: ["handler", ...LEADS] },
  progress: { from: ACTIVE, to: "in_progress", roles: ["handler", ...LEADS] },
  note: { from: ["open", "in_progress", "resolved"], to: "same", roles: ["reporter", "handler", ...LEADS] },
  plan: { from: ACTIVE, to: "in_progress", roles: ["handler", ...LEADS] },
  priority: { from: ["open", "in_progress", "resolved"], to: "same", roles: LEADS },
  category: { from: ACTIVE, to: "same", roles: LEADS },
  // A lead assigns; the current handler may hand over (checked in the use case).
  reassign: { from: ACTIVE, to: "same", roles: ["handler", ...LEADS] },
  collaborate: { from: ACTIVE, to: "same", roles: ["handler", ...LEADS] },
  // Blocked (受阻) is a flag, not a status: only work in progress can be blocked. Whether the ticket is
  // blocked now, and that a plain handler must be the ticket's own, is checked in the use case.
  block: { from: ["in_progress"], to: "same", roles: ["handler", ...LEADS] },
  unblock: { from: ["in_progress"], to: "same", roles: ["handler", ...LEADS] },
  // Waiting on the customer or a third party (待客户反馈 / 待第三方) is a flag too; telling the customer what
  // is needed counts as the first response, so an open ticket goes in progress. The reporter's reply in
  // the thread resumes the clocks as the handler's 恢复计时 does; whether it waits now is checked in the use case.
  wait: { from: ACTIVE, to: "in_progress", roles: ["handler", ...LEADS] },
  resume: { from: ["in_progress"], to: "same", roles: ["reporter", "handler", ...LEADS] },
  resolve: { from: ACTIVE, to: "resolved", roles: ["handler", ...LEADS] },
  confirm: { from: ["resolved"], to: "closed", roles: ["reporter", ...LEADS] },
  rate: { from: ["resolved", "closed"], to: "same", roles: ["reporter", ...LEADS] },
  reopen: { from: ["resolved", "closed"], to: "in_progress", roles: ["reporter", ...LEADS] },
  reject: { from: ACTIVE, to: "rejected", roles: LEADS },
  merge: { from: ACTIVE, to: "merged", roles: LEADS },
  close: { from: ["resolved"], to: "closed", roles: ["system", ...LEADS] },
};

export const STATUS_LABELS: Record<Status, { zh: string; en: string }> = {
  open: { zh: "待处理", en: "Open" },
  in_progress: { zh: "处理中", en: "In progress" },
  resolved: { zh: "待确认", en: "Awaiting confirmation" },
  closed: { zh: "已关闭", en: "Closed" },
  rejected: { zh: "已驳回", en: "Rejected" },
  merged: { zh: "已合并", en: "Merged" },
};

/** Decide an action: returns the status it leads to, or throws ILLEGAL_TRANSITION / FORBIDDEN. */
export function decide(status: Status, action: TicketAction, roles: ReadonlySet<Role>): Status {
  const rule = RULES[action];
  if (!rule.from.includes(status)) {
    throw new ChatDeskError("ILLEGAL_TRANSITION", `cannot ${action} a ticket that is ${status}`, { status, action });
  }
  if (!rule.roles.some((r) => roles.has(r))) {
    throw new ChatDeskError("FORBIDDEN", `${action} needs one of: ${rule.roles.join(", ")}`, {
      action,
      needs: rule.roles,
      has: [...roles],
    });
  }
  return rule.to === "same" ? status : rule.to;
}

/** Whether an action is possible now for someone with these roles (for showing buttons). */
export function can(status: Status, action: TicketAction, roles: ReadonlySet<Role>): boolean {
  const rule = RULES[action];
  return rule.from.includes(status) && rule.roles.some((r) => roles.has(r));
}

/** Actions available in a status to anyone (the group card shows these; permission is checked on click). */
export const actionsIn = (status: Status): TicketAction[] => ACTIONS.filter((a) => RULES[a].from.includes(status));

export const isTerminal = (s: Status) => s === "closed" || s === "rejected" || s === "merged";
