import chineseDaysData from "chinese-days/dist/chinese-days.json" with { type: "json" };
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { staticCalendar, type StaticCalendarSettings } from "../../src/core/static-calendar.js";
import { ChatDeskError } from "../../src/core/errors.js";

const base: StaticCalendarSettings = {
  timeZone: "Asia/Shanghai",
  workdays: [1, 2, 3, 4, 5],
  hours: [
    { start: "09:00", end: "12:00" },
    { start: "13:00", end: "18:00" },
  ],
  holidays: "cn",
  extraHolidays: [],
  extraWorkdays: [],
};
const cal = staticCalendar(base);
/** Shanghai wall time (UTC+8 all year, no DST). */
const sh = (s: string) => new Date(`${s}:00+08:00`);
const H8 = 480;

// chinese-days' documented rule, applied to its data file (its functions mis-key dates when the
// process zone is behind UTC, so the suite must not depend on them).
const cn = chineseDaysData as { holidays: Record<string, string>; workdays: Record<string, string> };
const cnIsWorkday = (date: string): boolean => {
  if (date in cn.workdays) return true;
  if (date in cn.holidays) return false;
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd >= 1 && wd <= 5;
};

const expectConfigInvalid = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ChatDeskError);
    expect((e as ChatDeskError).code).toBe("CONFIG_INVALID");
    return;
  }
  throw new Error("expected CONFIG_INVALID");
};

describe("calendar basics", () => {
  it("exposes zone and the daily working minutes from cfg.hours", () => {
    expect(cal.timeZone).toBe("Asia/Shanghai");
    expect(cal.dailyWorkingMinutes).toBe(480);
    expect(staticCalendar({ ...base, hours: [{ start: "08:30", end: "17:30" }] }).dailyWorkingMinutes).toBe(540);
  });

  it("localDate uses the calendar's zone, not UTC", () => {
    expect(cal.localDate(new Date("2025-03-04T23:30:00Z"))).toBe("2025-03-05");
    expect(cal.localDate(new Date("2025-03-04T15:59:59Z"))).toBe("2025-03-04");
    expect(cal.localDate(new Date("2025-03-04T16:00:00Z"))).toBe("2025-03-05");
    // Jumping far back and forth exercises the offset-guess lookup.
    expect(cal.localDate(new Date("2019-12-31T16:00:00Z"))).toBe("2020-01-01");
    expect(cal.localDate(new Date("2025-03-04T16:00:00Z"))).toBe("2025-03-05");
  });

  it("local date helpers", () => {
    expect(cal.startOfLocalDay("2025-03-05").toISOString()).toBe("2025-03-04T16:00:00.000Z");
    expect(cal.atLocalTime("2025-03-05", "09:30").toISOString()).toBe("2025-03-05T01:30:00.000Z");
    expect(cal.atLocalTime("2025-03-05", "24:00").toISOString()).toBe("2025-03-05T16:00:00.000Z");
    expect(cal.addLocalDays("2025-02-27", 2)).toBe("2025-03-01");
    expect(cal.addLocalDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(cal.addLocalDays("2025-01-01", -1)).toBe("2024-12-31");
    expect(cal.isoWeekday("2025-03-09")).toBe(7);
    expect(cal.isoWeekday("2025-03-10")).toBe(1);
    expect(() => cal.addLocalDays("2025-02-30", 1)).toThrow(ChatDeskError);
    expect(() => cal.atLocalTime("2025-03-05", "9:30")).toThrow(ChatDeskError);
  });

  it("isWorkingTime: periods are half-open, lunch and nights are off", () => {
    expect(cal.isWorkingTime(sh("2025-03-04T08:59"))).toBe(false);
    expect(cal.isWorkingTime(sh("2025-03-04T09:00"))).toBe(true);
    expect(cal.isWorkingTime(sh("2025-03-04T11:59"))).toBe(true);
    expect(cal.isWorkingTime(sh("2025-03-04T12:00"))).toBe(false);
    expect(cal.isWorkingTime(sh("2025-03-04T12:30"))).toBe(false);
    expect(cal.isWorkingTime(sh("2025-03-04T13:00"))).toBe(true);
    expect(cal.isWorkingTime(sh("2025-03-04T18:00"))).toBe(false);
    expect(cal.isWorkingTime(sh("2025-03-08T10:00"))).toBe(false); // Saturday
  });

  it("nextWorkingStart", () => {
    expect(cal.nextWorkingStart(sh("2025-03-04T10:15"))).toEqual(sh("2025-03-04T10:15"));
    expect(cal.nextWorkingStart(sh("2025-03-04T12:00"))).toEqual(sh("2025-03-04T13:00"));
    expect(cal.nextWorkingStart(sh("2025-03-04T03:00"))).toEqual(sh("2025-03-04T09:00"));
    expect(cal.nextWorkingStart(sh("2025-03-07T18:00"))).toEqual(sh("2025-03-10T09:00")); // Fri evening → Mon
    expect(cal.nextWorkingStart(sh("2025-09-30T18:30"))).toEqual(sh("2025-10-09T09:00")); // National Day
  });
});

describe("Chinese statutory holidays and 调休 (official 2024–2026 schedules)", () => {
  // From the State Council notices (国办发明电): off = 放假, on = 调休上班 weekend days.
  const off = [
    "2024-01-01", "2024-02-10", "2024-02-12", "2024-02-16", "2024-04-04", "2024-04-05", "2024-05-01", "2024-05-03",
    "2024-06-10", "2024-09-16", "2024-09-17", "2024-10-01", "2024-10-04", "2024-10-07",
    "2025-01-01", "2025-01-28", "2025-01-31", "2025-02-03", "2025-02-04", "2025-04-04", "2025-05-01", "2025-05-05",
    "2025-06-02", "2025-10-01", "2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08",
    "2026-01-01", "2026-01-02", "2026-02-16", "2026-02-20", "2026-02-23", "2026-04-06", "2026-05-01", "2026-05-04",
    "2026-05-05", "2026-06-19", "2026-09-25", "2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07",
  ];
  const on = [
    "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12",
    "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
  ];
  const ordinaryWorkdays = ["2024-10-08", "2025-02-05", "2025-09-29", "2025-09-30", "2025-10-09", "2025-10-10", "2026-02-24"];
  const ordinaryWeekends = ["2025-10-12", "2025-09-27", "2026-02-21", "2026-02-22", "2026-03-01"];

  it.each(off)("%s is a statutory holiday", (d) => expect(cal.isWorkingDay(d)).toBe(false));
  it.each(on)("%s is a 调休 working day", (d) => expect(cal.isWorkingDay(d)).toBe(true));
  it.each(ordinaryWorkdays)("%s is an ordinary working day", (d) => expect(cal.isWorkingDay(d)).toBe(true));
  it.each(ordinaryWeekends)("%s is an ordinary weekend", (d) => expect(cal.isWorkingDay(d)).toBe(false));

  it("agrees with the chinese-days data on every day of 2024–2026 (default Mon–Fri config)", () => {
    let d = "2024-01-01";
    let days = 0;
    while (d <= "2026-12-31") {
      expect(cal.isWorkingDay(d), d).toBe(cnIsWorkday(d));
      d = cal.addLocalDays(d, 1);
      days++;
    }
    expect(days).toBe(366 + 365 + 365);
  });

  it("a Saturday inside a holiday run stays off even when Saturdays are workdays", () => {
    const sixDay = staticCalendar({ ...base, workdays: [1, 2, 3, 4, 5, 6] });
    expect(sixDay.isWorkingDay("2025-10-04")).toBe(false); // Sat in National Day run
    expect(sixDay.isWorkingDay("2025-03-08")).toBe(true); // ordinary Saturday
    expect(sixDay.isWorkingDay("2025-09-28")).toBe(true); // 调休 Sunday
  });

  it("addWorkingDays skips holidays and counts 调休 days", () => {
    expect(cal.addWorkingDays("2025-09-29", 1)).toBe("2025-09-30");
    expect(cal.addWorkingDays("2025-09-30", 1)).toBe("2025-10-09");
    expect(cal.addWorkingDays("2025-10-10", 1)).toBe("2025-10-11");
    expect(cal.addWorkingDays("2025-10-09", -1)).toBe("2025-09-30");
    expect(cal.addWorkingDays("2025-10-03", 0)).toBe("2025-10-09");
    expect(cal.addWorkingDays("2025-10-09", 0)).toBe("2025-10-09");
  });
});

describe("addWorkingMinutes: due = received + 8 working hours", () => {
  it.each([
    // [received, due] — hand-computed with 09–12 + 13–18
    ["2025-03-04T16:00", "2025-03-05T16:00", "Tue 16:00 across the night: 2h Tue + 3h Wed morning + 3h after lunch"],
    ["2025-03-07T17:00", "2025-03-10T17:00", "Fri 17:00 across the weekend"],
    ["2025-03-09T10:00", "2025-03-10T18:00", "received on a Sunday: counts from Mon 09:00, ends exactly at period end"],
    ["2025-03-04T03:00", "2025-03-04T18:00", "received at 03:00"],
    ["2025-03-04T12:30", "2025-03-05T12:00", "received during lunch: counts from 13:00"],
    ["2025-03-04T09:00", "2025-03-04T18:00", "a whole day"],
    ["2025-03-04T18:00", "2025-03-05T18:00", "received exactly at the end of the day"],
  ])("%s → %s (%s)", (received, due) => {
    expect(cal.addWorkingMinutes(sh(received), H8)).toEqual(sh(due));
    expect(cal.workingMinutesBetween(sh(received), sh(due))).toBe(H8);
  });

  it("4 working hours from lunch ends at 17:00", () => {
    expect(cal.addWorkingMinutes(sh("2025-03-04T12:30"), 240)).toEqual(sh("2025-03-04T17:00"));
  });

  it("0 minutes gives the next working start; seconds are kept", () => {
    expect(cal.addWorkingMinutes(sh("2025-03-04T10:00"), 0)).toEqual(sh("2025-03-04T10:00"));
    expect(cal.addWorkingMinutes(sh("2025-03-08T10:00"), 0)).toEqual(sh("2025-03-10T09:00"));
    expect(cal.addWorkingMinutes(new Date("2025-03-04T10:00:30+08:00"), 1.5)).toEqual(new Date("2025-03-04T10:02:00+08:00"));
    expect(cal.addWorkingMinutes(new Date("2025-03-04T02:00:30+08:00"), 1.5)).toEqual(new Date("2025-03-04T09:01:30+08:00"));
    expect(cal.workingMinutesBetween(new Date("2025-03-04T11:59:30+08:00"), sh("2025-03-04T13:01"))).toBe(1.5);
  });

  it("National Day 2025 (Oct 1–8 off, Sun 9-28 and Sat 10-11 working)", () => {
    expect(cal.addWorkingMinutes(sh("2025-09-30T16:00"), H8)).toEqual(sh("2025-10-09T16:00"));
    expect(cal.addWorkingMinutes(sh("2025-10-03T10:00"), H8)).toEqual(sh("2025-10-09T18:00"));
    // Sat 9-27 is an ordinary weekend; the 调休 Sunday 9-28 is the next working day.
    expect(cal.addWorkingMinutes(sh("2025-09-27T10:00"), 240)).toEqual(sh("2025-09-28T14:00"));
    // The 调休 Saturday 10-11 counts.
    expect(cal.addWorkingMinutes(sh("2025-10-10T17:00"), H8)).toEqual(sh("2025-10-11T17:00"));
    // Sep 30 18:00 → Oct 9 09:00 holds no working time at all.
    expect(cal.workingMinutesBetween(sh("2025-09-30T18:00"), sh("2025-10-09T09:00"))).toBe(0);
  });

  it("working days between 2025-09-26 and 2025-10-12 are Fri 26, Sun 28, Mon 29, Tue 30, Thu 9, Fri 10, Sat 11", () => {
    // 7 working days; 2025-09-26 00:00 → 2025-10-12 00:00 covers all of them.
    expect(cal.workingMinutesBetween(sh("2025-09-26T00:00"), sh("2025-10-12T00:00"))).toBe(7 * H8);
  });

  it("Spring Festival 2026 (Feb 15–23 off, Sat Feb 14 and Sat Feb 28 working)", () => {
    expect(cal.addWorkingMinutes(sh("2026-02-13T15:00"), H8)).toEqual(sh("2026-02-14T15:00"));
    expect(cal.addWorkingMinutes(sh("2026-02-14T17:00"), H8)).toEqual(sh("2026-02-24T17:00"));
    expect(cal.addWorkingMinutes(sh("2026-02-18T09:30"), H8)).toEqual(sh("2026-02-24T18:00"));
    // 6 working days from Fri Feb 13 10:00: 14, 24, 25, 26, 27, 28 (Sat, 调休).
    expect(cal.addWorkingMinutes(sh("2026-02-13T10:00"), 6 * H8)).toEqual(sh("2026-02-28T10:00"));
  });

  it("Spring Festival 2025 (Jan 28–Feb 4 off, Sun Jan 26 and Sat Feb 8 working)", () => {
    expect(cal.addWorkingMinutes(sh("2025-01-27T17:00"), H8)).toEqual(sh("2025-02-05T17:00"));
    expect(cal.addWorkingMinutes(sh("2025-01-25T10:00"), 60)).toEqual(sh("2025-01-26T10:00"));
    expect(cal.addWorkingMinutes(sh("2025-02-07T17:00"), 120)).toEqual(sh("2025-02-08T10:00"));
  });

  it("negative minutes count backwards from the previous working moment", () => {
    expect(cal.addWorkingMinutes(sh("2025-03-05T16:00"), -H8)).toEqual(sh("2025-03-04T16:00"));
    expect(cal.addWorkingMinutes(sh("2025-10-09T10:00"), -120)).toEqual(sh("2025-09-30T17:00"));
    expect(cal.addWorkingMinutes(sh("2025-03-04T12:30"), -30)).toEqual(sh("2025-03-04T11:30"));
    expect(cal.addWorkingMinutes(sh("2025-03-04T13:00"), -180)).toEqual(sh("2025-03-04T09:00"));
  });

  it("workingMinutesBetween is 0 for an empty or reversed range", () => {
    expect(cal.workingMinutesBetween(sh("2025-03-04T10:00"), sh("2025-03-04T10:00"))).toBe(0);
    expect(cal.workingMinutesBetween(sh("2025-03-05T10:00"), sh("2025-03-04T10:00"))).toBe(0);
    expect(cal.workingMinutesBetween(sh("2025-03-04T12:00"), sh("2025-03-04T13:00"))).toBe(0);
    expect(cal.workingMinutesBetween(sh("2025-03-04T11:00"), sh("2025-03-04T14:00"))).toBe(120);
  });
});

describe("properties (generated instants 2024–2026)", () => {
  const from = new Date("2024-01-01T00:00:00+08:00").getTime();
  const to = new Date("2026-12-20T00:00:00+08:00").getTime();
  const instant = fc.integer({ min: from / 60_000, max: to / 60_000 }).map((m) => new Date(m * 60_000));
  const minutes = fc.integer({ min: 0, max: 12 * H8 });
  const periodEnds = new Set(["12:00", "18:00"]);
  const hhmm = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(11, 16);

  it("workingMinutesBetween(a, addWorkingMinutes(a, m)) === m, and the result is working time or a period end", () => {
    fc.assert(
      fc.property(instant, minutes, (a, m) => {
        const b = cal.addWorkingMinutes(a, m);
        expect(cal.workingMinutesBetween(a, b)).toBe(m);
        expect(b.getTime()).toBeGreaterThanOrEqual(a.getTime());
        if (m > 0) expect(cal.isWorkingTime(b) || (periodEnds.has(hhmm(b)) && cal.isWorkingDay(cal.localDate(b)))).toBe(true);
      }),
      { numRuns: 400, seed: 20251001 },
    );
  });

  it("a span of weeks or years counts what its day-by-day pieces count (the cumulative index vs the walk)", () => {
    const DAY = 86_400_000;
    // Pieces of at most two days are always walked; a long span is read from the cumulative index.
    const walked = (c: typeof cal, a: Date, b: Date) => {
      let total = 0;
      for (let t = a.getTime(); t < b.getTime(); t += DAY) total += c.workingMinutesBetween(new Date(t), new Date(Math.min(t + DAY, b.getTime())));
      return total;
    };
    const span = fc.tuple(instant, fc.integer({ min: 3 * 1440, max: 800 * 1440 }));
    for (const zone of ["Asia/Shanghai", "Europe/Berlin"]) {
      const fresh = () => staticCalendar({ ...base, timeZone: zone, holidays: zone === "Asia/Shanghai" ? "cn" : "none" });
      // One calendar across all runs (the index grows both ways from the first span asked) and a new one per run.
      const shared = fresh();
      fc.assert(
        fc.property(span, ([a, minutes]) => {
          const b = new Date(a.getTime() + minutes * 60_000);
          const expected = walked(fresh(), a, b);
          expect(shared.workingMinutesBetween(a, b), zone).toBe(expected);
          expect(fresh().workingMinutesBetween(a, b), zone).toBe(expected);
        }),
        { numRuns: 60, seed: 20261203 },
      );
    }
  });

  it("going back undoes going forward from a working moment; backwards count matches too", () => {
    fc.assert(
      fc.property(instant, minutes, (a0, m) => {
        const a = cal.nextWorkingStart(a0);
        const b = cal.addWorkingMinutes(a, m);
        expect(cal.addWorkingMinutes(b, -m)).toEqual(a);
        const c = cal.addWorkingMinutes(a0, -m);
        expect(cal.workingMinutesBetween(c, a0)).toBe(m);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it("addWorkingMinutes is monotonic in minutes", () => {
    fc.assert(
      fc.property(instant, minutes, minutes, (a, m1, m2) => {
        const [lo, hi] = m1 <= m2 ? [m1, m2] : [m2, m1];
        expect(cal.addWorkingMinutes(a, lo).getTime()).toBeLessThanOrEqual(cal.addWorkingMinutes(a, hi).getTime());
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it("workingMinutesBetween matches a minute-by-minute oracle built directly on chinese-days", () => {
    // Independent oracle for the default config: UTC+8, chinese-days data, 09–12 and 13–18, minute by minute.
    const oracle = (a: number, b: number) => {
      let n = 0;
      for (let t = a; t < b; t += 60_000) {
        const local = new Date(t + 8 * 3_600_000);
        const mod = local.getUTCHours() * 60 + local.getUTCMinutes();
        if (!((mod >= 540 && mod < 720) || (mod >= 780 && mod < 1080))) continue;
        if (cnIsWorkday(local.toISOString().slice(0, 10))) n++;
      }
      return n;
    };
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 12 * 1440 }), (a, span) => {
        const b = new Date(a.getTime() + span * 60_000);
        expect(cal.workingMinutesBetween(a, b)).toBe(oracle(a.getTime(), b.getTime()));
      }),
      { numRuns: 150, seed: 42 },
    );
  });
});

describe("configuration variants", () => {
  it('holidays: "none" ignores statutory holidays and 调休', () => {
    const plain = staticCalendar({ ...base, holidays: "none" });
    expect(plain.isWorkingDay("2025-10-01")).toBe(true);
    expect(plain.isWorkingDay("2025-10-11")).toBe(false);
    expect(plain.isWorkingDay("2025-09-28")).toBe(false);
    expect(plain.addWorkingMinutes(sh("2025-09-30T16:00"), H8)).toEqual(sh("2025-10-01T16:00"));
  });

  it("extraHolidays remove and extraWorkdays add days, over statutory data too", () => {
    const c = staticCalendar({
      ...base,
      extraHolidays: ["2025-03-05", "2025-10-11"],
      extraWorkdays: ["2025-03-08", "2025-10-02"],
    });
    expect(c.isWorkingDay("2025-03-05")).toBe(false);
    expect(c.isWorkingDay("2025-10-11")).toBe(false); // 调休 Saturday removed
    expect(c.isWorkingDay("2025-03-08")).toBe(true); // ordinary Saturday added
    expect(c.isWorkingDay("2025-10-02")).toBe(true); // statutory holiday overridden
    expect(c.addWorkingMinutes(sh("2025-03-04T16:00"), H8)).toEqual(sh("2025-03-06T16:00"));
    expect(c.addWorkingMinutes(sh("2025-03-07T17:00"), H8)).toEqual(sh("2025-03-08T17:00"));
    expect(c.addWorkingMinutes(sh("2025-09-30T16:00"), H8)).toEqual(sh("2025-10-02T16:00"));
  });

  it("a day in both extra lists is a working day (extraWorkdays applied last)", () => {
    const c = staticCalendar({ ...base, extraHolidays: ["2025-03-05"], extraWorkdays: ["2025-03-05"] });
    expect(c.isWorkingDay("2025-03-05")).toBe(true);
  });

  it("Europe/Berlin across the spring DST change", () => {
    const berlin = staticCalendar({ ...base, timeZone: "Europe/Berlin", holidays: "none" });
    // Fri 2025-03-28 17:00 CET (UTC+1) + 8h → Mon 2025-03-31 17:00 CEST (UTC+2).
    const fri = new Date("2025-03-28T17:00:00+01:00");
    const mon = berlin.addWorkingMinutes(fri, H8);
    expect(mon.toISOString()).toBe("2025-03-31T15:00:00.000Z");
    expect(berlin.localDate(mon)).toBe("2025-03-31");
    expect(berlin.workingMinutesBetween(fri, mon)).toBe(H8);
    expect(berlin.atLocalTime("2025-03-31", "09:00").toISOString()).toBe("2025-03-31T07:00:00.000Z");
    expect(berlin.atLocalTime("2025-03-28", "09:00").toISOString()).toBe("2025-03-28T08:00:00.000Z");
  });

  it("Europe/Berlin round-the-clock calendar sees 23h and 25h days", () => {
    const allDay = staticCalendar({ ...base, timeZone: "Europe/Berlin", holidays: "none", workdays: [1, 2, 3, 4, 5, 6, 7], hours: [{ start: "00:00", end: "24:00" }] });
    expect(allDay.dailyWorkingMinutes).toBe(1440);
    expect(allDay.workingMinutesBetween(allDay.startOfLocalDay("2025-03-30"), allDay.startOfLocalDay("2025-03-31"))).toBe(23 * 60);
    expect(allDay.workingMinutesBetween(allDay.startOfLocalDay("2025-10-26"), allDay.startOfLocalDay("2025-10-27"))).toBe(25 * 60);
    // 02:30 does not exist on 2025-03-30; it moves forward to 03:30 CEST.
    expect(allDay.atLocalTime("2025-03-30", "02:30").toISOString()).toBe("2025-03-30T01:30:00.000Z");
    expect(allDay.localDate(new Date("2025-10-26T22:59:59Z"))).toBe("2025-10-26");
    expect(allDay.localDate(new Date("2025-10-26T23:00:00Z"))).toBe("2025-10-27");
  });

  it("America/New_York: night-time periods and local dates behind UTC", () => {
    const ny = staticCalendar({ ...base, timeZone: "America/New_York", holidays: "none" });
    expect(ny.localDate(new Date("2025-03-05T03:00:00Z"))).toBe("2025-03-04");
    // Fri 2025-03-07 17:00 EST + 8h → Mon 2025-03-10 17:00 EDT (DST began Sun 03-09).
    expect(ny.addWorkingMinutes(new Date("2025-03-07T17:00:00-05:00"), H8).toISOString()).toBe("2025-03-10T21:00:00.000Z");
  });

  it("a calendar without working days is rejected", () => {
    expectConfigInvalid(() => staticCalendar({ ...base, workdays: [] }));
    expectConfigInvalid(() => staticCalendar({ ...base, workdays: [], holidays: "none" }));
    expectConfigInvalid(() => staticCalendar({ ...base, timeZone: "Mars/Olympus" }));
    expectConfigInvalid(() => staticCalendar({ ...base, hours: [{ start: "13:00", end: "12:00" }] }));
    expectConfigInvalid(() => staticCalendar({ ...base, hours: [{ start: "09:00", end: "12:00" }, { start: "11:00", end: "18:00" }] }));
  });

  it("running out of working time throws instead of looping forever", () => {
    const sparse = staticCalendar({ ...base, workdays: [], holidays: "none", extraWorkdays: ["2025-03-08"] });
    expect(sparse.addWorkingMinutes(sh("2025-03-01T10:00"), 60)).toEqual(sh("2025-03-08T10:00"));
    expectConfigInvalid(() => sparse.addWorkingMinutes(sh("2025-03-09T10:00"), 60));
    expectConfigInvalid(() => sparse.addWorkingMinutes(sh("2025-03-08T10:00"), 10 * H8));
    expectConfigInvalid(() => sparse.addWorkingMinutes(sh("2025-03-01T10:00"), -60));
    expectConfigInvalid(() => sparse.addWorkingDays("2025-03-09", 1));
    expect(sparse.workingMinutesBetween(sh("2025-01-01T00:00"), sh("2026-01-01T00:00"))).toBe(H8);
  });

  it("rejects invalid input", () => {
    expect(() => cal.addWorkingMinutes(new Date(Number.NaN), 10)).toThrow(ChatDeskError);
    expect(() => cal.addWorkingMinutes(sh("2025-03-04T10:00"), Number.POSITIVE_INFINITY)).toThrow(ChatDeskError);
    expect(() => cal.isWorkingDay("2025-3-4")).toThrow(ChatDeskError);
  });
});
