import { describe, expect, it } from "vitest";
import { defaultWorkflow } from "../../src/config/defaults.js";
import type { CalendarConfig, WorkflowConfig } from "../../src/config/schema.js";
import { calendarSchema } from "../../src/config/schema.js";
import { staticCalendar } from "../../src/core/static-calendar.js";
import { ChatDeskError } from "../../src/core/errors.js";
import {
  addPolicyDuration,
  dueDates,
  durationMinutes,
  elapsedMinutes,
  parseDuration,
  slaOf,
  subtractPolicyDuration,
} from "../../src/core/sla.js";
import type { Priority } from "../../src/core/types.js";

const calCfg: CalendarConfig = calendarSchema.parse(defaultWorkflow.calendar);
const cal = staticCalendar(calCfg);
const sla: WorkflowConfig["sla"] = defaultWorkflow.sla;
const sh = (s: string) => new Date(`${s}:00+08:00`);

describe("parseDuration / durationMinutes", () => {
  it.each([
    ["30m", 30, "m"],
    ["4h", 4, "h"],
    ["7d", 7, "d"],
    ["1.5h", 1.5, "h"],
    ["0m", 0, "m"],
  ] as const)("%s", (s, value, unit) => {
    expect(parseDuration(s)).toEqual({ value, unit });
  });

  it.each(["", "4", "h", "4H", "4 h", "-1h", "1w", "1.h", "4hh"])("rejects %j", (s) => {
    expect(() => parseDuration(s)).toThrow(ChatDeskError);
  });

  it("a day is a working day in the working clock and 24h in the calendar clock", () => {
    expect(durationMinutes("1d", "working", cal)).toBe(480);
    expect(durationMinutes("1d", "calendar", cal)).toBe(1440);
    expect(durationMinutes("7d", "working", cal)).toBe(7 * 480);
    expect(durationMinutes("4h", "working", cal)).toBe(240);
    expect(durationMinutes("4h", "calendar", cal)).toBe(240);
    expect(durationMinutes("90m", "working", cal)).toBe(90);
    expect(durationMinutes("0.5d", "working", cal)).toBe(240);
    const long = staticCalendar({ ...calCfg, hours: [{ start: "08:30", end: "17:30" }] });
    expect(durationMinutes("2d", "working", long)).toBe(2 * 540);
  });
});

describe("addPolicyDuration / subtractPolicyDuration / elapsedMinutes", () => {
  it("working clock follows the calendar, calendar clock is plain arithmetic", () => {
    expect(addPolicyDuration(cal, "working", sh("2025-09-30T16:00"), "8h")).toEqual(sh("2025-10-09T16:00"));
    expect(addPolicyDuration(cal, "calendar", sh("2025-09-30T16:00"), "8h")).toEqual(sh("2025-10-01T00:00"));
    expect(addPolicyDuration(cal, "working", sh("2025-03-04T16:00"), 480)).toEqual(sh("2025-03-05T16:00"));
    expect(addPolicyDuration(cal, "calendar", sh("2025-03-04T16:00"), "1d")).toEqual(sh("2025-03-05T16:00"));
    expect(addPolicyDuration(cal, "working", sh("2025-03-04T16:00"), "1d")).toEqual(sh("2025-03-05T16:00"));
    expect(addPolicyDuration(cal, "working", sh("2025-03-07T16:00"), "1d")).toEqual(sh("2025-03-10T16:00"));
    expect(addPolicyDuration(cal, "calendar", sh("2025-03-07T16:00"), "1d")).toEqual(sh("2025-03-08T16:00"));
  });

  it("subtracting gives reminder times before a deadline", () => {
    expect(subtractPolicyDuration(cal, "working", sh("2025-10-09T09:30"), "1h")).toEqual(sh("2025-09-30T17:30"));
    expect(subtractPolicyDuration(cal, "calendar", sh("2025-10-03T05:00"), "1h")).toEqual(sh("2025-10-03T04:00"));
    expect(addPolicyDuration(cal, "working", sh("2025-03-04T14:00"), -90)).toEqual(sh("2025-03-04T11:30"));
  });

  it("elapsedMinutes in both clocks", () => {
    expect(elapsedMinutes(cal, "working", sh("2025-09-30T16:00"), sh("2025-10-09T10:00"))).toBe(180);
    expect(elapsedMinutes(cal, "calendar", sh("2025-09-30T16:00"), sh("2025-10-09T10:00"))).toBe(8 * 1440 + 18 * 60);
    expect(elapsedMinutes(cal, "working", sh("2025-10-09T10:00"), sh("2025-09-30T16:00"))).toBe(0);
    expect(elapsedMinutes(cal, "calendar", sh("2025-10-09T10:00"), sh("2025-09-30T16:00"))).toBe(0);
  });

  it("calendar clock counts real hours across a DST change", () => {
    const berlin = staticCalendar({ ...calCfg, timeZone: "Europe/Berlin", holidays: "none" });
    const sat = new Date("2025-03-29T12:00:00+01:00");
    expect(addPolicyDuration(berlin, "calendar", sat, "24h").toISOString()).toBe("2025-03-30T11:00:00.000Z"); // 13:00 CEST
    expect(addPolicyDuration(berlin, "working", sat, "1h").toISOString()).toBe("2025-03-31T08:00:00.000Z"); // Mon 10:00 CEST
  });

  it("rejects non-finite minute counts", () => {
    expect(() => addPolicyDuration(cal, "calendar", sh("2025-03-04T10:00"), Number.NaN)).toThrow(ChatDeskError);
  });
});

describe("dueDates with the default policy", () => {
  const due = (p: Priority, received: string) => {
    const d = dueDates(sla, p, sh(received), cal);
    return { response: d.responseDueAt, resolution: d.resolutionDueAt };
  };

  it("urgent uses the calendar clock even on a holiday at night: 2h → 05:00, 24h → next day 03:00", () => {
    expect(due("urgent", "2025-10-03T03:00")).toEqual({ response: sh("2025-10-03T05:00"), resolution: sh("2025-10-04T03:00") });
    expect(due("urgent", "2025-10-01T23:00")).toEqual({ response: sh("2025-10-02T01:00"), resolution: sh("2025-10-02T23:00") });
  });

  it("high: 4 working hours from lunch, 48 working hours = 6 working days", () => {
    // Tue 12:30 counts from 13:00; 48h ends at Wed 03-12 12:00 (the end of a period).
    expect(due("high", "2025-03-04T12:30")).toEqual({ response: sh("2025-03-04T17:00"), resolution: sh("2025-03-12T12:00") });
  });

  it("medium across National Day 2025: 8h → Oct 9 16:00; 72h = 9 working days incl. 调休 Sat Oct 11 → Oct 20 16:00", () => {
    expect(due("medium", "2025-09-30T16:00")).toEqual({ response: sh("2025-10-09T16:00"), resolution: sh("2025-10-20T16:00") });
  });

  it("low: 24 working hours = 3 working days; 7d = 7 working days across National Day", () => {
    // Working days after Mon 9-29: 9-30, 10-9, 10-10, 10-11 (调休 Sat), 10-13, 10-14, 10-15.
    expect(due("low", "2025-09-29T10:00")).toEqual({ response: sh("2025-10-10T10:00"), resolution: sh("2025-10-15T10:00") });
  });

  it("low 7d across Spring Festival 2026 lands on the 调休 Saturday Feb 28", () => {
    // Working days after Thu 2-12: 2-13, 2-14 (调休 Sat), 2-24, 2-25, 2-26, 2-27, 2-28 (调休 Sat).
    expect(due("low", "2026-02-12T10:00").resolution).toEqual(sh("2026-02-28T10:00"));
    expect(elapsedMinutes(cal, "working", sh("2026-02-12T10:00"), sh("2026-02-28T10:00"))).toBe(7 * 480);
  });

  it("medium received on a Sunday starts on Monday morning", () => {
    expect(due("medium", "2025-03-09T21:00").response).toEqual(sh("2025-03-10T18:00"));
  });

  it("a custom policy with fractional and day durations", () => {
    const custom: WorkflowConfig["sla"] = {
      ...sla,
      medium: { response: "1.5h", resolution: "2d", clock: "working" },
      low: { response: "30m", resolution: "2d", clock: "calendar" },
    };
    const m = dueDates(custom, "medium", sh("2025-03-04T11:00"), cal);
    expect(m.responseDueAt).toEqual(sh("2025-03-04T13:30"));
    expect(m.resolutionDueAt).toEqual(sh("2025-03-06T11:00"));
    const l = dueDates(custom, "low", sh("2025-03-08T11:00"), cal);
    expect(l.responseDueAt).toEqual(sh("2025-03-08T11:30"));
    expect(l.resolutionDueAt).toEqual(sh("2025-03-10T11:00"));
  });

  it("slaOf picks the priority's target and rejects an unknown one", () => {
    expect(slaOf(sla, "high")).toEqual({ response: "4h", resolution: "48h", clock: "working" });
    expect(slaOf(sla, "urgent").clock).toBe("calendar");
    try {
      slaOf(sla, "critical" as Priority);
      throw new Error("expected a throw");
    } catch (e) {
      expect((e as ChatDeskError).code).toBe("CONFIG_INVALID");
    }
  });
});
