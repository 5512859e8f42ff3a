// The pure parts of the schedule: cron expressions (same sets as node-cron, errors naming the field),
// the latest occurrence in the calendar's zone, which digest period is due (holidays, 调休 Saturday,
// postponed weekly/monthly), and the follow-up stages of a deadline.
import cron from "node-cron";
import { describe, expect, it } from "vitest";
import { parseWorkflowConfig } from "../../src/config/load.js";
import { staticCalendar } from "../../src/core/static-calendar.js";
import { latestOccurrence, parseCron } from "../../src/core/cron.js";
import { ChatDeskError } from "../../src/core/errors.js";
import { duePeriod } from "../../src/scheduler/periods.js";
import { confirmStages, deadlineStages, mayFireNow, nudgeStage } from "../../src/scheduler/stages.js";
import { sh } from "./support.js";

const cfg = parseWorkflowConfig();
const cal = staticCalendar(cfg.calendar);
const iso = (local: string) => sh(local).toISOString();

describe("cron expressions", () => {
  it.each(["* * * * *", "*/15 9-17 * * 1-5", "0 9 1 * *", "30 8 * jan,jul mon-fri", "0 0 * * 0,7", "*/10 * * * * *", "0 9-18/3 * * *"])("%s matches what node-cron parses", (expr) => {
    const mine = parseCron(expr);
    const theirs = cron.parse(expr);
    const sorted = (xs: Iterable<number | string>) => [...xs].map(Number).sort((a, b) => a - b);
    expect(sorted(mine.seconds)).toEqual(sorted(theirs.second));
    expect(sorted(mine.minutes)).toEqual(sorted(theirs.minute));
    expect(sorted(mine.hours)).toEqual(sorted(theirs.hour));
    expect(sorted(mine.days)).toEqual(sorted(theirs.dayOfMonth));
    expect(sorted(mine.months)).toEqual(sorted(theirs.month));
    expect(sorted(mine.weekdays)).toEqual([...new Set(sorted(theirs.dayOfWeek).map((d) => d % 7))].sort((a, b) => a - b));
  });

  it("rejects what node-cron rejects, naming the field", () => {
    const msg = (e: string) => {
      try {
        parseCron(e);
      } catch (x) {
        expect(x).toBeInstanceOf(ChatDeskError);
        return (x as Error).message;
      }
      return "";
    };
    expect(msg("0 25 * * *")).toBe('cron "0 25 * * *": hour: 25 is outside 0–23');
    expect(msg("0 9 * * funday")).toMatch(/day of week: "funday" is not a number or a name/);
    expect(msg("5/20 * * * *")).toMatch(/minute: a step needs \* or a range/);
    expect(msg("0 9 * *")).toMatch(/expected 5 fields/);
    expect(() => cron.parse("5/20 * * * *")).toThrow();
  });

  it("config errors name the schedule field; \"off\" switches a digest off", () => {
    expect(() => parseWorkflowConfig({ schedule: { dailyDigest: "0 25 * * *" } })).toThrow(/schedule\.dailyDigest: cron "0 25 \* \* \*": hour: 25 is outside 0–23/);
    expect(() => parseWorkflowConfig({ delivery: { feishu: { messages: 0, perSeconds: 1 } } })).toThrow(/delivery\.feishu\.messages/);
    expect(() => parseWorkflowConfig({ reminders: { progressNudgeAfter: "daily" } })).toThrow(/reminders\.progressNudgeAfter: expected a duration/);
    const c = parseWorkflowConfig({ schedule: { monthlyDigest: "off" } });
    expect(c.schedule).toEqual({ tick: "* * * * *", dailyDigest: "0 9 * * *", weeklyDigest: "0 9 * * 1", monthlyDigest: "off" });
    expect(c.reminders).toEqual({ before: [0.75, "1h"], secondLevelAfter: "4h", progressNudgeAfter: "1d", autoCloseAfterDays: 3, blockedEscalateAfter: "1d", waitingRemindAfter: "3d" });
    expect(c.delivery).toEqual({ feishu: { messages: 5, perSeconds: 1 }, dingtalk: { messages: 20, perSeconds: 60 } });
  });

  it("finds the latest occurrence in the calendar's zone", () => {
    const at = (e: string, now: string) => latestOccurrence(parseCron(e), cal, sh(now))?.toISOString();
    expect(at("0 9 * * 1", "2025-10-15 12:00")).toBe(iso("2025-10-13 09:00"));
    expect(at("0 9 * * 1", "2025-10-13 08:59")).toBe(iso("2025-10-06 09:00"));
    expect(at("0 9 * * 1", "2025-10-13 09:00")).toBe(iso("2025-10-13 09:00"));
    expect(at("*/15 9-17 * * *", "2025-10-15 12:44")).toBe(iso("2025-10-15 12:30"));
    expect(at("*/15 9-17 * * *", "2025-10-15 08:00")).toBe(iso("2025-10-14 17:45"));
    expect(at("0 9 1 * *", "2025-10-15 12:00")).toBe(iso("2025-10-01 09:00"));
    expect(at("*/10 * * * * *", "2025-10-15 12:00")).toBe(iso("2025-10-15 12:00"));
  });
});

describe("which digest is due", () => {
  const daily = (now: string) => duePeriod("daily", "0 9 * * *", cal, sh(now));
  it("daily: working days only — holidays skipped, the 调休 Saturday included, since the previous working day's brief", () => {
    expect(daily("2025-10-03 10:00")).toBeUndefined(); // National Day
    expect(daily("2025-10-18 10:00")).toBeUndefined(); // an ordinary Saturday
    expect(daily("2025-10-13 08:59")).toBeUndefined();
    const sat = daily("2025-10-11 09:00")!; // 调休 Saturday
    expect([sat.to, sat.start.toISOString(), sat.end.toISOString()]).toEqual(["2025-10-11", iso("2025-10-10 09:00"), iso("2025-10-11 09:00")]);
    const afterHoliday = daily("2025-10-09 09:05")!;
    expect(afterHoliday.start.toISOString()).toBe(iso("2025-09-30 09:00"));
    const monday = daily("2025-10-13 09:00")!; // after the 调休 Saturday, not Friday
    expect(monday.start.toISOString()).toBe(iso("2025-10-11 09:00"));
    expect(daily("2025-10-13 23:59")!.to).toBe("2025-10-13"); // late the same day: still today's
  });

  it("weekly: the 7 days before; a holiday Monday sends on the next working day at the same time", () => {
    const w = (now: string) => duePeriod("weekly", "0 9 * * 1", cal, sh(now));
    expect(w("2025-10-20 09:00")).toMatchObject({ from: "2025-10-13", to: "2025-10-19", previous: { from: "2025-10-06", to: "2025-10-12" } });
    expect(w("2025-10-21 09:00")).toBeUndefined(); // a day late: not sent late
    expect(w("2025-10-06 09:00")).toBeUndefined(); // Monday in the National Day holiday
    expect(w("2025-10-09 08:59")).toBeUndefined();
    const late = w("2025-10-09 09:00")!;
    expect(late).toMatchObject({ from: "2025-09-29", to: "2025-10-05" });
    expect(late.sendAt.toISOString()).toBe(iso("2025-10-09 09:00"));
  });

  it("monthly: the previous calendar month, against the month before", () => {
    const m = duePeriod("monthly", "0 9 1 * *", cal, sh("2025-12-01 09:00"))!;
    expect(m).toMatchObject({ from: "2025-11-01", to: "2025-11-30", previous: { from: "2025-10-01", to: "2025-10-31" } });
    expect(m.end.toISOString()).toBe(iso("2025-12-01 00:00"));
    // Jan 1–3 2026 are holidays and Sunday Jan 4 is a 调休 working day: the report goes out then.
    expect(duePeriod("monthly", "0 9 1 * *", cal, sh("2026-01-01 09:00"))).toBeUndefined();
    const jan = duePeriod("monthly", "0 9 1 * *", cal, sh("2026-01-04 09:30"))!;
    expect(jan).toMatchObject({ from: "2025-12-01", to: "2025-12-31" });
    expect(jan.sendAt.toISOString()).toBe(iso("2026-01-04 09:00"));
    expect(duePeriod("monthly", "0 9 1 * *", cal, sh("2026-01-05 09:00"))).toBeUndefined();
    expect(duePeriod("monthly", "off", cal, sh("2025-12-01 09:00"))).toBeUndefined();
  });
});

describe("follow-up stages", () => {
  it("a medium ticket on Friday afternoon: reminders on the 调休 Saturday at 11:00 and 13:00, breach 14:00, second level 18:00", () => {
    const stages = deadlineStages(cfg, cal, "working", sh("2025-10-10 14:00"), sh("2025-10-11 14:00"));
    expect(stages.map((s) => [s.name, s.level, s.at.toISOString()])).toEqual([
      ["before", 0, iso("2025-10-11 11:00")],
      ["before", 1, iso("2025-10-11 13:00")],
      ["breach", 1, iso("2025-10-11 14:00")],
      ["escalate", 2, iso("2025-10-11 18:00")],
    ]);
  });

  it("when 75% and 1h-before coincide, one reminder; calendar clock counts every hour", () => {
    const high = deadlineStages(cfg, cal, "working", sh("2025-10-15 10:00"), sh("2025-10-15 15:00"));
    expect(high.filter((s) => s.name === "before").map((s) => s.at.toISOString())).toEqual([iso("2025-10-15 14:00")]);
    const urgent = deadlineStages(cfg, cal, "calendar", sh("2025-10-02 00:30"), sh("2025-10-02 02:30"));
    expect(urgent.map((s) => s.at.toISOString())).toEqual([iso("2025-10-02 01:30"), iso("2025-10-02 02:00"), iso("2025-10-02 02:30"), iso("2025-10-02 06:30")]);
  });

  it("working-clock follow-ups wait for working time (with a grace after a period's end); calendar ones do not", () => {
    expect(mayFireNow(cal, "working", sh("2025-09-30 18:00"), sh("2025-09-30 18:10"))).toBe(true);
    expect(mayFireNow(cal, "working", sh("2025-09-30 18:00"), sh("2025-10-01 03:00"))).toBe(false);
    expect(mayFireNow(cal, "working", sh("2025-09-30 18:00"), sh("2025-10-09 09:00"))).toBe(true);
    expect(mayFireNow(cal, "calendar", sh("2025-10-01 02:30"), sh("2025-10-01 03:00"))).toBe(true);
    expect(mayFireNow(cal, "calendar", sh("2025-10-01 02:30"), sh("2025-10-01 02:29"))).toBe(false);
  });

  it("nudges after each quiet working day; confirmation reminder and auto-close in working days", () => {
    expect(nudgeStage(cfg, cal, "working", sh("2025-09-30 16:00"), sh("2025-10-09 15:59"))).toBeUndefined();
    expect(nudgeStage(cfg, cal, "working", sh("2025-09-30 16:00"), sh("2025-10-09 16:00"))).toEqual({ level: 1, at: sh("2025-10-09 16:00") });
    expect(nudgeStage(cfg, cal, "calendar", sh("2025-10-01 16:00"), sh("2025-10-03 17:00"))).toEqual({ level: 2, at: sh("2025-10-03 16:00") });
    expect(confirmStages(cfg, cal, "working", sh("2025-09-30 15:00"))).toEqual({ remindAt: sh("2025-10-10 15:00"), closeAt: sh("2025-10-11 15:00") });
  });
});
