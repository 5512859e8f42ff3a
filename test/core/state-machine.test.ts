import { describe, expect, it } from "vitest";
import { ACTIONS, RULES, actionsIn, can, decide, type TicketAction } from "../../src/core/state-machine.js";
import { ChatDeskError } from "../../src/core/errors.js";
import { STATUSES, type Role, type Status } from "../../src/core/types.js";

const roles = (...r: Role[]) => new Set<Role>(r);
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as ChatDeskError).code;
  }
  return "OK";
};

// The full expected table: action → from-status → resulting status (absent = illegal).
const EXPECTED: Record<TicketAction, Partial<Record<Status, Status>>> = {
  claim: { open: "in_progress" },
  progress: { open: "in_progress", in_progress: "in_progress" },
  note: { open: "open", in_progress: "in_progress", resolved: "resolved" },
  plan: { open: "in_progress", in_progress: "in_progress" },
  priority: { open: "open", in_progress: "in_progress", resolved: "resolved" },
  category: { open: "open", in_progress: "in_progress" },
  reassign: { open: "open", in_progress: "in_progress" },
  collaborate: { open: "open", in_progress: "in_progress" },
  block: { in_progress: "in_progress" },
  unblock: { in_progress: "in_progress" },
  wait: { open: "in_progress", in_progress: "in_progress" },
  resume: { in_progress: "in_progress" },
  resolve: { open: "resolved", in_progress: "resolved" },
  confirm: { resolved: "closed" },
  rate: { resolved: "resolved", closed: "closed" },
  reopen: { resolved: "in_progress", closed: "in_progress" },
  reject: { open: "rejected", in_progress: "rejected" },
  merge: { open: "merged", in_progress: "merged" },
  close: { resolved: "closed" },
};

describe("ticket state machine", () => {
  it("allows exactly the expected transitions for an all-powerful actor", () => {
    const everyone = roles("reporter", "handler", "lead", "manager", "system");
    for (const action of ACTIONS) {
      for (const from of STATUSES) {
        const want = EXPECTED[action][from];
        if (want) expect(decide(from, action, everyone), `${action} from ${from}`).toBe(want);
        else expect(code(() => decide(from, action, everyone)), `${action} from ${from}`).toBe("ILLEGAL_TRANSITION");
      }
    }
  });

  it("terminal statuses allow nothing except reopen/rate of closed tickets", () => {
    for (const s of ["rejected", "merged"] as const) expect(actionsIn(s)).toEqual([]);
    expect(actionsIn("closed").sort()).toEqual(["rate", "reopen"]);
  });

  const PERMS: [TicketAction, Status, Role[], Role[]][] = [
    // action, from, allowed roles, refused roles
    ["claim", "open", ["handler", "lead", "manager"], ["reporter", "system"]],
    ["progress", "in_progress", ["handler", "lead"], ["reporter"]],
    ["resolve", "in_progress", ["handler", "lead"], ["reporter", "system"]],
    ["confirm", "resolved", ["reporter", "lead"], ["handler"]],
    ["reopen", "closed", ["reporter", "lead"], ["handler"]],
    ["rate", "closed", ["reporter", "manager"], ["handler"]],
    ["reject", "open", ["lead", "manager"], ["handler", "reporter"]],
    ["merge", "in_progress", ["lead"], ["handler", "reporter"]],
    ["priority", "open", ["lead"], ["handler", "reporter"]],
    ["category", "in_progress", ["lead"], ["handler", "reporter"]],
    ["reassign", "open", ["lead", "handler"], ["reporter"]],
    ["note", "open", ["reporter", "handler", "lead"], ["system"]],
    ["close", "resolved", ["system", "lead"], ["reporter", "handler"]],
    ["block", "in_progress", ["handler", "lead", "manager"], ["reporter", "system"]],
    ["unblock", "in_progress", ["handler", "lead", "manager"], ["reporter", "system"]],
    ["wait", "open", ["handler", "lead", "manager"], ["reporter", "system"]],
    ["resume", "in_progress", ["reporter", "handler", "lead", "manager"], ["system"]],
  ];

  it.each(PERMS)("%s from %s: allowed %j, refused %j", (action, from, allowed, refused) => {
    for (const r of allowed) expect(code(() => decide(from, action, roles(r))), r).toBe("OK");
    for (const r of refused) expect(code(() => decide(from, action, roles(r))), r).toBe("FORBIDDEN");
    expect(code(() => decide(from, action, roles()))).toBe("FORBIDDEN");
  });

  it("reports an illegal transition before a permission problem", () => {
    expect(code(() => decide("closed", "claim", roles("reporter")))).toBe("ILLEGAL_TRANSITION");
  });

  it("can() agrees with decide()", () => {
    for (const action of ACTIONS)
      for (const from of STATUSES)
        for (const r of ["reporter", "handler", "lead", "manager", "system"] as Role[]) {
          expect(can(from, action, roles(r))).toBe(code(() => decide(from, action, roles(r))) === "OK");
        }
  });

  it("every rule names at least one role and one start status", () => {
    for (const a of ACTIONS) {
      expect(RULES[a].roles.length).toBeGreaterThan(0);
      expect(RULES[a].from.length).toBeGreaterThan(0);
    }
  });
});
