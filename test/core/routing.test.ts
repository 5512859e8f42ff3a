import { describe, expect, it } from "vitest";
import { parseWorkflowConfig } from "../../src/config/load.js";
import { defaultWorkflow } from "../../src/config/defaults.js";
import { departmentFor, pickHandler, personByPlatformId, platformIdOf, rolesOf } from "../../src/core/routing.js";
import type { Department } from "../../src/config/schema.js";

const staff = {
  tech: { handlers: ["wang", "li", "zhao"], leads: ["chen"], managers: ["director"] },
  service: { handlers: ["sun"], leads: ["zhou"] },
  product: { handlers: ["wu"], leads: ["zheng"], managers: ["pm_head"] },
} as Record<string, Partial<Pick<Department, "handlers" | "leads" | "managers">>>;

const cfg = parseWorkflowConfig({
  people: [
    { id: "wang", name: "王工", feishu: "ou_wang", dingtalk: "dt_wang" },
    { id: "li", name: "李工", feishu: "ou_li" },
    { id: "zhao", name: "赵工", dingtalk: "dt_zhao" },
    { id: "chen", name: "陈主管", feishu: "ou_chen", dingtalk: "dt_chen" },
    { id: "director", name: "客服总监", feishu: "ou_director" },
    { id: "sun", name: "孙客服", feishu: "ou_sun" },
    { id: "zhou", name: "周主管", feishu: "ou_zhou" },
    { id: "wu", name: "吴产品", feishu: "ou_wu" },
    { id: "zheng", name: "郑主管", feishu: "ou_zheng" },
    { id: "pm_head", name: "产品总监", dingtalk: "dt_pm_head" },
  ],
  departments: defaultWorkflow.departments.map((d) => ({ ...d, ...staff[d.id] })),
});

const dept = (id: string) => cfg.departments.find((d) => d.id === id)!;

describe("departmentFor", () => {
  it("routes a category to its department", () => {
    expect(departmentFor(cfg, "bug").id).toBe("tech");
    expect(departmentFor(cfg, "feature", "ui").id).toBe("product");
    expect(departmentFor(cfg, "complaint").name).toBe("客服部主管");
  });

  it("lets a sub-category's department override the category's", () => {
    expect(departmentFor(cfg, "other").id).toBe("service");
    expect(departmentFor(cfg, "other", "logistics").id).toBe("supply_chain");
    expect(departmentFor(cfg, "other", "billing").id).toBe("finance");
    expect(departmentFor(cfg, "other", "no_such_sub").id).toBe("service");
  });

  it("falls back to the default category for a category no longer configured", () => {
    expect(departmentFor(cfg, "retired_category").id).toBe("service");
  });
});

describe("pickHandler", () => {
  it("round-robins through the pool and wraps", () => {
    const tech = dept("tech");
    const picked: string[] = [];
    let cursor = 0;
    for (let i = 0; i < 5; i++) {
      const r = pickHandler(tech, "round_robin", { cursor, openLoad: {} });
      picked.push(r.handlerId!);
      cursor = r.nextCursor;
    }
    expect(picked).toEqual(["wang", "li", "zhao", "wang", "li"]);
    expect(cursor).toBe(2);
  });

  it("keeps an out-of-range or negative cursor inside the pool", () => {
    expect(pickHandler(dept("tech"), "round_robin", { cursor: 7, openLoad: {} })).toEqual({ handlerId: "li", nextCursor: 2 });
    expect(pickHandler(dept("tech"), "round_robin", { cursor: -1, openLoad: {} })).toEqual({ handlerId: "zhao", nextCursor: 0 });
  });

  it("least-loaded picks the handler with the fewest open tickets, ties in pool order", () => {
    const tech = dept("tech");
    expect(pickHandler(tech, "least_loaded", { cursor: 1, openLoad: { wang: 3, li: 1, zhao: 2 } })).toEqual({ handlerId: "li", nextCursor: 1 });
    expect(pickHandler(tech, "least_loaded", { cursor: 0, openLoad: { wang: 2, li: 1, zhao: 1 } }).handlerId).toBe("li");
    // Missing from openLoad = no open tickets.
    expect(pickHandler(tech, "least_loaded", { cursor: 0, openLoad: { wang: 2, li: 1 } }).handlerId).toBe("zhao");
    expect(pickHandler(tech, "least_loaded", { cursor: 0, openLoad: {} }).handlerId).toBe("wang");
  });

  it("returns no handler for an empty pool, leaving the cursor", () => {
    const r = pickHandler(dept("supply_chain"), "round_robin", { cursor: 4, openLoad: {} });
    expect(r.handlerId).toBeUndefined();
    expect(r.nextCursor).toBe(4);
    expect(pickHandler(dept("finance"), "least_loaded", { cursor: 0, openLoad: {} }).handlerId).toBeUndefined();
  });
});

describe("people lookup", () => {
  it("maps platform user ids to people and back", () => {
    expect(personByPlatformId(cfg, "feishu", "ou_wang")?.id).toBe("wang");
    expect(personByPlatformId(cfg, "dingtalk", "dt_wang")?.name).toBe("王工");
    expect(personByPlatformId(cfg, "dingtalk", "ou_wang")).toBeUndefined();
    expect(personByPlatformId(cfg, "web", "wang")?.id).toBe("wang");
    expect(personByPlatformId(cfg, "feishu", "")).toBeUndefined();
    expect(platformIdOf(cfg, "zhao", "dingtalk")).toBe("dt_zhao");
    expect(platformIdOf(cfg, "zhao", "feishu")).toBeUndefined();
    expect(platformIdOf(cfg, "zhao", "web")).toBe("zhao");
    expect(platformIdOf(cfg, "nobody", "feishu")).toBeUndefined();
  });
});

describe("rolesOf", () => {
  const ticket = { reporterId: "ou_reporter", department: "tech", handlerId: "wang", collaborators: [] as string[] };
  const roles = (platform: "feishu" | "dingtalk" | "web", userId: string, t = ticket) => [...rolesOf(cfg, platform, userId, t)].sort();

  it("gives the reporter the reporter role only", () => {
    expect(roles("feishu", "ou_reporter")).toEqual(["reporter"]);
  });

  it("gives handlers of the ticket's department the handler role, on either platform", () => {
    expect(roles("feishu", "ou_wang")).toEqual(["handler"]);
    expect(roles("dingtalk", "dt_zhao")).toEqual(["handler"]);
    expect(roles("feishu", "ou_li")).toEqual(["handler"]);
  });

  it("does not make a handler of another department a handler, unless assigned or collaborating", () => {
    expect(roles("feishu", "ou_sun")).toEqual([]);
    expect(roles("feishu", "ou_sun", { ...ticket, collaborators: ["sun"] })).toEqual(["handler"]);
    expect(roles("feishu", "ou_sun", { ...ticket, collaborators: ["ou_sun"] })).toEqual(["handler"]);
    expect(roles("feishu", "ou_wu", { ...ticket, handlerId: "wu" })).toEqual(["handler"]);
  });

  it("counts an unconfigured user who is the assigned handler", () => {
    expect(roles("feishu", "ou_stranger", { ...ticket, handlerId: "ou_stranger" })).toEqual(["handler"]);
    expect(roles("feishu", "ou_stranger")).toEqual([]);
  });

  it("makes leads of the ticket's department leads, not leads of other departments", () => {
    expect(roles("feishu", "ou_chen")).toEqual(["lead"]);
    expect(roles("dingtalk", "dt_chen")).toEqual(["lead"]);
    expect(roles("feishu", "ou_zhou")).toEqual([]);
    expect(roles("feishu", "ou_zhou", { ...ticket, department: "service" })).toEqual(["lead"]);
  });

  it("treats managers of any department as manager and lead", () => {
    expect(roles("feishu", "ou_director")).toEqual(["lead", "manager"]);
    expect(roles("dingtalk", "dt_pm_head")).toEqual(["lead", "manager"]);
    expect(roles("web", "pm_head", { ...ticket, department: "service" })).toEqual(["lead", "manager"]);
  });

  it("combines roles: a handler who reported the ticket", () => {
    expect(roles("feishu", "ou_wang", { ...ticket, reporterId: "ou_wang" })).toEqual(["handler", "reporter"]);
  });

  it("gives nothing to an empty user id", () => {
    expect(roles("feishu", "", { ...ticket, reporterId: "" })).toEqual([]);
  });
});
