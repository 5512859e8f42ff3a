// A calendar from the workflow file's calendar section alone: the package's data (holidays "cn"),
// provisional statutory days for years it lacks, and the extra days. What a process starts with before
// the run-time layers (feeds, edits) are read from the database; also what tests and benchmarks use.
import { createCalendar, type WorkCalendar, type WorkingTimeSettings } from "./calendar.js";
import { CN_PACKAGE_SOURCE } from "./cn-package.js";
import { resolveDays, type CalendarLayers, type ResolvedDays } from "./holiday-data.js";

export interface StaticCalendarSettings extends WorkingTimeSettings {
  readonly holidays?: "cn" | "none";
  readonly extraHolidays?: readonly string[];
  readonly extraWorkdays?: readonly string[];
}

/** The layers the settings themselves give, plus any run-time ones. */
export function settingsLayers(cfg: StaticCalendarSettings, more: Pick<CalendarLayers, "edits"> & { feeds?: CalendarLayers["sources"] } = {}): CalendarLayers {
  const cn = (cfg.holidays ?? "cn") === "cn";
  return {
    statutory: cn ? "cn" : "none",
    sources: [...(cn ? [CN_PACKAGE_SOURCE] : []), ...(more.feeds ?? [])],
    config: { off: cfg.extraHolidays ?? [], work: cfg.extraWorkdays ?? [] },
    edits: more.edits,
  };
}

export const staticDays = (cfg: StaticCalendarSettings): ResolvedDays => resolveDays(settingsLayers(cfg));

export const staticCalendar = (cfg: StaticCalendarSettings): WorkCalendar => createCalendar(cfg, staticDays(cfg));
