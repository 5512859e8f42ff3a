// Report periods: the last 7 / 30 local days, or a custom range of local dates (inclusive), with
// chart buckets (days, or weeks past two months) and the equally long period before it.
import type { WorkCalendar } from "../core/calendar.js";
import type { Bucket } from "../store/reports.js";

export type PeriodKind = "week" | "month" | "custom";

export interface Period {
  kind: PeriodKind;
  /** Local dates, inclusive. */
  from: string;
  to: string;
  days: number;
  start: Date;
  end: Date;
  previous: { start: Date; end: Date; from: string; to: string };
  buckets: (Bucket & { label: string; from: string })[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const MAX_DAYS = 366;

const dayDiff = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

export function parsePeriod(get: (name: string) => string | undefined, cal: WorkCalendar, now: Date): Period {
  const today = cal.localDate(now);
  let kind: PeriodKind = get("period") === "month" ? "month" : "week";
  let from = cal.addLocalDays(today, kind === "month" ? -29 : -6);
  let to = today;
  const f = get("from");
  const t = get("to");
  if ((get("period") === "custom" || (f && t)) && f && t && DATE.test(f) && DATE.test(t) && !Number.isNaN(Date.parse(f)) && !Number.isNaN(Date.parse(t))) {
    kind = "custom";
    [from, to] = f <= t ? [f, t] : [t, f];
    if (dayDiff(from, to) + 1 > MAX_DAYS) from = cal.addLocalDays(to, -(MAX_DAYS - 1));
  }
  return periodOf(kind, from, to, cal);
}

export function periodOf(kind: PeriodKind, from: string, to: string, cal: WorkCalendar): Period {
  const days = dayDiff(from, to) + 1;
  const step = days > 62 ? 7 : 1;
  const buckets: Period["buckets"] = [];
  for (let d = from; d <= to; d = cal.addLocalDays(d, step)) {
    const next = cal.addLocalDays(d, step);
    const endDay = next > cal.addLocalDays(to, 1) ? cal.addLocalDays(to, 1) : next;
    buckets.push({ from: d, label: d.slice(5), start: cal.startOfLocalDay(d), end: cal.startOfLocalDay(endDay) });
  }
  const prevTo = cal.addLocalDays(from, -1);
  const prevFrom = cal.addLocalDays(from, -days);
  return {
    kind,
    from,
    to,
    days,
    start: cal.startOfLocalDay(from),
    end: cal.startOfLocalDay(cal.addLocalDays(to, 1)),
    previous: { from: prevFrom, to: prevTo, start: cal.startOfLocalDay(prevFrom), end: cal.startOfLocalDay(from) },
    buckets,
  };
}
