// One year of the calendar as people look at it: every date with its working status and marking,
// and the summary /calendar shows in chat.
import { calendarTexts, rangeText, type CalendarYearView } from "../../../cards/calendar.js";
import type { DayMark, WorkCalendar } from "../../core/calendar.js";
import type { Locale } from "../../core/types.js";
import { recentEdits, type CalendarEditRow } from "../../store/calendar.js";
import type { AppContext } from "../context.js";
import { displayName } from "../people.js";
import { calendarStatus, type CalendarSourceInfo } from "./status.js";

export interface YearDay {
  date: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  working: boolean;
  mark?: DayMark;
}

export function yearDays(cal: WorkCalendar, year: number): YearDay[] {
  const out: YearDay[] = [];
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = cal.addLocalDays(d, 1)) {
    out.push({ date: d, weekday: cal.isoWeekday(d), working: cal.isWorkingDay(d), mark: cal.dayMark(d) });
  }
  return out;
}

/** A source in a few words ("chinese-days 1.5.7, 2004–2026"). */
export function sourceLabel(s: CalendarSourceInfo, locale: Locale): string {
  const t = calendarTexts(locale);
  switch (s.kind) {
    case "package":
      return `${s.name} ${s.version} (${s.firstYear}–${s.lastYear})`;
    case "feed":
      return `${s.url}${s.years.length ? ` (${s.years.join(", ")})` : ""}${s.error ? ` ⚠ ${s.error}` : ""}`;
    case "config":
      return t.source.config!.replace("{n}", String(s.days));
    case "edits":
      return t.source.edits!.replace("{n}", String(s.days));
  }
}

/** "设为休息日 2027-02-06~2027-02-12 春节". */
export function editWhat(e: Pick<CalendarEditRow, "action" | "fromDate" | "toDate" | "name">, locale: Locale): string {
  const t = calendarTexts(locale);
  const what = e.action === "official" || e.action === "provisional" ? e.fromDate.slice(0, 4) : rangeText(e.fromDate, e.toDate);
  return [t.action[e.action] ?? e.action, what, e.name ?? ""].filter(Boolean).join(" ");
}

export async function yearView(ctx: AppContext, year: number, locale: Locale): Promise<CalendarYearView> {
  const now = ctx.now();
  const status = await calendarStatus(ctx, now);
  const snap = ctx.calendarData.current();
  const days = yearDays(ctx.calendar, year)
    .filter((d) => d.mark)
    .map((d) => ({ date: d.date, working: d.working, name: d.mark?.name, provisional: d.mark?.provisional, edited: d.mark?.source === "edit" }));
  const edits = await recentEdits(ctx.db, 5, year);
  return {
    year,
    days,
    provisional: !snap.days.coveredYears.includes(year) && days.some((d) => d.provisional),
    officialByHand: snap.editState.officialYears.includes(year),
    through: status.through,
    sources: status.sources.map((s) => sourceLabel(s, locale)),
    recent: edits.map((e) => ({ at: e.at, who: displayName(ctx.config, e.actorId, { carried: e.actorName }) ?? e.actorId, what: editWhat(e, locale) })),
  };
}
