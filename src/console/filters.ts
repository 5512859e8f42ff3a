// The list's query string ⇄ filter. Unknown values are dropped rather than rejected, so an old or
// hand-edited link still opens a (wider) list instead of an error page.
import type { WorkflowConfig } from "../config/schema.js";
import type { WorkCalendar } from "../core/calendar.js";
import { PRIORITIES, STATUSES } from "../core/types.js";
import type { ConsoleFilter } from "../store/console-query.js";
import { OPEN_STATUSES } from "../store/ticket-query.js";

export interface ListQuery {
  /** "" any, "active" not finished, or one status. */
  status: string;
  category: string;
  priority: string;
  department: string;
  /** "" any, "mine", "none" (unassigned) or a person id. */
  handler: string;
  overdue: boolean;
  from: string;
  to: string;
  q: string;
  page: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseListQuery(get: (name: string) => string | undefined, cfg: WorkflowConfig): ListQuery {
  const pick = (v: string | undefined, ok: (s: string) => boolean) => (v && ok(v) ? v : "");
  const status = get("status") ?? "";
  const validDate = (s: string) => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
  return {
    status: status === "active" || (STATUSES as readonly string[]).includes(status) ? status : "",
    category: pick(get("category"), (s) => cfg.categories.some((c) => c.id === s)),
    priority: pick(get("priority"), (s) => (PRIORITIES as readonly string[]).includes(s)),
    department: pick(get("department"), (s) => cfg.departments.some((d) => d.id === s)),
    handler: pick(get("handler"), (s) => s === "mine" || s === "none" || cfg.people.some((p) => p.id === s)),
    overdue: get("overdue") === "1",
    from: pick(get("from"), validDate),
    to: pick(get("to"), validDate),
    q: (get("q") ?? "").trim().slice(0, 100),
    page: Math.max(1, Math.trunc(Number(get("page") ?? 1)) || 1),
  };
}

export function toFilter(q: ListQuery, cal: WorkCalendar, me: string | undefined): ConsoleFilter {
  const f: ConsoleFilter = {};
  if (q.status === "active") f.status = OPEN_STATUSES;
  else if (q.status) f.status = [q.status];
  if (q.category) f.category = q.category;
  if (q.priority) f.priority = q.priority;
  if (q.department) f.department = q.department;
  if (q.handler === "mine") f.handler = me ?? "\u0000nobody"; // the admin alone handles nothing
  else if (q.handler) f.handler = q.handler;
  if (q.overdue) f.overdue = true;
  // Dates are local days in the workflow's time zone, "to" inclusive.
  if (q.from) f.from = cal.startOfLocalDay(q.from);
  if (q.to) f.to = cal.startOfLocalDay(cal.addLocalDays(q.to, 1));
  if (q.q) f.text = q.q;
  return f;
}

/** The query string of a list, without the page unless asked. */
export function listSearch(q: ListQuery, extra: Partial<ListQuery> = {}): string {
  const all = { ...q, ...extra };
  const p = new URLSearchParams();
  for (const key of ["status", "category", "priority", "department", "handler", "from", "to", "q"] as const) if (all[key]) p.set(key, all[key]);
  if (all.overdue) p.set("overdue", "1");
  if (extra.page && extra.page > 1) p.set("page", String(extra.page));
  const s = p.toString();
  return s ? `?${s}` : "";
}
