// Run-time calendar edits, from chat or the console: validated, stored on the audit trail (who, when,
// what), picked up by every process through the calendar version, and followed at once by the open
// tickets' deadlines. Who may edit is the caller's rule (chat: leads and managers; console: managers).
import type { Person, WorkflowConfig } from "../../config/schema.js";
import { ChatDeskError } from "../../core/errors.js";
import { daysBetween } from "../../core/holiday-data.js";
import { insertEdit, type EditAction } from "../../store/calendar.js";
import type { AppContext } from "../context.js";
import type { RecomputeSummary } from "./recompute.js";
import { followCalendar } from "./upkeep.js";

/** One command's span at most: a longer one is a typo (a whole year off is not a holiday). */
export const MAX_EDIT_DAYS = 60;
const MAX_NAME = 40;

export type EditRequest = { action: "off" | "work" | "reset"; from: string; to: string; name?: string } | { action: "official" | "provisional"; year: number };

export interface Editor {
  /** Person id from the config. */
  id: string;
  name?: string;
}

export interface EditResult {
  /** The audit trail row. */
  id: number;
  action: EditAction;
  from: string;
  to: string;
  days: number;
  name?: string;
  recomputed?: RecomputeSummary;
}

/** "manager" or "lead" when the person may change the calendar in chat; the console asks for "manager". */
export function calendarRole(cfg: WorkflowConfig, person: Person | undefined): "manager" | "lead" | undefined {
  if (!person) return undefined;
  if (cfg.departments.some((d) => d.managers.includes(person.id))) return "manager";
  if (cfg.departments.some((d) => d.leads.includes(person.id))) return "lead";
  return undefined;
}

const invalid = (message: string) => new ChatDeskError("INVALID_INPUT", message);

function checkDate(ctx: AppContext, date: string, thisYear: number): void {
  ctx.calendar.isoWeekday(date); // throws INVALID_INPUT for "2027-02-30" or "2027-2-3"
  const year = Number(date.slice(0, 4));
  if (year < thisYear - 1 || year > thisYear + 5) throw invalid(`${date} is too far from today (years ${thisYear - 1}–${thisYear + 5} can be edited)`);
}

export async function applyCalendarEdit(ctx: AppContext, editor: Editor, via: "chat" | "console", req: EditRequest): Promise<EditResult> {
  const now = ctx.now();
  const thisYear = Number(ctx.calendar.localDate(now).slice(0, 4));
  let from: string;
  let to: string;
  let name: string | undefined;
  if ("year" in req) {
    if (!Number.isInteger(req.year)) throw invalid("expected a year like 2027");
    from = `${req.year}-01-01`;
    to = `${req.year}-12-31`;
    checkDate(ctx, from, thisYear);
  } else {
    from = req.from;
    to = req.to;
    checkDate(ctx, from, thisYear);
    checkDate(ctx, to, thisYear);
    const span = daysBetween(from, to) + 1;
    if (span < 1) throw invalid(`${to} is before ${from}`);
    if (span > MAX_EDIT_DAYS) throw invalid(`${span} days at once; at most ${MAX_EDIT_DAYS}`);
    name = req.action === "reset" ? undefined : req.name?.replace(/\s+/g, " ").trim().slice(0, MAX_NAME) || undefined;
  }
  const row = await insertEdit(ctx.db, { at: now, actorId: editor.id, actorName: editor.name, via, action: req.action, fromDate: from, toDate: to, name });
  ctx.log.info("calendar edited", { by: editor.id, via, action: req.action, from, to, name });
  const recomputed = await followCalendar(ctx, now);
  return { id: row.id, action: req.action, from, to, days: daysBetween(from, to) + 1, name, recomputed };
}
