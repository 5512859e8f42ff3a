// Which dates are days off and which are make-up working days (调休), from every layer of data, and
// how far official data reaches. Pure: the layers (package data, stored feeds, the workflow file's
// extra days, edits made at run time) are passed in. Precedence, lowest first:
//   package < provisional statutory days (years no source covers) < feeds < config extras < edits.
// A year that any official source covers takes its arrangement from the highest one: feeds replace
// the package's data for the years they cover (and the provisional days), and several feeds covering
// one year are overlaid, the later in the list winning a date.
import type { DayMark, DayTable } from "./calendar.js";
import { CN_LAW_SINCE, cnStatutoryDays } from "./cn-statutory.js";

export interface HolidayDay {
  readonly date: string;
  /** true: a day off; false: a working day (调休 make-up day, or a weekend day worked). */
  readonly off: boolean;
  readonly name?: string;
}

/** Official arrangements: the package's data, or one feed. */
export interface HolidaySource {
  readonly kind: "package" | "feed";
  /** "chinese-days 1.5.7", or the feed's URL. */
  readonly id: string;
  readonly days: readonly HolidayDay[];
  /** The years whose whole arrangement this source gives. */
  readonly years: readonly number[];
}

export interface CalendarEdits {
  /** The current run-time marking per date (an edit that was reset is absent). */
  readonly days: ReadonlyMap<string, HolidayDay>;
  /** Years whose official arrangement was entered by hand and confirmed (no feed or package needed). */
  readonly officialYears: readonly number[];
}

export interface CalendarLayers {
  /** "cn": mainland China's statutory days fill years no source covers; "none": nothing does. */
  readonly statutory: "cn" | "none";
  /** The package first (if any), then the feeds in their configured order. */
  readonly sources: readonly HolidaySource[];
  /** The workflow file's calendar.extraHolidays / extraWorkdays (extraWorkdays win a date in both). */
  readonly config?: { readonly off: readonly string[]; readonly work: readonly string[] };
  readonly edits?: CalendarEdits;
}

export interface ResolvedDays extends DayTable {
  /** Years with official data (a source, or an arrangement entered by hand), ascending. */
  readonly coveredYears: readonly number[];
  /**
   * The last date of official data reached without a gap from `today`'s year (YYYY-12-31), or the end
   * of the last covered year before it; undefined when no holiday data is expected at all.
   */
  through(today: string): string | undefined;
  /** This year and the next, where they have only provisional statutory days. */
  provisionalYears(today: string): number[];
}

const yearOf = (date: string) => Number(date.slice(0, 4));
const EMPTY_EDITS: CalendarEdits = { days: new Map(), officialYears: [] };

interface IndexedSource {
  source: HolidaySource;
  byDate: Map<string, HolidayDay>;
}

const markOf = (d: HolidayDay, source: DayMark["source"], sourceId?: string): DayMark => ({
  working: !d.off,
  ...(d.name ? { name: d.name } : {}),
  source,
  ...(sourceId ? { sourceId } : {}),
});

export function resolveDays(layers: CalendarLayers): ResolvedDays {
  const edits = layers.edits ?? EMPTY_EDITS;
  const indexed: IndexedSource[] = layers.sources.map((source) => ({ source, byDate: new Map(source.days.map((d) => [d.date, d])) }));
  const feeds = indexed.filter((s) => s.source.kind === "feed");
  const packages = indexed.filter((s) => s.source.kind === "package");
  const officialByHand = new Set(edits.officialYears);
  const configOff = new Set(layers.config?.off ?? []);
  const configWork = new Set(layers.config?.work ?? []);

  // The sources that give a year's arrangement, lowest first: the feeds covering it, else the package.
  const ownersCache = new Map<number, IndexedSource[]>();
  const owners = (year: number): IndexedSource[] => {
    let o = ownersCache.get(year);
    if (!o) {
      const byFeeds = feeds.filter((s) => s.source.years.includes(year));
      o = byFeeds.length ? byFeeds : packages.filter((s) => s.source.years.includes(year));
      ownersCache.set(year, o);
    }
    return o;
  };

  const statutoryCache = new Map<number, Map<string, string>>();
  const statutory = (year: number): Map<string, string> | undefined => {
    if (layers.statutory !== "cn" || year < CN_LAW_SINCE) return undefined;
    let m = statutoryCache.get(year);
    if (!m) statutoryCache.set(year, (m = new Map(cnStatutoryDays(year).map((d) => [d.date, d.name]))));
    return m;
  };

  const fromSources = (date: string): DayMark | undefined => {
    const year = yearOf(date);
    const own = owners(year);
    // A date outside every covered year (a 2022-12-31 in a 2023 file) still counts where no one else speaks.
    const candidates = own.length ? own : indexed;
    for (let i = candidates.length - 1; i >= 0; i--) {
      const s = candidates[i]!;
      const d = s.byDate.get(date);
      if (d) return markOf(d, s.source.kind, s.source.id);
    }
    if (own.length) return undefined;
    const law = statutory(year)?.get(date);
    if (law === undefined) return undefined;
    return officialByHand.has(year) ? { working: false, name: law, source: "law" } : { working: false, name: law, source: "provisional", provisional: true };
  };

  const cache = new Map<string, DayMark | null>();
  const mark = (date: string): DayMark | undefined => {
    const hit = cache.get(date);
    if (hit !== undefined) return hit ?? undefined;
    const edit = edits.days.get(date);
    let m: DayMark | undefined;
    if (edit) m = markOf(edit, "edit");
    else if (configWork.has(date)) m = { working: true, source: "config" };
    else if (configOff.has(date)) m = { working: false, source: "config" };
    else m = fromSources(date);
    cache.set(date, m ?? null);
    return m;
  };

  const covered = new Set<number>([...layers.sources.flatMap((s) => s.years), ...officialByHand]);
  const coveredYears = [...covered].sort((a, b) => a - b);
  // Make-up days of official arrangements alone would leave months without working time: only days
  // chosen as working days (config, edits) let a calendar without weekdays stand.
  const hasWorkingDays = configWork.size > 0 || [...edits.days.values()].some((d) => !d.off);

  return {
    mark,
    hasWorkingDays,
    coveredYears,
    through(today) {
      if (!coveredYears.length) return undefined;
      let y = yearOf(today);
      if (!covered.has(y)) {
        const before = coveredYears.filter((c) => c < y);
        return before.length ? `${before.at(-1)}-12-31` : undefined;
      }
      while (covered.has(y + 1)) y++;
      return `${y}-12-31`;
    },
    provisionalYears(today) {
      const y = yearOf(today);
      return [y, y + 1].filter((year) => !covered.has(year) && statutory(year) !== undefined);
    },
  };
}

/** Days between two YYYY-MM-DD dates (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
