// Mainland China's statutory days off (全体公民放假的节日) as the law fixes them, for a year whose
// official arrangement (the State Council's yearly notice with its 调休) is not known yet. The rules of
// 《全国年节及纪念日放假办法》 as amended by 国务院令第795号, in force since 2025-01-01 (the first notice
// under them: https://www.gov.cn/zhengce/content/202411/content_6986382.htm):
// 元旦 1/1; 春节 除夕–正月初三 (4 days); 清明 the solar term's day; 劳动节 5/1–5/2; 端午 lunar 5/5;
// 中秋 lunar 8/15; 国庆 10/1–10/3. No make-up working days: those only come with the notice.
// tyme4ts (6tail's successor to lunar-javascript / lunar-typescript): typed ESM without Node built-ins,
// lunar dates and solar terms in one maintained library.
import { LunarDay, SolarDay, SolarTerm } from "tyme4ts";

/** The first year the rules above apply to. */
export const CN_LAW_SINCE = 2025;

export interface StatutoryDay {
  date: string;
  name: string;
}

const pad2 = (n: number) => String(n).padStart(2, "0");
const iso = (d: SolarDay) => `${d.getYear()}-${pad2(d.getMonth())}-${pad2(d.getDay())}`;
const run = (first: SolarDay, n: number, name: string): StatutoryDay[] => Array.from({ length: n }, (_, i) => ({ date: iso(first.next(i)), name }));

const cache = new Map<number, readonly StatutoryDay[]>();

/** The statutory days off of a Gregorian year, in date order; a date two festivals share carries both names. */
export function cnStatutoryDays(year: number): readonly StatutoryDay[] {
  const hit = cache.get(year);
  if (hit) return hit;
  const firstOfYear = LunarDay.fromYmd(year, 1, 1).getSolarDay(); // 正月初一
  const days = [
    ...run(SolarDay.fromYmd(year, 1, 1), 1, "元旦"),
    ...run(firstOfYear.next(-1), 4, "春节"), // 除夕 is the day before 初一, 腊月廿九 or 三十
    ...run(SolarTerm.fromName(year, "清明").getJulianDay().getSolarDay(), 1, "清明节"),
    ...run(SolarDay.fromYmd(year, 5, 1), 2, "劳动节"),
    ...run(LunarDay.fromYmd(year, 5, 5).getSolarDay(), 1, "端午节"),
    ...run(LunarDay.fromYmd(year, 8, 15).getSolarDay(), 1, "中秋节"),
    ...run(SolarDay.fromYmd(year, 10, 1), 3, "国庆节"),
  ];
  const byDate = new Map<string, string>();
  for (const d of days) byDate.set(d.date, byDate.has(d.date) ? `${byDate.get(d.date)}、${d.name}` : d.name);
  const out = [...byDate].map(([date, name]) => ({ date, name })).sort((a, b) => a.date.localeCompare(b.date));
  cache.set(year, out);
  return out;
}
