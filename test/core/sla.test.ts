import { describe, expect, it } from "vitest";
import { defaultWorkflow } from "../../src/config/defaults.js";
import type { CalendarConfig, WorkflowConfig } from "../../src/config/schema.js";
import { calendarSchema } from "../../src/config/schema.js";
import { staticCalendar } from "../../src/core/static-calendar.js";
import { ChatDeskError } from "../../src/core/errors.js";
import {
  activeMinutes,
  addPolicyDuration,
  dueDates,
  durationMinutes,
  elapsedMinutes,
  normalizePauses,
  parseDuration,
  pausedMinutes,
  type Pause,
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

describe("paused clocks (waiting on the customer or a third party)", () => {
  const pause = (from: string, to: string | null): Pause => ({ from: sh(from), to: to ? sh(to) : null });

  it("no pauses: the same deadlines as before", () => {
    for (const p of ["urgent", "high", "medium", "low"] as const) {
      expect(dueDates(sla, p, sh("2025-09-30T16:00"), cal, [])).toEqual(dueDates(sla, p, sh("2025-09-30T16:00"), cal));
    }
  });

  it("a pause across a night moves the working deadline by the working time paused only", () => {
    // Medium, Tue 10:00: 8h → Wed 10:00. Paused Tue 16:00 → Wed 11:00 = 2h + 2h of working time.
    const p = [pause("2025-03-04T16:00", "2025-03-05T11:00")];
    expect(pausedMinutes(cal, "working", sh("2025-03-04T10:00"), sh("2025-03-06T10:00"), p)).toBe(240);
    expect(dueDates(sla, "medium", sh("2025-03-04T10:00"), cal, p).responseDueAt).toEqual(sh("2025-03-05T15:00"));
    // Paused only over the night (18:00 → 09:00): no working time lost, the working deadline stays.
    const night = [pause("2025-03-04T18:00", "2025-03-05T09:00")];
    expect(dueDates(sla, "medium", sh("2025-03-04T10:00"), cal, night).responseDueAt).toEqual(sh("2025-03-05T10:00"));
    // The calendar clock (urgent) counts the night: 15h paused → 2h response lands 15h later.
    expect(dueDates(sla, "urgent", sh("2025-03-04T17:30"), cal, night).responseDueAt).toEqual(sh("2025-03-05T10:30"));
  });

  it("a pause over National Day 2025 counts only its working edges", () => {
    // Medium received Tue 9-30 16:00 (8h → 10-09 16:00, 72h → 10-20 16:00). Waiting 9-30 17:00 → 10-09 10:00:
    // 1h on 9-30 and 1h on 10-09 are paused; the eight holiday days cost nothing either way.
    const p = [pause("2025-09-30T17:00", "2025-10-09T10:00")];
    expect(pausedMinutes(cal, "working", sh("2025-09-30T16:00"), sh("2025-10-20T18:00"), p)).toBe(120);
    const d = dueDates(sla, "medium", sh("2025-09-30T16:00"), cal, p);
    expect(d.responseDueAt).toEqual(sh("2025-10-09T18:00"));
    expect(d.resolutionDueAt).toEqual(sh("2025-10-20T18:00"));
    expect(activeMinutes(cal, "working", sh("2025-09-30T16:00"), d.resolutionDueAt, p)).toBe(72 * 60);
  });

  it("a pause over Spring Festival 2026 including the 调休 Saturday Feb 14", () => {
    // Low, Thu 2-12 10:00, 7d → 2-28 10:00 (调休 Sat). Waiting 2-13 09:00 → 2-24 09:00 pauses 2-13 and the
    // working Saturday 2-14 (960 min): 420 min before, 2940 after → 2-24..2-27, 2-28 (调休), 3-02, 3-03 10:00.
    const p = [pause("2026-02-13T09:00", "2026-02-24T09:00")];
    expect(pausedMinutes(cal, "working", sh("2026-02-12T10:00"), sh("2026-03-31T10:00"), p)).toBe(960);
    const d = dueDates(sla, "low", sh("2026-02-12T10:00"), cal, p);
    expect(d.resolutionDueAt).toEqual(sh("2026-03-03T10:00"));
    expect(activeMinutes(cal, "working", sh("2026-02-12T10:00"), d.resolutionDueAt, p)).toBe(7 * 480);
  });

  it("a priority change applies the new targets to the elapsed working time, carried over exactly", () => {
    // Medium, Mon 3-03 10:00. Worked 4h (10–12, 13–15), waiting Mon 15:00 → Wed 3-05 11:00 (13h of working
    // time), worked 2h more; at Wed 14:00 the priority becomes high (4h / 48h).
    const received = sh("2025-03-03T10:00");
    const p = [pause("2025-03-03T15:00", "2025-03-05T11:00")];
    const now = sh("2025-03-05T14:00");
    expect(activeMinutes(cal, "working", received, now, p)).toBe(360);
    expect(pausedMinutes(cal, "working", received, now, p)).toBe(780);
    const d = dueDates(sla, "high", received, cal, p, now);
    // 4h were reached at the very moment the ticket started waiting: the response deadline is that instant.
    expect(d.responseDueAt).toEqual(sh("2025-03-03T15:00"));
    // 2880 − 360 = 2520 min from Wed 14:00: Wed 240, Thu, Fri, Mon, Tue 480 each, Wed 3-12 360 → 16:00.
    expect(d.resolutionDueAt).toEqual(sh("2025-03-12T16:00"));
    expect(activeMinutes(cal, "working", received, d.resolutionDueAt, p)).toBe(2880);
    // Back to medium: the original 72h counted the same way (not from zero, not from the change).
    const back = dueDates(sla, "medium", received, cal, p, now);
    expect(activeMinutes(cal, "working", received, back.resolutionDueAt, p)).toBe(72 * 60);
    expect(back.resolutionDueAt.getTime() - dueDates(sla, "medium", received, cal).resolutionDueAt.getTime()).toBeGreaterThan(0);
  });

  it("while still waiting, deadlines are those that hold if the clock restarted at asOf", () => {
    const received = sh("2025-03-03T10:00");
    const open = [pause("2025-03-03T15:00", null)];
    // Waiting since Mon 15:00, asked on Tue 10:00: 4h worked, 4h of the 8h response left → Tue 15:00.
    expect(dueDates(sla, "medium", received, cal, open, sh("2025-03-04T10:00")).responseDueAt).toEqual(sh("2025-03-04T15:00"));
    // An hour later the projection moves an hour: the clock is stopped.
    expect(dueDates(sla, "medium", received, cal, open, sh("2025-03-04T11:00")).responseDueAt).toEqual(sh("2025-03-04T16:00"));
    // An open pause runs until `to` in the minute counts.
    expect(pausedMinutes(cal, "working", received, sh("2025-03-04T11:00"), open)).toBe(180 + 120);
  });

  it("a deadline already passed before the pause stays where it was", () => {
    const p = [pause("2025-03-04T10:00", "2025-03-06T10:00")];
    // High received Mon 10:00: response 4h → Mon 15:00, long before the pause.
    expect(dueDates(sla, "high", sh("2025-03-03T10:00"), cal, p).responseDueAt).toEqual(sh("2025-03-03T15:00"));
  });

  it("pauses are clipped to the ticket's life, sorted and merged", () => {
    const received = sh("2025-03-04T10:00");
    const p = [pause("2025-03-05T10:00", "2025-03-05T12:00"), pause("2025-03-04T08:00", "2025-03-04T11:00"), pause("2025-03-05T11:00", "2025-03-05T14:00")];
    expect(normalizePauses(p, received, received)).toEqual([
      { from: sh("2025-03-04T10:00"), to: sh("2025-03-04T11:00") },
      { from: sh("2025-03-05T10:00"), to: sh("2025-03-05T14:00") },
    ]);
    // 60 + (10–12, 13–14) 180 = 240 paused: Tue 11–12, 13–18 and Wed 9–10 count 420, the last 60 from Wed 14:00.
    expect(pausedMinutes(cal, "working", received, sh("2025-03-06T18:00"), p)).toBe(240);
    expect(dueDates(sla, "medium", received, cal, p).responseDueAt).toEqual(sh("2025-03-05T15:00"));
    // A pause that ended before the ticket arrived changes nothing; an empty pause neither.
    expect(dueDates(sla, "medium", received, cal, [pause("2025-03-03T10:00", "2025-03-03T12:00"), pause("2025-03-04T11:00", "2025-03-04T11:00")])).toEqual(dueDates(sla, "medium", received, cal));
  });

  it("activeMinutes + pausedMinutes = elapsed time, in both clocks", () => {
    const from = sh("2025-09-28T09:00");
    const to = sh("2025-10-13T12:00");
    const p = [pause("2025-09-29T11:00", "2025-09-30T10:00"), pause("2025-10-09T17:00", null)];
    for (const clock of ["working", "calendar"] as const) {
      expect(activeMinutes(cal, clock, from, to, p) + pausedMinutes(cal, clock, from, to, p)).toBe(elapsedMinutes(cal, clock, from, to));
    }
    // Working: 9-28 (调休 Sunday) 480 and 9-29 9–11 (120) before the first pause; 9-30 10–12, 13–18 (420);
    // the holiday 10-01..10-08 nothing; 10-09 9–12, 13–17 (420) until the open pause: 1440 active.
    expect(activeMinutes(cal, "working", from, to, p)).toBe(1440);
  });
});
