// Cron expressions in node-cron's dialect (5 fields, or 6 with seconds first; names like mon / jan;
// day-of-month AND day-of-week must both match, as node-cron does), evaluated in a calendar's zone.
// Pure: Node schedules with node-cron, but both runtimes' tick decides with this whether a digest is due.
import type { WorkCalendar } from "./calendar.js";
import { ChatDeskError } from "./errors.js";

export interface CronSpec {
  readonly source: string;
  /** Descending, so the latest time of a day is found first. */
  readonly seconds: readonly number[];
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekdays: ReadonlySet<number>;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const FULL_WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const FULL_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

interface FieldDef {
  name: string;
  min: number;
  max: number;
  names?: (s: string) => number | undefined;
}

const FIELDS: FieldDef[] = [
  { name: "second", min: 0, max: 59 },
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  {
    name: "month",
    min: 1,
    max: 12,
    names: (s) => {
      const i = Math.max(MONTHS.indexOf(s), FULL_MONTHS.indexOf(s));
      return i >= 0 ? i + 1 : undefined;
    },
  },
  {
    name: "day of week",
    min: 0,
    max: 7,
    names: (s) => {
      const i = Math.max(WEEKDAYS.indexOf(s), FULL_WEEKDAYS.indexOf(s));
      return i >= 0 ? i : undefined;
    },
  },
];

const bad = (expr: string, msg: string) => new ChatDeskError("INVALID_INPUT", `cron "${expr}": ${msg}`);

function parseField(expr: string, text: string, f: FieldDef): number[] {
  const out = new Set<number>();
  const value = (s: string): number => {
    const named = f.names?.(s.toLowerCase());
    if (named !== undefined) return named;
    if (!/^\d+$/.test(s)) throw bad(expr, `${f.name}: "${s}" is not a number${f.names ? " or a name" : ""}`);
    const n = Number(s);
    if (n < f.min || n > f.max) throw bad(expr, `${f.name}: ${n} is outside ${f.min}–${f.max}`);
    return n;
  };
  for (const part of text.split(",")) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!m) throw bad(expr, `${f.name}: cannot read "${part}"`);
    const step = m[2] !== undefined ? Number(m[2]) : 1;
    if (step < 1) throw bad(expr, `${f.name}: step must be at least 1`);
    let lo: number;
    let hi: number;
    if (m[1] === "*") [lo, hi] = [f.min, f.max];
    else if (m[1]!.includes("-")) {
      const [a, b, ...rest] = m[1]!.split("-");
      if (rest.length || a === undefined || b === undefined) throw bad(expr, `${f.name}: cannot read "${part}"`);
      [lo, hi] = [value(a), value(b)];
      if (lo > hi) throw bad(expr, `${f.name}: range ${lo}-${hi} runs backwards`);
    } else {
      // node-cron rejects "5/15": a step goes with * or a range.
      if (m[2] !== undefined) throw bad(expr, `${f.name}: a step needs * or a range ("*/${m[2]}", "${m[1]}-${f.max}/${m[2]}")`);
      lo = hi = value(m[1]!);
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return [...out];
}

/** Parse an expression; throws INVALID_INPUT naming the field at fault. */
export function parseCron(expr: string): CronSpec {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) throw bad(expr, `expected 5 fields (minute hour day month weekday) or 6 with seconds, got ${parts.length}`);
  const fields = parts.length === 6 ? parts : ["0", ...parts];
  const [s, mi, h, d, mo, w] = fields.map((t, i) => parseField(expr, t, FIELDS[i]!));
  const desc = (xs: number[]) => [...xs].sort((a, b) => b - a);
  return {
    source: expr,
    seconds: desc(s!),
    minutes: desc(mi!),
    hours: desc(h!),
    days: new Set(d),
    months: new Set(mo),
    weekdays: new Set(w!.map((x) => x % 7)),
  };
}

/** The problem with an expression, or undefined when it is valid (for config validation). */
export function cronProblem(expr: string): string | undefined {
  try {
    parseCron(expr);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const pad2 = (n: number) => String(n).padStart(2, "0");

export interface OccurrenceOptions {
  /** Only local dates passing this test count (e.g. working days). */
  day?: (localDate: string) => boolean;
  /** How far back to look, in local days. */
  maxDays?: number;
}

/** The latest instant at or before `now` that the expression matches, in the calendar's zone. */
export function latestOccurrence(spec: CronSpec, cal: WorkCalendar, now: Date, o: OccurrenceOptions = {}): Date | undefined {
  const maxDays = o.maxDays ?? 400;
  let date = cal.localDate(now);
  for (let i = 0; i <= maxDays; i++, date = cal.addLocalDays(date, -1)) {
    const [, mo, d] = date.split("-").map(Number) as [number, number, number];
    if (!spec.months.has(mo) || !spec.days.has(d) || !spec.weekdays.has(cal.isoWeekday(date) % 7)) continue;
    if (o.day && !o.day(date)) continue;
    for (const h of spec.hours) {
      for (const m of spec.minutes) {
        const base = cal.atLocalTime(date, `${pad2(h)}:${pad2(m)}`);
        // A wall-clock time that a DST jump moved onto another day is not this day's occurrence.
        if (cal.localDate(base) !== date) continue;
        for (const s of spec.seconds) {
          const at = new Date(base.getTime() + s * 1000);
          if (at <= now) return at;
        }
      }
    }
  }
  return undefined;
}
