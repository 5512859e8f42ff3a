// Working-time calendar: which local days are working days and how many working minutes lie
// between two instants. Pure (no I/O, no Node APIs): it runs in Node and in Cloudflare Workers.
// The caller always passes the instant; nothing here reads the system clock. Which dates are holidays
// or make-up working days (调休) is data passed in (a DayTable, see holiday-data.ts); this module
// only knows the week and the working hours.
import { DateTime, IANAZone } from "luxon";
import { ChatDeskError } from "./errors.js";

/** The week and the working hours (the workflow file's calendar section satisfies it). */
export interface WorkingTimeSettings {
  readonly timeZone: string;
  /** ISO weekdays (1 = Monday … 7 = Sunday) that are working days unless the day table says otherwise. */
  readonly workdays: readonly number[];
  readonly hours: readonly { readonly start: string; readonly end: string }[];
}

/** Where a date's marking comes from, lowest precedence first (see docs/calendar.md). */
export type DaySource = "package" | "provisional" | "feed" | "law" | "config" | "edit";

/** A date that is not an ordinary day of its week: a day off, or a working day (调休 make-up day). */
export interface DayMark {
  readonly working: boolean;
  readonly name?: string;
  readonly source: DaySource;
  /** The feed URL, the package name, …, for display. */
  readonly sourceId?: string;
  /** Computed from the law's fixed and lunar dates; no official arrangement (and no 调休) known yet. */
  readonly provisional?: boolean;
}

/** Holidays and make-up days by local date. */
export interface DayTable {
  mark(localDate: string): DayMark | undefined;
  /** Some date is marked as a working day (a calendar without weekdays may still work on those). */
  readonly hasWorkingDays: boolean;
}

export const NO_DAYS: DayTable = { mark: () => undefined, hasWorkingDays: false };

export interface WorkCalendar {
  readonly timeZone: string;
  /** Nominal working minutes of one working day (sum of cfg.hours; 480 for 09–12 + 13–18). */
  readonly dailyWorkingMinutes: number;
  /** YYYY-MM-DD of `at` in the calendar's zone. */
  localDate(at: Date): string;
  /** ISO weekday (1 = Monday … 7 = Sunday) of a local date. */
  isoWeekday(localDate: string): number;
  isWorkingDay(localDate: string): boolean;
  /** The day table's marking of a local date (holiday, make-up day), if any. */
  dayMark(localDate: string): DayMark | undefined;
  /** True inside a working period; periods are half-open [start, end). */
  isWorkingTime(at: Date): boolean;
  /**
   * `from` plus `minutes` of working time. Outside working time counting starts at the next period
   * start; a result equal to a period end is returned as that end (not the next period's start).
   * Negative minutes count backwards (counting starts at the previous period end).
   */
  addWorkingMinutes(from: Date, minutes: number): Date;
  /** Working minutes in [a, b] (fractional when the instants are not on whole minutes); 0 if b <= a. */
  workingMinutesBetween(a: Date, b: Date): number;
  /** `at` itself when it is working time, else the start of the next working period. */
  nextWorkingStart(at: Date): Date;
  /** The first instant of a local date (local midnight, or the first existing time on a DST day). */
  startOfLocalDay(localDate: string): Date;
  /** The instant of HH:MM on a local date ("24:00" is the next day's start). */
  atLocalTime(localDate: string, hhmm: string): Date;
  addLocalDays(localDate: string, n: number): string;
  /** The n-th working day after (n > 0) or before (n < 0) a local date; n = 0 gives the date itself if working, else the next working day. */
  addWorkingDays(localDate: string, n: number): string;
}

interface DayInfo {
  readonly date: string;
  /** Epoch ms of this date's midnight in UTC minus startMs: the zone offset at the day's start. */
  readonly offsetMs: number;
  readonly working: boolean;
  /** Working periods as epoch-ms [start, end), empty on non-working days. */
  readonly periods: ReadonlyArray<readonly [number, number]>;
  readonly startMs: number;
  /** Start of the next local day. */
  readonly endMs: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far the cumulative working-time index grows in one step (about ten years of days). */
const CUMULATIVE_REACH_MS = 3_660 * DAY_MS;
/** More consecutive non-working days than this means the configuration has (almost) no working time. */
const MAX_IDLE_DAYS = 400;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HHMM_RE = /^(\d{2}):(\d{2})$/;

const parseLocalDate = (localDate: string): [number, number, number] => {
  const m = DATE_RE.exec(localDate);
  if (!m) throw new ChatDeskError("INVALID_INPUT", `expected a YYYY-MM-DD date, got "${localDate}"`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d)
    throw new ChatDeskError("INVALID_INPUT", `no such date "${localDate}"`);
  return [y, mo, d];
};

const parseHhmm = (hhmm: string): [number, number] => {
  const m = HHMM_RE.exec(hhmm);
  const h = Number(m?.[1]);
  const min = Number(m?.[2]);
  if (!m || min > 59 || h > 24 || (h === 24 && min !== 0))
    throw new ChatDeskError("INVALID_INPUT", `expected HH:MM between 00:00 and 24:00, got "${hhmm}"`);
  return [h, min];
};

const pad2 = (n: number) => String(n).padStart(2, "0");

/** Calendar arithmetic on plain dates, independent of any zone. */
const shiftDate = (localDate: string, n: number): string => {
  const [y, m, d] = parseLocalDate(localDate);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return `${String(t.getUTCFullYear()).padStart(4, "0")}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}`;
};

const isoWeekdayOf = (localDate: string): number => {
  const [y, m, d] = parseLocalDate(localDate);
  const js = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return js === 0 ? 7 : js;
};

/** Working ms of day `d` inside [ta, tb). */
function workIn(d: DayInfo, ta: number, tb: number): number {
  let total = 0;
  for (const [s, e] of d.periods) {
    const lo = Math.max(s, ta);
    const hi = Math.min(e, tb);
    if (hi > lo) total += hi - lo;
  }
  return total;
}

/**
 * Working ms from an anchor day's start to each day's start, for the days between the lowest and the
 * highest asked so far: a span of weeks is then two lookups, not a walk over its days (a month's digest
 * measures 10,000 solved tickets of ~37 days each). Whole ms, so the sums are exact. undefined: the day
 * is further from the known ones than CUMULATIVE_REACH_MS (the caller walks instead).
 */
function cumulativeWork(nextDay: (d: DayInfo) => DayInfo, prevDay: (d: DayInfo) => DayInfo): (d: DayInfo) => number | undefined {
  const before = new Map<DayInfo, number>();
  let low: DayInfo | undefined;
  let high: DayInfo | undefined;
  return (d) => {
    const known = before.get(d);
    if (known !== undefined) return known;
    if (!low || !high) {
      before.set(d, 0);
      low = high = d;
      return 0;
    }
    if (Math.abs(d.startMs - (d.startMs > high.startMs ? high.startMs : low.startMs)) > CUMULATIVE_REACH_MS) return undefined;
    while (high.startMs < d.startMs) {
      const at = before.get(high)! + workIn(high, high.startMs, high.endMs);
      before.set((high = nextDay(high)), at);
    }
    while (low.startMs > d.startMs) {
      const prev = prevDay(low);
      before.set(prev, before.get(low)! - workIn(prev, prev.startMs, prev.endMs));
      low = prev;
    }
    return before.get(d);
  };
}

export function createCalendar(cfg: WorkingTimeSettings, days: DayTable): WorkCalendar {
  const zone = cfg.timeZone;
  if (!IANAZone.isValidZone(zone)) throw new ChatDeskError("CONFIG_INVALID", `unknown IANA time zone "${zone}"`);

  let hours: Array<{ start: [number, number]; end: [number, number] }>;
  try {
    hours = cfg.hours.map((h) => ({ start: parseHhmm(h.start), end: parseHhmm(h.end) }));
  } catch (e) {
    throw new ChatDeskError("CONFIG_INVALID", `calendar.hours: ${(e as Error).message}`);
  }
  const toMin = ([h, m]: [number, number]) => h * 60 + m;
  hours.forEach((h, i) => {
    const prev = hours[i - 1];
    if (toMin(h.start) >= toMin(h.end) || (prev && toMin(prev.end) > toMin(h.start)))
      throw new ChatDeskError("CONFIG_INVALID", "calendar.hours: working periods must be ordered and not overlap");
  });
  const dailyWorkingMinutes = hours.reduce((sum, h) => sum + toMin(h.end) - toMin(h.start), 0);
  if (dailyWorkingMinutes <= 0) throw new ChatDeskError("CONFIG_INVALID", "calendar.hours: no working period");

  const workdays = new Set(cfg.workdays);
  // 调休 days alone would leave months without working time; refuse such a calendar up front.
  if (workdays.size === 0 && !days.hasWorkingDays)
    throw new ChatDeskError("CONFIG_INVALID", "calendar has no working day (calendar.workdays and extraWorkdays are empty)");

  const workingDayCache = new Map<string, boolean>();
  const isWorkingDay = (localDate: string): boolean => {
    let v = workingDayCache.get(localDate);
    if (v !== undefined) return v;
    v = days.mark(localDate)?.working ?? workdays.has(isoWeekdayOf(localDate));
    workingDayCache.set(localDate, v);
    return v;
  };

  const wallClock = (localDate: string, h: number, m: number): number => {
    const [y, mo, d] = parseLocalDate(localDate);
    // 24:00 is the next day's midnight; luxon moves times inside a DST gap forward.
    if (h === 24) return dayStart(shiftDate(localDate, 1));
    return DateTime.fromObject({ year: y, month: mo, day: d, hour: h, minute: m }, { zone }).toMillis();
  };

  const dayStartCache = new Map<string, number>();
  const dayStart = (localDate: string): number => {
    let v = dayStartCache.get(localDate);
    if (v === undefined) {
      const [y, mo, d] = parseLocalDate(localDate);
      v = DateTime.fromObject({ year: y, month: mo, day: d }, { zone }).toMillis();
      dayStartCache.set(localDate, v);
    }
    return v;
  };

  const dayCache = new Map<string, DayInfo>();
  const day = (localDate: string): DayInfo => {
    let info = dayCache.get(localDate);
    if (info) return info;
    const working = isWorkingDay(localDate);
    const periods: Array<readonly [number, number]> = [];
    if (working) {
      for (const h of hours) {
        const s = wallClock(localDate, h.start[0], h.start[1]);
        const e = wallClock(localDate, h.end[0], h.end[1]);
        if (e > s) periods.push([s, e]); // a period swallowed by a DST gap is dropped
      }
    }
    const [y, mo, d] = parseLocalDate(localDate);
    const startMs = dayStart(localDate);
    info = { date: localDate, offsetMs: Date.UTC(y, mo - 1, d) - startMs, working, periods, startMs, endMs: dayStart(shiftDate(localDate, 1)) };
    dayCache.set(localDate, info);
    return info;
  };

  const nextLinks = new Map<DayInfo, DayInfo>();
  const prevLinks = new Map<DayInfo, DayInfo>();
  const nextDay = (d: DayInfo): DayInfo => {
    let n = nextLinks.get(d);
    if (!n) nextLinks.set(d, (n = day(shiftDate(d.date, 1))));
    return n;
  };
  const prevDay = (d: DayInfo): DayInfo => {
    let p = prevLinks.get(d);
    if (!p) prevLinks.set(d, (p = day(shiftDate(d.date, -1))));
    return p;
  };

  // The local day containing an instant. Guess it with the last seen zone offset (days partition the
  // timeline, so a wrong guess after an offset change is off by at most a day and gets corrected);
  // this avoids a zone conversion per call, which dominated the cost for 100k tickets.
  let lastDay: DayInfo | undefined;
  const dayOf = (t: number): DayInfo => {
    if (lastDay && t >= lastDay.startMs && t < lastDay.endMs) return lastDay;
    let d: DayInfo;
    if (lastDay) {
      const g = new Date(t + lastDay.offsetMs);
      d = day(`${String(g.getUTCFullYear()).padStart(4, "0")}-${pad2(g.getUTCMonth() + 1)}-${pad2(g.getUTCDate())}`);
    } else {
      const iso = DateTime.fromMillis(t, { zone }).toISODate();
      if (!iso) throw new ChatDeskError("INVALID_INPUT", `invalid instant ${t}`);
      d = day(iso);
    }
    for (let i = 0; i < 3 && t < d.startMs; i++) d = prevDay(d);
    for (let i = 0; i < 3 && t >= d.endMs; i++) d = nextDay(d);
    if (t < d.startMs || t >= d.endMs) throw new ChatDeskError("INVALID_INPUT", `cannot place instant ${t} in a local day`);
    lastDay = d;
    return d;
  };

  const ms = (d: Date): number => {
    const t = d.getTime();
    if (!Number.isFinite(t)) throw new ChatDeskError("INVALID_INPUT", "invalid Date");
    return t;
  };

  const noWorkingTime = (from: number): never => {
    throw new ChatDeskError(
      "CONFIG_INVALID",
      `calendar has no working time within ${MAX_IDLE_DAYS} days of ${new Date(from).toISOString()}`,
    );
  };

  const addForward = (from: number, remaining: number): number => {
    let t = from;
    let d = dayOf(t);
    let idle = 0;
    for (;;) {
      if (d.periods.length > 0) {
        idle = 0;
        for (const [s, e] of d.periods) {
          if (e <= t) continue;
          const start = Math.max(s, t);
          const avail = e - start;
          if (remaining <= avail) return start + remaining;
          remaining -= avail;
          t = e;
        }
      } else if (++idle > MAX_IDLE_DAYS) noWorkingTime(from);
      d = nextDay(d);
      t = Math.max(t, d.startMs);
    }
  };

  const addBackward = (from: number, remaining: number): number => {
    let t = from;
    let d = dayOf(t);
    let idle = 0;
    for (;;) {
      if (d.periods.length > 0) {
        idle = 0;
        for (let i = d.periods.length - 1; i >= 0; i--) {
          const [s, e] = d.periods[i]!;
          if (s >= t) continue;
          const end = Math.min(e, t);
          const avail = end - s;
          if (remaining <= avail) return end - remaining;
          remaining -= avail;
          t = s;
        }
      } else if (++idle > MAX_IDLE_DAYS) noWorkingTime(from);
      d = prevDay(d);
      t = Math.min(t, d.endMs);
    }
  };

  const addWorkingMinutes = (from: Date, minutes: number): Date => {
    if (!Number.isFinite(minutes)) throw new ChatDeskError("INVALID_INPUT", `invalid minutes ${minutes}`);
    const amount = Math.round(Math.abs(minutes) * MINUTE_MS);
    const t = ms(from);
    return new Date(minutes < 0 ? addBackward(t, amount) : addForward(t, amount));
  };

  const workBefore = cumulativeWork(nextDay, prevDay);
  const workingMinutesBetween = (a: Date, b: Date): number => {
    const ta = ms(a);
    const tb = ms(b);
    if (tb <= ta) return 0;
    const [first, last] = [dayOf(ta), dayOf(tb)];
    // A span of weeks: the days between from the cumulative index, else a walk over the days.
    const [from, to] = last.startMs - first.startMs > 2 * DAY_MS ? [workBefore(nextDay(first)), workBefore(last)] : [];
    if (from !== undefined && to !== undefined) return (workIn(first, ta, tb) + (to - from) + workIn(last, ta, tb)) / MINUTE_MS;
    let total = 0;
    for (let d = first; d.startMs < tb; d = nextDay(d)) total += workIn(d, ta, tb);
    return total / MINUTE_MS;
  };

  const isWorkingTime = (at: Date): boolean => {
    const t = ms(at);
    return dayOf(t).periods.some(([s, e]) => s <= t && t < e);
  };

  const addWorkingDays = (localDate: string, n: number): string => {
    if (!Number.isInteger(n)) throw new ChatDeskError("INVALID_INPUT", `expected an integer number of days, got ${n}`);
    let date = localDate;
    let left = Math.abs(n);
    const step = n < 0 ? -1 : 1;
    let idle = 0;
    if (n === 0) {
      while (!isWorkingDay(date)) {
        if (++idle > MAX_IDLE_DAYS) noWorkingTime(dayStart(localDate));
        date = shiftDate(date, 1);
      }
      return date;
    }
    while (left > 0) {
      date = shiftDate(date, step);
      if (isWorkingDay(date)) {
        left--;
        idle = 0;
      } else if (++idle > MAX_IDLE_DAYS) noWorkingTime(dayStart(localDate));
    }
    return date;
  };

  return {
    timeZone: zone,
    dailyWorkingMinutes,
    localDate: (at) => dayOf(ms(at)).date,
    isoWeekday: isoWeekdayOf,
    isWorkingDay: (localDate) => {
      parseLocalDate(localDate);
      return isWorkingDay(localDate);
    },
    dayMark: (localDate) => {
      parseLocalDate(localDate);
      return days.mark(localDate);
    },
    isWorkingTime,
    addWorkingMinutes,
    workingMinutesBetween,
    nextWorkingStart: (at) => new Date(addForward(ms(at), 0)),
    startOfLocalDay: (localDate) => new Date(dayStart(localDate)),
    atLocalTime: (localDate, hhmm) => {
      const [h, m] = parseHhmm(hhmm);
      return new Date(wallClock(localDate, h, m));
    },
    addLocalDays: (localDate, n) => {
      if (!Number.isInteger(n)) throw new ChatDeskError("INVALID_INPUT", `expected an integer number of days, got ${n}`);
      return shiftDate(localDate, n);
    },
    addWorkingDays,
  };
}
