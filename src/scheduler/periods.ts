// Which digest is due and which period it covers, from the configured cron expressions in the
// calendar's zone. Daily: only on working days (holidays skipped, 调休 days included), covering the
// time since the previous one. Weekly: the 7 local days before the occurrence's date. Monthly: the
// previous calendar month. A weekly/monthly occurrence on a non-working day goes out at the same time
// on the next working day. A digest is sent on the local day it is due or not at all (a server down
// for the whole day does not send yesterday's digest late).
import type { WorkCalendar } from "../core/calendar.js";
import { latestOccurrence, parseCron } from "../core/cron.js";
import { localRange as range } from "../app/figures.js";

export type DigestKind = "daily" | "weekly" | "monthly";

export interface DigestPeriod {
  kind: DigestKind;
  /** The cron occurrence this digest belongs to. */
  occurrence: Date;
  sendAt: Date;
  /** Local dates, inclusive. */
  from: string;
  to: string;
  start: Date;
  /** Exclusive. */
  end: Date;
  previous: { from: string; to: string; start: Date; end: Date };
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** The local HH:MM of an instant, via its offset from local midnight. */
function localTime(cal: WorkCalendar, at: Date): string {
  const min = Math.round((at.getTime() - cal.startOfLocalDay(cal.localDate(at)).getTime()) / 60_000);
  return `${pad2(Math.floor(min / 60))}:${pad2(min % 60)}`;
}

const firstOfMonth = (date: string) => `${date.slice(0, 7)}-01`;
function addMonths(first: string, n: number): string {
  const [y, m] = first.split("-").map(Number) as [number, number];
  const t = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-01`;
}


export function duePeriod(kind: DigestKind, expr: string, cal: WorkCalendar, now: Date): DigestPeriod | undefined {
  if (expr === "off") return undefined;
  const spec = parseCron(expr);
  if (kind === "daily") {
    const working = (d: string) => cal.isWorkingDay(d);
    const occurrence = latestOccurrence(spec, cal, now, { day: working, maxDays: 0 });
    if (!occurrence) return undefined;
    const prev = latestOccurrence(spec, cal, new Date(occurrence.getTime() - 1), { day: working, maxDays: 31 }) ?? new Date(occurrence.getTime() - 86_400_000);
    const from = cal.localDate(prev);
    const to = cal.localDate(occurrence);
    // "New since the previous digest": the window runs between the two occurrences, not whole days.
    return { kind, occurrence, sendAt: occurrence, from, to, start: prev, end: occurrence, previous: { from, to, start: prev, end: prev } };
  }
  const occurrence = latestOccurrence(spec, cal, now, { maxDays: kind === "weekly" ? 31 : 400 });
  if (!occurrence) return undefined;
  const date = cal.localDate(occurrence);
  const sendDate = cal.addWorkingDays(date, 0);
  const sendAt = sendDate === date ? occurrence : cal.atLocalTime(sendDate, localTime(cal, occurrence));
  if (now < sendAt || cal.localDate(now) !== sendDate) return undefined;
  if (kind === "weekly") {
    const cur = range(cal, cal.addLocalDays(date, -7), cal.addLocalDays(date, -1));
    return { kind, occurrence, sendAt, ...cur, previous: range(cal, cal.addLocalDays(date, -14), cal.addLocalDays(date, -8)) };
  }
  const thisMonth = firstOfMonth(date);
  const from = addMonths(thisMonth, -1);
  const prevFrom = addMonths(thisMonth, -2);
  return { kind, occurrence, sendAt, ...range(cal, from, cal.addLocalDays(thisMonth, -1)), previous: range(cal, prevFrom, cal.addLocalDays(from, -1)) };
}

