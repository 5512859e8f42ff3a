// Which part of a report range the digest rollups cover (migration digest_rollups): their "day" is the
// date at UTC+8, so the whole such days inside [start, end) are read from the rollups and the rest (at
// most a day at each end, none for ranges of Chinese local days) from "Ticket".

/** The rollups' day: the date at this offset from UTC (Asia/Shanghai, the default calendar.timeZone). */
export const ROLLUP_OFFSET_MS = 8 * 3_600_000;
const DAY = 86_400_000;

export interface TimeRange {
  start: Date;
  /** Exclusive. */
  end: Date;
}

export interface RangeSplit {
  /** Rollup days from (inclusive) to (exclusive), "YYYY-MM-DD"; undefined when no whole day fits. */
  days?: { from: string; to: string; start: Date; end: Date };
  /** What the rollups do not cover, read from the tickets. */
  edges: TimeRange[];
}

/** The rollup day an instant falls in. */
export const rollupDay = (at: Date): string => new Date(at.getTime() + ROLLUP_OFFSET_MS).toISOString().slice(0, 10);
/** The instant a rollup day starts, from its start in shifted (UTC+8) milliseconds. */
const dayStartAt = (shiftedMs: number): Date => new Date(shiftedMs - ROLLUP_OFFSET_MS);

export function splitRange(r: TimeRange): RangeSplit {
  const s = r.start.getTime() + ROLLUP_OFFSET_MS;
  const e = r.end.getTime() + ROLLUP_OFFSET_MS;
  const first = Math.ceil(s / DAY) * DAY;
  const last = Math.floor(e / DAY) * DAY;
  if (!(first < last)) return { edges: r.start < r.end ? [r] : [] };
  const days = { from: new Date(first).toISOString().slice(0, 10), to: new Date(last).toISOString().slice(0, 10), start: dayStartAt(first), end: dayStartAt(last) };
  const edges: TimeRange[] = [];
  if (r.start < days.start) edges.push({ start: r.start, end: days.start });
  if (days.end < r.end) edges.push({ start: days.end, end: r.end });
  return { days, edges };
}

/** The instant the rollup day holding `at` starts. */
export const rollupDayStart = (at: Date): Date => dayStartAt(Math.floor((at.getTime() + ROLLUP_OFFSET_MS) / DAY) * DAY);
