// On duty: who of a department works on a given local date — the weekly roster of the workflow file,
// minus people on leave, plus whoever covers them (a swap is a leave with a cover). Pure: the date,
// its ISO weekday and the leaves are passed in.
import type { Department, WeekdayKey } from "./workflow.js";
import { WEEKDAY_KEYS } from "./workflow.js";

/** Leave (or a swap) of one person over local dates [from, to], both included. */
export interface Leave {
  personId: string;
  /** YYYY-MM-DD */
  from: string;
  to: string;
  /** Who takes this person's tickets and reminders meanwhile. */
  coverId?: string | null;
}

export const weekdayKey = (isoWeekday: number): WeekdayKey => WEEKDAY_KEYS[(((isoWeekday - 1) % 7) + 7) % 7]!;

const onLeave = (leaves: readonly Leave[], personId: string, date: string): Leave | undefined =>
  leaves.find((l) => l.personId === personId && l.from <= date && date <= l.to);

/** The roster's people for that weekday (every handler when the department has no roster). */
export function rostered(dept: Department, isoWeekday: number): string[] {
  if (!dept.roster) return [...dept.handlers];
  return [...(dept.roster[weekdayKey(isoWeekday)] ?? [])];
}

/** Who is on duty: rostered and not on leave, plus those covering someone rostered who is away. */
export function onDuty(dept: Department, date: string, isoWeekday: number, leaves: readonly Leave[]): string[] {
  const out: string[] = [];
  for (const id of rostered(dept, isoWeekday)) {
    const away = onLeave(leaves, id, date);
    const who = away ? away.coverId : id;
    if (who && !onLeave(leaves, who, date) && !out.includes(who)) out.push(who);
  }
  return out;
}

/**
 * Who gets a person's reminders on that date: the person when on duty; else their cover from the
 * leave; else the first of the department on duty; undefined when nobody is (the leads then).
 */
export function coverFor(dept: Department, personId: string, date: string, isoWeekday: number, leaves: readonly Leave[]): string | undefined {
  const duty = onDuty(dept, date, isoWeekday, leaves);
  if (duty.includes(personId)) return personId;
  const cover = onLeave(leaves, personId, date)?.coverId;
  if (cover && duty.includes(cover)) return cover;
  return duty.find((id) => dept.handlers.includes(id)) ?? duty[0];
}

/** "2026-12-03~2026-12-05" or one date → [from, to]; undefined when it is no such range. */
export function parseDateRange(s: string): { from: string; to: string } | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:\s*[~～至-]{1,2}\s*(\d{4}-\d{2}-\d{2}))?$/.exec(s.trim());
  if (!m) return undefined;
  const from = m[1]!;
  const to = m[2] ?? from;
  const valid = (d: string) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
  if (!valid(from) || !valid(to) || to < from) return undefined;
  return { from, to };
}
