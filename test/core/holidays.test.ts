// Holiday data: the statutory days computed from the law's fixed and lunar dates, the layers and
// their precedence, and how far official data reaches.
import { describe, expect, it } from "vitest";
import { createCalendar } from "../../src/core/calendar.js";
import { CN_PACKAGE_SOURCE } from "../../src/core/cn-package.js";
import { cnStatutoryDays } from "../../src/core/cn-statutory.js";
import { resolveDays, type HolidaySource } from "../../src/core/holiday-data.js";
import { dueDates } from "../../src/core/sla.js";
import { settingsLayers, staticCalendar, staticDays, type StaticCalendarSettings } from "../../src/core/static-calendar.js";

const base: StaticCalendarSettings = {
  timeZone: "Asia/Shanghai",
  workdays: [1, 2, 3, 4, 5],
  hours: [
    { start: "09:00", end: "12:00" },
    { start: "13:00", end: "18:00" },
  ],
  holidays: "cn",
};
const sh = (s: string) => new Date(`${s}:00+08:00`);
const SLA = {
  urgent: { response: "2h", resolution: "24h", clock: "calendar" as const },
  high: { response: "4h", resolution: "48h", clock: "working" as const },
  medium: { response: "8h", resolution: "72h", clock: "working" as const },
  low: { response: "24h", resolution: "7d", clock: "working" as const },
};

/** A 2027 arrangement from a feed: 春节 02-05~02-12 with make-up Sunday 01-31 and Saturday 02-20. */
const feed2027: HolidaySource = {
  kind: "feed",
  id: "https://feed.example/2027.json",
  years: [2027],
  days: [
    ...["01", "02", "03"].map((d) => ({ date: `2027-01-${d}`, off: true, name: "元旦" })),
    { date: "2027-01-31", off: false, name: "春节" },
    ...["05", "06", "07", "08", "09", "10", "11", "12"].map((d) => ({ date: `2027-02-${d}`, off: true, name: "春节" })),
    { date: "2027-02-20", off: false, name: "春节" },
  ],
};

describe("statutory days from the law's fixed and lunar dates", () => {
  it("2027: 元旦, 春节 除夕–初三, 清明, 劳动节 two days, 端午, 中秋, 国庆 three days", () => {
    expect(cnStatutoryDays(2027)).toEqual([
      { date: "2027-01-01", name: "元旦" },
      { date: "2027-02-05", name: "春节" },
      { date: "2027-02-06", name: "春节" },
      { date: "2027-02-07", name: "春节" },
      { date: "2027-02-08", name: "春节" },
      { date: "2027-04-05", name: "清明节" },
      { date: "2027-05-01", name: "劳动节" },
      { date: "2027-05-02", name: "劳动节" },
      { date: "2027-06-09", name: "端午节" },
      { date: "2027-09-15", name: "中秋节" },
      { date: "2027-10-01", name: "国庆节" },
      { date: "2027-10-02", name: "国庆节" },
      { date: "2027-10-03", name: "国庆节" },
    ]);
  });

  it("every statutory day of 2025 and 2026 is a day off in the official arrangements (the package)", () => {
    const official = new Set(CN_PACKAGE_SOURCE.days.filter((d) => d.off).map((d) => d.date));
    for (const year of [2025, 2026]) {
      const days = cnStatutoryDays(year);
      expect(days).toHaveLength(13);
      for (const d of days) expect(official.has(d.date), `${d.date} ${d.name}`).toBe(true);
    }
  });

  it("a date two festivals share carries both names (中秋 on 2028-10-03)", () => {
    const d2028 = cnStatutoryDays(2028);
    expect(d2028.find((d) => d.date === "2028-10-03")?.name).toBe("中秋节、国庆节");
    expect(d2028.filter((d) => d.date.startsWith("2028-01"))).toEqual([
      { date: "2028-01-01", name: "元旦" },
      { date: "2028-01-25", name: "春节" }, // 除夕 is 腊月廿九 in a short year
      { date: "2028-01-26", name: "春节" },
      { date: "2028-01-27", name: "春节" },
      { date: "2028-01-28", name: "春节" },
    ]);
  });
});

describe("provisional days for a year without official data", () => {
  const cal = staticCalendar(base);

  it("2027's statutory days are off and marked provisional; ordinary days stay working", () => {
    for (const d of ["2027-01-01", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-04-05", "2027-10-01"]) {
      expect(cal.isWorkingDay(d), d).toBe(false);
      expect(cal.dayMark(d)).toMatchObject({ working: false, source: "provisional", provisional: true });
    }
    expect(cal.dayMark("2027-02-06")?.name).toBe("春节");
    expect(cal.isWorkingDay("2027-02-09")).toBe(true); // no 调休 known: the day after 初三 is a Tuesday at work
    expect(cal.isWorkingDay("2027-01-31")).toBe(false); // nor make-up Sundays
    expect(cal.dayMark("2026-02-16")).toMatchObject({ working: false, source: "package" }); // 2026 is official
  });

  it("a deadline from 2026-12-31 17:50 skips 2027-01-01", () => {
    const received = sh("2026-12-31T17:50");
    // 8 working hours: 10 minutes on the 31st, then Monday 2027-01-04 (Friday the 1st is 元旦, then the weekend).
    expect(dueDates(SLA, "medium", received, cal).responseDueAt).toEqual(sh("2027-01-04T17:50"));
    const blind = createCalendar(base, resolveDays({ ...settingsLayers(base), statutory: "none" }));
    expect(dueDates(SLA, "medium", received, blind).responseDueAt).toEqual(sh("2027-01-01T17:50"));
  });

  it("the 2027 Spring Festival days are off: a deadline runs around them", () => {
    // Thursday 2027-02-04 17:00 + 4 working hours: 1 h on Thursday, then Tuesday 02-09 (02-05 … 02-08 off).
    expect(dueDates(SLA, "high", sh("2027-02-04T17:00"), cal).responseDueAt).toEqual(sh("2027-02-09T12:00"));
  });
});

describe("layers and precedence", () => {
  const withFeed = (more: Parameters<typeof settingsLayers>[1] = {}) => resolveDays(settingsLayers(base, { feeds: [feed2027], ...more }));

  it("a feed covering 2027 replaces the provisional days, make-up days included", () => {
    const days = withFeed();
    expect(days.mark("2027-02-12")).toMatchObject({ working: false, source: "feed", sourceId: feed2027.id, name: "春节" });
    expect(days.mark("2027-01-31")).toMatchObject({ working: true, source: "feed" });
    expect(days.mark("2027-10-01")).toBeUndefined(); // the feed's 2027 has no 国庆: the feed is the arrangement
    expect(days.mark("2027-02-05")?.provisional).toBeUndefined();
  });

  it("a feed covering a year the package has replaces the package's data for that year only", () => {
    const feed2026: HolidaySource = { kind: "feed", id: "f", years: [2026], days: [{ date: "2026-03-02", off: true, name: "公司假" }] };
    const days = resolveDays(settingsLayers(base, { feeds: [feed2026] }));
    expect(days.mark("2026-03-02")).toMatchObject({ working: false, source: "feed" });
    expect(days.mark("2026-02-16")).toBeUndefined(); // the package's 2026 is not used any more
    expect(days.mark("2025-01-29")).toMatchObject({ source: "package" });
  });

  it("two feeds on one year overlay, the later winning a date", () => {
    const later: HolidaySource = { kind: "feed", id: "later", years: [2027], days: [{ date: "2027-02-12", off: false, name: "补班" }] };
    const days = resolveDays(settingsLayers(base, { feeds: [feed2027, later] }));
    expect(days.mark("2027-02-12")).toMatchObject({ working: true, sourceId: "later" });
    expect(days.mark("2027-02-11")).toMatchObject({ working: false, sourceId: feed2027.id });
  });

  it("config extras win over feeds, edits over everything; a reset edit is gone", () => {
    const edits = { days: new Map([["2027-02-12", { date: "2027-02-12", off: false, name: "值班" }]]), officialYears: [] };
    const days = resolveDays(settingsLayers({ ...base, extraHolidays: ["2027-02-20"], extraWorkdays: ["2027-02-12"] }, { feeds: [feed2027], edits }));
    expect(days.mark("2027-02-20")).toMatchObject({ working: false, source: "config" });
    expect(days.mark("2027-02-12")).toMatchObject({ working: true, source: "edit", name: "值班" });
    const noEdit = resolveDays(settingsLayers({ ...base, extraWorkdays: ["2027-02-12"] }, { feeds: [feed2027] }));
    expect(noEdit.mark("2027-02-12")).toMatchObject({ working: true, source: "config" });
  });

  it("a year confirmed as entered by hand keeps the law's days, no longer provisional", () => {
    const edits = { days: new Map([["2027-02-09", { date: "2027-02-09", off: true, name: "春节" }]]), officialYears: [2027] };
    const days = resolveDays(settingsLayers(base, { edits }));
    expect(days.mark("2027-02-06")).toMatchObject({ working: false, source: "law", name: "春节" });
    expect(days.mark("2027-02-06")?.provisional).toBeUndefined();
    expect(days.mark("2027-02-09")).toMatchObject({ source: "edit" });
    expect(days.through("2026-12-02")).toBe("2027-12-31");
    expect(days.provisionalYears("2026-12-02")).toEqual([]);
  });
});

describe("how far official data reaches", () => {
  it("today: the package ends with 2026 and 2027 is provisional", () => {
    const days = staticDays(base);
    expect(CN_PACKAGE_SOURCE.years.at(-1)).toBe(2026);
    expect(days.through("2026-12-02")).toBe("2026-12-31");
    expect(days.provisionalYears("2026-12-02")).toEqual([2027]);
    // Once 2027 has begun without data: through stays in the past, both years ahead are provisional.
    expect(days.through("2027-01-05")).toBe("2026-12-31");
    expect(days.provisionalYears("2027-01-05")).toEqual([2027, 2028]);
  });

  it("a feed with 2027 moves through to 2027-12-31", () => {
    const days = resolveDays(settingsLayers(base, { feeds: [feed2027] }));
    expect(days.through("2026-12-02")).toBe("2027-12-31");
    expect(days.provisionalYears("2026-12-02")).toEqual([]);
  });

  it('holidays "none" without feeds expects no data: no through, no provisional years', () => {
    const days = staticDays({ ...base, holidays: "none" });
    expect(days.through("2026-12-02")).toBeUndefined();
    expect(days.provisionalYears("2026-12-02")).toEqual([]);
    expect(days.mark("2027-01-01")).toBeUndefined();
  });
});
