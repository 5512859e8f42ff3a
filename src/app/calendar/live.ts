// The calendar as run-time data. Every process, worker thread and Worker isolate holds one of these
// (Workers keep it per isolate, across invocations); before use (each request, inbound event and tick)
// sync() reads the database's calendar version (one small statement) and rebuilds the calendar only
// when an edit or a feed changed it, here or in any other process. ctx.calendar is a stable view that
// always answers with the newest calendar, so use cases keep calling it synchronously.
import type { CalendarConfig } from "../../config/schema.js";
import { createCalendar, type WorkCalendar } from "../../core/calendar.js";
import { CN_PACKAGE_VERSION } from "../../core/cn-package.js";
import { resolveDays, type CalendarEdits, type HolidaySource, type ResolvedDays } from "../../core/holiday-data.js";
import { settingsLayers } from "../../core/static-calendar.js";
import type { Logger } from "../../log.js";
import type { Db } from "../../store/db.js";
import { allEdits, calendarDataVersion, feedDays, feedRows, feedYears, foldEdits, type CalendarEditRow, type CalendarFeedRow } from "../../store/calendar.js";

export interface CalendarSnapshot {
  /** Package version + workflow calendar section + database version: changes whenever the days may. */
  version: string;
  calendar: WorkCalendar;
  days: ResolvedDays;
  /** Stored feed rows of the configured feeds (provenance for /healthz and the console). */
  feeds: CalendarFeedRow[];
  edits: { count: number; last?: Pick<CalendarEditRow, "at" | "actorName" | "actorId"> };
  /** The edits in force (dates marked by hand, years confirmed by hand). */
  editState: CalendarEdits;
}

export interface LiveCalendar {
  /** Always the newest calendar; what ctx.calendar is. */
  readonly view: WorkCalendar;
  current(): CalendarSnapshot;
  /** Pick up a change made anywhere (a cheap version check; rebuilds only when it moved). Never throws. */
  sync(db: Db): Promise<CalendarSnapshot>;
}

/** FNV-1a: a short, stable fingerprint of the calendar settings for the version string. */
function fingerprint(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

function delegate(get: () => WorkCalendar): WorkCalendar {
  return {
    get timeZone() {
      return get().timeZone;
    },
    get dailyWorkingMinutes() {
      return get().dailyWorkingMinutes;
    },
    localDate: (at) => get().localDate(at),
    isoWeekday: (d) => get().isoWeekday(d),
    isWorkingDay: (d) => get().isWorkingDay(d),
    dayMark: (d) => get().dayMark(d),
    isWorkingTime: (at) => get().isWorkingTime(at),
    addWorkingMinutes: (from, minutes) => get().addWorkingMinutes(from, minutes),
    workingMinutesBetween: (a, b) => get().workingMinutesBetween(a, b),
    nextWorkingStart: (at) => get().nextWorkingStart(at),
    startOfLocalDay: (d) => get().startOfLocalDay(d),
    atLocalTime: (d, hhmm) => get().atLocalTime(d, hhmm),
    addLocalDays: (d, n) => get().addLocalDays(d, n),
    addWorkingDays: (d, n) => get().addWorkingDays(d, n),
  };
}

/** The feeds' stored data in the configured order, a "{year}" template's years in order. */
function feedSources(cfg: CalendarConfig, rows: CalendarFeedRow[]): HolidaySource[] {
  const out: HolidaySource[] = [];
  for (const f of cfg.feeds) {
    for (const r of rows.filter((x) => x.source === f.url && x.fetchedAt)) out.push({ kind: "feed", id: r.url, days: feedDays(r), years: feedYears(r) });
  }
  return out;
}

export function buildSnapshot(cfg: CalendarConfig, version: string, feeds: CalendarFeedRow[], edits: CalendarEditRow[]): CalendarSnapshot {
  const editState = foldEdits(edits);
  const days = resolveDays(settingsLayers(cfg, { feeds: feedSources(cfg, feeds), edits: editState }));
  const last = edits.at(-1);
  return {
    version,
    calendar: createCalendar(cfg, days),
    days,
    feeds,
    edits: { count: edits.length, last: last ? { at: last.at, actorName: last.actorName, actorId: last.actorId } : undefined },
    editState,
  };
}

export function createLiveCalendar(cfg: CalendarConfig, log: Logger): LiveCalendar {
  const staticPart = `${CN_PACKAGE_VERSION}|${fingerprint(JSON.stringify(cfg))}`;
  // Until the first sync: the workflow file's calendar alone (a fresh database adds nothing to it).
  let snap = buildSnapshot(cfg, `${staticPart}|static`, [], []);
  let inflight: Promise<CalendarSnapshot> | undefined;

  const load = async (db: Db): Promise<CalendarSnapshot> => {
    const version = `${staticPart}|${await calendarDataVersion(db)}`;
    if (version === snap.version) return snap;
    const [feeds, edits] = await Promise.all([feedRows(db, cfg.feeds.map((f) => f.url)), allEdits(db)]);
    // Read the version before the rows: a change landing in between is picked up by the next sync.
    snap = buildSnapshot(cfg, version, feeds, edits);
    log.debug("calendar loaded", { version, feeds: feeds.length, edits: edits.length });
    return snap;
  };

  return {
    view: delegate(() => snap.calendar),
    current: () => snap,
    sync(db) {
      inflight ??= load(db)
        .catch((e: unknown) => {
          // Keep deciding with the calendar we have; the next sync tries again.
          log.warn("calendar sync failed; keeping the calendar in use", { error: e });
          return snap;
        })
        .finally(() => {
          inflight = undefined;
        });
      return inflight;
    },
  };
}
