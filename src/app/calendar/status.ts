// How far the calendar's official data reaches and where it comes from: /healthz's "calendar" field,
// the console calendar page, /calendar in chat and the managers' warning all read this.
import { CN_PACKAGE_NAME, CN_PACKAGE_SOURCE, CN_PACKAGE_VERSION } from "../../core/cn-package.js";
import { daysBetween } from "../../core/holiday-data.js";
import { feedRows, feedYears } from "../../store/calendar.js";
import type { AppContext } from "../context.js";
import { displayUrl, expandFeeds } from "./feeds.js";

export type CalendarSourceInfo =
  | { kind: "package"; name: string; version: string; firstYear: number; lastYear: number }
  | {
      kind: "feed";
      url: string;
      format: string;
      status: "ok" | "failing" | "pending";
      fetchedAt: string | null;
      checkedAt: string | null;
      error: string | null;
      years: number[];
      offDays: number;
      workDays: number;
    }
  | { kind: "config"; days: number }
  | { kind: "edits"; days: number; officialYears: number[]; edits: number; lastEditAt: string | null; lastEditBy: string | null };

export interface CalendarStatus {
  /** Last date with official (non-provisional) holiday data; null when none is expected (holidays "none", no feeds). */
  through: string | null;
  /** Days from today to `through` (negative once past). */
  daysLeft: number | null;
  /** This year and the next where only provisional statutory days are known. */
  provisional: number[];
  sources: CalendarSourceInfo[];
}

/** How far official data reaches, from the calendar in use (no database read). */
export function calendarHorizon(ctx: AppContext, now: Date): Omit<CalendarStatus, "sources"> {
  const days = ctx.calendarData.current().days;
  const today = ctx.calendar.localDate(now);
  const through = days.through(today) ?? null;
  return { through, daysLeft: through ? daysBetween(today, through) : null, provisional: days.provisionalYears(today) };
}

/** Feed rows are read afresh: a failed fetch records its error without changing the calendar version. */
export async function calendarStatus(ctx: AppContext, now: Date): Promise<CalendarStatus> {
  const snap = ctx.calendarData.current();
  const cfg = ctx.config.calendar;
  const today = ctx.calendar.localDate(now);
  const sources: CalendarSourceInfo[] = [];
  if (cfg.holidays === "cn") {
    const years = CN_PACKAGE_SOURCE.years;
    sources.push({ kind: "package", name: CN_PACKAGE_NAME, version: CN_PACKAGE_VERSION, firstYear: years[0]!, lastYear: years.at(-1)! });
  }
  const rows = await feedRows(ctx.db, cfg.feeds.map((f) => f.url));
  for (const t of expandFeeds(cfg.feeds, Number(today.slice(0, 4)))) {
    const row = rows.find((r) => r.url === t.url);
    sources.push({
      kind: "feed",
      url: displayUrl(t.url),
      format: t.format,
      status: !row?.checkedAt ? "pending" : row.error ? "failing" : "ok",
      fetchedAt: row?.fetchedAt?.toISOString() ?? null,
      checkedAt: row?.checkedAt?.toISOString() ?? null,
      error: row?.error ?? null,
      years: row?.fetchedAt ? feedYears(row) : [],
      offDays: row?.offDays ?? 0,
      workDays: row?.workDays ?? 0,
    });
  }
  const extra = new Set([...cfg.extraHolidays, ...cfg.extraWorkdays]).size;
  if (extra) sources.push({ kind: "config", days: extra });
  if (snap.edits.count)
    sources.push({
      kind: "edits",
      days: snap.editState.days.size,
      officialYears: [...snap.editState.officialYears],
      edits: snap.edits.count,
      lastEditAt: snap.edits.last?.at.toISOString() ?? null,
      lastEditBy: snap.edits.last ? (snap.edits.last.actorName ?? snap.edits.last.actorId) : null,
    });
  return { ...calendarHorizon(ctx, now), sources };
}
