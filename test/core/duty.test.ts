import { describe, expect, it } from "vitest";
import { coverFor, onDuty, parseDateRange, rostered, weekdayKey, type Leave } from "../../src/core/duty.js";
import { pickHandler } from "../../src/core/routing.js";
import type { Department } from "../../src/core/workflow.js";

const tech: Department = {
  id: "tech",
  name: "技术部",
  handlers: ["zhang", "li", "zhao"],
  leads: ["wang"],
  managers: [],
  assign: "round_robin",
  chats: {},
  roster: { mon: ["zhang", "li"], tue: ["li", "zhao"], wed: ["zhang"], sat: [] },
};
// 2026-12-07 is a Monday.
const MON = ["2026-12-07", 1] as const;
const TUE = ["2026-12-08", 2] as const;
const WED = ["2026-12-09", 3] as const;

describe("on duty", () => {
  it("the weekly roster decides; a department without one has every handler every day; a day left out has nobody", () => {
    expect(weekdayKey(1)).toBe("mon");
    expect(weekdayKey(7)).toBe("sun");
    expect(rostered(tech, 1)).toEqual(["zhang", "li"]);
    expect(rostered(tech, 4)).toEqual([]);
    expect(rostered({ ...tech, roster: undefined }, 4)).toEqual(["zhang", "li", "zhao"]);
    expect(onDuty(tech, ...MON, [])).toEqual(["zhang", "li"]);
    expect(onDuty(tech, "2026-12-12", 6, [])).toEqual([]);
  });

  it("leave takes a person off duty over its dates (both ends included); a cover takes their place", () => {
    const leaves: Leave[] = [{ personId: "zhang", from: "2026-12-07", to: "2026-12-09" }];
    expect(onDuty(tech, ...MON, leaves)).toEqual(["li"]);
    expect(onDuty(tech, ...WED, leaves)).toEqual([]);
    expect(onDuty(tech, "2026-12-14", 1, leaves)).toEqual(["zhang", "li"]);
    const swap: Leave[] = [{ personId: "zhang", from: "2026-12-09", to: "2026-12-09", coverId: "zhao" }];
    expect(onDuty(tech, ...WED, swap)).toEqual(["zhao"]);
    // A cover who is on leave too covers nobody.
    expect(onDuty(tech, ...WED, [...swap, { personId: "zhao", from: "2026-12-01", to: "2026-12-31" }])).toEqual([]);
  });

  it("reminders of someone off duty go to their cover, else to the first on duty, else nobody (the leads)", () => {
    const leaves: Leave[] = [{ personId: "zhang", from: "2026-12-07", to: "2026-12-07", coverId: "zhao" }];
    expect(coverFor(tech, "li", ...MON, leaves)).toBe("li");
    expect(coverFor(tech, "zhang", ...MON, leaves)).toBe("zhao");
    expect(coverFor(tech, "zhang", ...TUE, [])).toBe("li"); // not rostered on Tuesday
    expect(coverFor(tech, "zhang", "2026-12-10", 4, [])).toBeUndefined();
  });

  it("parses leave ranges", () => {
    expect(parseDateRange("2026-12-03~2026-12-05")).toEqual({ from: "2026-12-03", to: "2026-12-05" });
    expect(parseDateRange("2026-12-03")).toEqual({ from: "2026-12-03", to: "2026-12-03" });
    expect(parseDateRange("2026-12-03 至 2026-12-05")).toEqual({ from: "2026-12-03", to: "2026-12-05" });
    expect(parseDateRange("2026-12-05~2026-12-03")).toBeUndefined();
    expect(parseDateRange("2026-02-30")).toBeUndefined();
    expect(parseDateRange("tomorrow")).toBeUndefined();
  });
});

describe("assignment with duty and capacity", () => {
  it("round-robin and least-loaded skip people off duty", () => {
    const available = ["li", "zhao"];
    const picks = [0, 1, 2, 3].map((cursor) => pickHandler(tech, "round_robin", { cursor, openLoad: {}, available }).handlerId);
    expect(picks).toEqual(["li", "zhao", "li", "zhao"]);
    expect(pickHandler(tech, "least_loaded", { cursor: 0, openLoad: { li: 3, zhao: 5, zhang: 0 }, available }).handlerId).toBe("li");
    expect(pickHandler(tech, "least_loaded", { cursor: 0, openLoad: {}, available: [] })).toEqual({ nextCursor: 0, none: "nobody_on_duty" });
  });

  it("a handler at their limit is skipped; everyone at it leaves the ticket in the queue", () => {
    const capacity = { zhang: 2, li: 1 };
    expect(pickHandler(tech, "round_robin", { cursor: 1, openLoad: { li: 1 }, capacity }).handlerId).toBe("zhao");
    expect(pickHandler(tech, "least_loaded", { cursor: 0, openLoad: { zhang: 1, li: 1, zhao: 4 }, capacity }).handlerId).toBe("zhang");
    const full = pickHandler(tech, "least_loaded", { cursor: 0, openLoad: { zhang: 2, li: 1 }, capacity, available: ["zhang", "li"] });
    expect(full).toEqual({ nextCursor: 0, none: "at_capacity" });
    expect(pickHandler({ ...tech, handlers: [] }, "round_robin", { cursor: 0, openLoad: {} }).none).toBe("no_pool");
  });
});
