// Mainland China's official arrangements as the chinese-days package ships them (holidays and 调休
// working days, one year per State Council notice), as a holiday source. The package's prebuilt data
// file rather than its functions: chinese-days builds its tables at import time with local-time Date
// getters, which shifts every holiday a day early when the process zone is behind UTC (e.g. a laptop
// in America/Los_Angeles). The JSON was generated once and is exact.
import chineseDaysData from "chinese-days/dist/chinese-days.json" with { type: "json" };
import chineseDaysPackage from "chinese-days/package.json" with { type: "json" };
import type { HolidayDay, HolidaySource } from "./holiday-data.js";

const data = chineseDaysData as { holidays: Record<string, string>; workdays: Record<string, string> };

/** "Spring Festival,春节,4" → "春节". */
const nameOf = (v: string) => v.split(",")[1] ?? v;

const days: HolidayDay[] = [
  ...Object.entries(data.holidays).map(([date, v]) => ({ date, off: true, name: nameOf(v) })),
  ...Object.entries(data.workdays).map(([date, v]) => ({ date, off: false, name: nameOf(v) })),
].sort((a, b) => a.date.localeCompare(b.date));

export const CN_PACKAGE_NAME = "chinese-days";
export const CN_PACKAGE_VERSION: string = (chineseDaysPackage as { version: string }).version;

export const CN_PACKAGE_SOURCE: HolidaySource = {
  kind: "package",
  id: `${CN_PACKAGE_NAME} ${CN_PACKAGE_VERSION}`,
  days,
  years: [...new Set(Object.keys(data.holidays).map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b),
};

/** The last year the package's data covers (the State Council publishes the next year's in Nov/Dec). */
export const CN_PACKAGE_LAST_YEAR = CN_PACKAGE_SOURCE.years.at(-1)!;
