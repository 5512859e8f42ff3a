// What a holiday feed's body means: days off and make-up working days, and the years it covers. Two
// formats (docs/calendar.md lists exactly what is accepted):
// - ics: any RFC 5545 calendar (https://www.rfc-editor.org/rfc/rfc5545), parsed with ical.js (maintained,
//   no Node built-ins, so the Worker runs it too). Every all-day VEVENT day is a day off, unless its
//   SUMMARY contains a make-up marker (班 / 补班 / 调休上班 …), then it is a working day. Timed and
//   cancelled events are ignored; yearly or other recurring events are expanded over a window of years.
// - json: per-year day lists with an off-day flag, as NateScarlet/holiday-cn publishes them
//   ({ year, days: [{ name, date, isOffDay }] }), also several such objects or a bare list of days.
import ICAL from "ical.js";
import { z } from "zod";
import { ChatDeskError } from "../../core/errors.js";
import type { HolidayDay } from "../../core/holiday-data.js";

export type FeedFormat = "ics" | "json";

export interface ParsedFeed {
  days: HolidayDay[];
  /** The years whose arrangement the feed gives (JSON "year" fields, else the years with a day off). */
  years: number[];
}

export interface ParseOptions {
  workdayMarkers: readonly string[];
  /** Recurring ICS events are expanded over these years (inclusive). */
  fromYear: number;
  toYear: number;
}

/** Longest run one event or a JSON file may mark; longer ones are mistakes (an open-ended event). */
const MAX_EVENT_DAYS = 60;
const MAX_NAME = 40;
const MIN_YEAR = 1990;
const MAX_YEAR = 2100;

const bad = (reason: string) => new ChatDeskError("PAYLOAD_INVALID", reason);
const pad2 = (n: number) => String(n).padStart(2, "0");
const isoOf = (y: number, m: number, d: number) => `${y}-${pad2(m)}-${pad2(d)}`;
const cleanName = (s: unknown): string | undefined => {
  const t = typeof s === "string" ? s.replace(/\s+/g, " ").trim() : "";
  return t ? t.slice(0, MAX_NAME) : undefined;
};

function dateRange(start: { year: number; month: number; day: number }, endExclusive: { year: number; month: number; day: number } | undefined): string[] {
  const from = Date.UTC(start.year, start.month - 1, start.day);
  const to = endExclusive ? Date.UTC(endExclusive.year, endExclusive.month - 1, endExclusive.day) : from + 86_400_000;
  const n = Math.round((to - from) / 86_400_000);
  if (n > MAX_EVENT_DAYS) throw bad(`an event spans ${n} days (${isoOf(start.year, start.month, start.day)} …); at most ${MAX_EVENT_DAYS} are accepted`);
  const out: string[] = [];
  for (let t = from; t < Math.max(to, from + 86_400_000); t += 86_400_000) {
    const d = new Date(t);
    out.push(isoOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()));
  }
  return out;
}

/** Days of one occurrence: all-day only (a timed event is a meeting, not a holiday). */
function occurrenceDays(start: ICAL.Time, end: ICAL.Time | undefined): string[] {
  if (!start.isDate) return [];
  return dateRange(start, end && end.isDate ? end : undefined);
}

/** Merge a day; a date marked both ways is a working day (the make-up marking is the explicit one). */
function put(into: Map<string, HolidayDay>, date: string, off: boolean, name: string | undefined): void {
  const year = Number(date.slice(0, 4));
  if (year < MIN_YEAR || year > MAX_YEAR) throw bad(`date ${date} is out of range`);
  const had = into.get(date);
  if (had && !had.off) return;
  into.set(date, { date, off, ...(name ? { name } : {}) });
}

function parseIcs(text: string, o: ParseOptions): ParsedFeed {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (e) {
    throw bad(`not an iCalendar file: ${(e as Error).message}`);
  }
  if (root.name !== "vcalendar") throw bad(`not an iCalendar file: the top component is ${root.name}`);
  const vevents = root.getAllSubcomponents("vevent");
  const days = new Map<string, HolidayDay>();
  const exceptions = vevents.filter((v) => v.hasProperty("recurrence-id"));
  const isWork = (summary: string) => o.workdayMarkers.some((m) => summary.includes(m));
  for (const v of vevents) {
    if (v.hasProperty("recurrence-id")) continue; // applied through its master below
    if (String(v.getFirstPropertyValue("status") ?? "").toUpperCase() === "CANCELLED") continue;
    const ev = new ICAL.Event(v, { strictExceptions: true, exceptions: exceptions.filter((x) => x.getFirstPropertyValue("uid") === v.getFirstPropertyValue("uid")) });
    if (!ev.startDate) continue;
    if (!ev.isRecurring()) {
      for (const d of occurrenceDays(ev.startDate, ev.endDate)) put(days, d, !isWork(ev.summary ?? ""), cleanName(ev.summary));
      continue;
    }
    const it = ev.iterator();
    for (let i = 0, next = it.next(); next && i < 2000; i++, next = it.next()) {
      if (next.year > o.toYear) break;
      if (next.year < o.fromYear) continue;
      const occ = ev.getOccurrenceDetails(next);
      if (String(occ.item.component.getFirstPropertyValue("status") ?? "").toUpperCase() === "CANCELLED") continue;
      for (const d of occurrenceDays(occ.startDate, occ.endDate)) put(days, d, !isWork(occ.item.summary ?? ""), cleanName(occ.item.summary));
    }
  }
  const list = [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
  return { days: list, years: offDayYears(list) };
}

const offDayYears = (days: readonly HolidayDay[]) => [...new Set(days.filter((d) => d.off).map((d) => Number(d.date.slice(0, 4))))].sort((a, b) => a - b);

const jsonDay = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD"),
  isOffDay: z.boolean(),
  name: z.string().optional(),
});
const jsonYear = z.object({ year: z.number().int().min(MIN_YEAR).max(MAX_YEAR).optional(), days: z.array(jsonDay) });
const jsonFeed = z.union([jsonYear, z.array(jsonYear).min(1), z.array(jsonDay)]);

function parseJson(text: string): ParsedFeed {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw bad(`not JSON: ${(e as Error).message}`);
  }
  const r = jsonFeed.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw bad(`not a holiday list: ${i ? `${i.path.join(".") || "(root)"}: ${i.message}` : "unexpected shape"} (expected {year, days: [{name, date, isOffDay}]})`);
  }
  const groups = Array.isArray(r.data) ? (r.data.length && "days" in (r.data[0] as object) ? (r.data as z.output<typeof jsonYear>[]) : [{ days: r.data as z.output<typeof jsonDay>[] }]) : [r.data];
  const days = new Map<string, HolidayDay>();
  for (const g of groups) {
    for (const d of g.days) {
      const [y, m, dd] = d.date.split("-").map(Number) as [number, number, number];
      const check = new Date(Date.UTC(y, m - 1, dd));
      if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== dd) throw bad(`no such date ${d.date}`);
      const had = days.get(d.date);
      if (had && had.off !== d.isOffDay) throw bad(`${d.date} is listed both as a day off and as a working day`);
      put(days, d.date, d.isOffDay, cleanName(d.name));
    }
  }
  const list = [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
  const declared = groups.map((g) => g.year).filter((y): y is number => typeof y === "number");
  const years = declared.length === groups.length ? [...new Set(declared)].sort((a, b) => a - b) : offDayYears(list);
  return { days: list, years };
}

/** The feed's days; throws PAYLOAD_INVALID with the reason when the body is not what its format says. */
export function parseFeed(format: FeedFormat, text: string, o: ParseOptions): ParsedFeed {
  return format === "ics" ? parseIcs(text, o) : parseJson(text);
}
