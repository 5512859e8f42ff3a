// Calendar data kept in the database: the feeds' last good data (CalendarFeed) and the run-time edits
// with their audit trail (CalendarEdit). The version read before every use is one cheap statement over
// both tables, so any process, thread or Worker isolate sees a change made by another.
import type { CalendarEdit, CalendarFeed } from "../generated/prisma/client.js";
import type { CalendarEdits, HolidayDay } from "../core/holiday-data.js";
import { isUniqueViolation, type Db } from "./db.js";

export type CalendarFeedRow = CalendarFeed;
export type CalendarEditRow = CalendarEdit;
export type EditAction = "off" | "work" | "reset" | "official" | "provisional";

type RawTime = string | number | Date | null;
const iso = (v: RawTime) => (v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : String(v));

/** Changes whenever an edit is added or a feed's stored days change. */
export async function calendarDataVersion(db: Db): Promise<string> {
  const rows = await db.$queryRawUnsafe<{ e: number | bigint | null; f: RawTime; n: number | bigint }[]>(
    `SELECT (SELECT MAX(id) FROM "CalendarEdit") AS e, (SELECT MAX("changedAt") FROM "CalendarFeed") AS f, (SELECT COUNT(*) FROM "CalendarFeed" WHERE "changedAt" IS NOT NULL) AS n`,
  );
  const r = rows[0];
  return `e${String(r?.e ?? 0)}|f${iso(r?.f ?? null)}|n${String(r?.n ?? 0)}`;
}

export const feedRows = (db: Db, sources: string[]) =>
  sources.length ? db.calendarFeed.findMany({ where: { source: { in: sources } }, orderBy: { url: "asc" } }) : Promise.resolve([] as CalendarFeedRow[]);

export const feedRow = (db: Db, url: string) => db.calendarFeed.findUnique({ where: { url } });

/**
 * Claim the next fetch of a feed URL: true for exactly one of several processes asking at once. The
 * claim is the attempt time, compared with the one the caller read.
 */
export async function claimFeedFetch(db: Db, feed: { url: string; source: string; format: string }, seen: CalendarFeedRow | null, now: Date): Promise<boolean> {
  if (!seen) {
    try {
      await db.calendarFeed.create({ data: { url: feed.url, source: feed.source, format: feed.format, checkedAt: now } });
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }
  const r = await db.calendarFeed.updateMany({ where: { url: feed.url, checkedAt: seen.checkedAt }, data: { checkedAt: now, source: feed.source, format: feed.format } });
  return r.count === 1;
}

export interface GoodFetch {
  days: HolidayDay[];
  years: number[];
  bytes: number;
}

/** Store a good fetch; returns whether the days differ from the ones stored. */
export async function storeGoodFetch(db: Db, url: string, prev: CalendarFeedRow | null, got: GoodFetch, now: Date): Promise<boolean> {
  const days = JSON.stringify(got.days);
  const changed = prev?.days !== days;
  const counts = { offDays: got.days.filter((d) => d.off).length, workDays: got.days.filter((d) => !d.off).length };
  await db.calendarFeed.update({
    where: { url },
    data: { fetchedAt: now, error: null, bytes: got.bytes, ...(changed ? { days, years: JSON.stringify(got.years), changedAt: now, ...counts } : {}) },
  });
  return changed;
}

export const recordFeedError = (db: Db, url: string, error: string) => db.calendarFeed.update({ where: { url }, data: { error: error.slice(0, 500) } });

export const feedDays = (row: CalendarFeedRow): HolidayDay[] => parseJsonList<HolidayDay>(row.days);
export const feedYears = (row: CalendarFeedRow): number[] => parseJsonList<number>(row.years);

function parseJsonList<T>(text: string): T[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}

export interface NewEdit {
  at: Date;
  actorId: string;
  actorName?: string;
  via: "chat" | "console";
  action: EditAction;
  fromDate: string;
  toDate: string;
  name?: string;
}

export const insertEdit = (db: Db, e: NewEdit) => db.calendarEdit.create({ data: { ...e, actorName: e.actorName ?? null, name: e.name ?? null } });

export const allEdits = (db: Db) => db.calendarEdit.findMany({ orderBy: { id: "asc" } });

/** The audit trail, newest first. */
export const recentEdits = (db: Db, take = 50, year?: number) =>
  db.calendarEdit.findMany({
    where: year ? { fromDate: { lte: `${year}-12-31` }, toDate: { gte: `${year}-01-01` } } : {},
    orderBy: { id: "desc" },
    take,
  });

const eachDate = (from: string, to: string, visit: (date: string) => void) => {
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; t += 86_400_000) visit(new Date(t).toISOString().slice(0, 10));
};

/** The edits in force: the trail folded in order (a reset removes a date's edit, a year action flips the year). */
export function foldEdits(rows: readonly Pick<CalendarEditRow, "action" | "fromDate" | "toDate" | "name">[]): CalendarEdits {
  const days = new Map<string, HolidayDay>();
  const official = new Set<number>();
  for (const r of rows) {
    const year = Number(r.fromDate.slice(0, 4));
    if (r.action === "official") official.add(year);
    else if (r.action === "provisional") official.delete(year);
    else
      eachDate(r.fromDate, r.toDate, (date) => {
        if (r.action === "reset") days.delete(date);
        else days.set(date, { date, off: r.action === "off", ...(r.name ? { name: r.name } : {}) });
      });
  }
  return { days, officialYears: [...official].sort((a, b) => a - b) };
}
