import { describe, expect, it } from "vitest";
import { parseWorkflowConfig, parseWorkflowConfigText } from "../../src/config/load.js";
import { parseEnv } from "../../src/config/env.js";
import { ChatDeskError } from "../../src/core/errors.js";

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ChatDeskError);
    expect((e as ChatDeskError).code).toBe("CONFIG_INVALID");
    return (e as Error).message;
  }
  throw new Error("expected a config error");
};

describe("workflow config", () => {
  it("defaults follow docs/spec.md", () => {
    const c = parseWorkflowConfig();
    expect(c.numberPrefix).toBe("FB");
    expect(c.calendar.timeZone).toBe("Asia/Shanghai");
    expect(c.sla.urgent).toEqual({ response: "2h", resolution: "24h", clock: "calendar" });
    expect(c.sla.low).toEqual({ response: "24h", resolution: "7d", clock: "working" });
    expect(c.categories.map((x) => x.id)).toEqual(["bug", "feature", "question", "suggestion", "complaint", "other"]);
    expect(c.categories.find((x) => x.id === "complaint")!.department).toBe("service_lead");
    expect(c.reminders.before).toEqual([0.75, "1h"]);
  });

  it("calendar feeds: http(s) URLs, \"{year}\" allowed, a format required; no feeds by default", () => {
    expect(parseWorkflowConfig().calendar).toMatchObject({ feeds: [], workdayMarkers: ["班", "补班", "调休上班"] });
    const url = "https://cdn.jsdelivr.net/gh/NateScarlet/holiday-cn@master/{year}.json";
    expect(parseWorkflowConfig({ calendar: { feeds: [{ url, format: "json" }] } }).calendar.feeds).toEqual([{ url, format: "json" }]);
    expect(message(() => parseWorkflowConfig({ calendar: { feeds: [{ url: "ftp://x/h.ics", format: "ics" }] } }))).toContain("calendar.feeds.0.url: expected an http(s) URL");
    expect(message(() => parseWorkflowConfig({ calendar: { feeds: [{ url: "https://x/h.ics", format: "xml" }] } }))).toContain("calendar.feeds.0.format");
  });

  it("merges an override over the defaults", () => {
    const c = parseWorkflowConfig({ numberPrefix: "CS", sla: { high: { response: "2h" } } });
    expect(c.numberPrefix).toBe("CS");
    expect(c.sla.high).toEqual({ response: "2h", resolution: "48h", clock: "working" });
    expect(c.sla.medium.resolution).toBe("72h");
  });

  it("names the bad field", () => {
    expect(message(() => parseWorkflowConfig({ numberPrefix: "fb-1" }))).toMatch(/numberPrefix: 1–6 capital letters/);
    expect(message(() => parseWorkflowConfig({ sla: { high: { response: "four hours" } } }))).toMatch(/sla\.high\.response: expected a duration/);
    expect(message(() => parseWorkflowConfig({ calendar: { timeZone: "Mars/Olympus" } }))).toMatch(/calendar\.timeZone: unknown IANA time zone/);
    expect(message(() => parseWorkflowConfig({ calendar: { hours: [{ start: "13:00", end: "12:00" }] } }))).toMatch(/calendar\.hours/);
    expect(message(() => parseWorkflowConfig({ departments: [{ id: "tech", name: "技术部", handlers: ["ghost"] }] }))).toMatch(
      /departments\.0\.handlers\.0: unknown person "ghost"/,
    );
    expect(message(() => parseWorkflowConfig({ defaultCategory: "nope" }))).toMatch(/defaultCategory: unknown category "nope"/);
  });

  it("rejects files that are not JSON objects", () => {
    expect(message(() => parseWorkflowConfigText("{ not json", "cfg.json"))).toMatch(/cfg\.json is not valid JSON/);
    expect(message(() => parseWorkflowConfigText("[1,2]", "cfg.json"))).toMatch(/expected a JSON object/);
  });
});

describe("environment", () => {
  it("has defaults for the embedded set-up", () => {
    const e = parseEnv({});
    expect(e.PORT).toBe(3000);
    expect(e.DATABASE_URL).toBe("file:./data/chatdesk.db");
    expect(e.FEISHU_DOMAIN).toBe("https://open.feishu.cn");
    expect(e.DINGTALK_API_BASE).toBe("https://api.dingtalk.com");
  });
  it("names the bad variable", () => {
    expect(message(() => parseEnv({ PORT: "abc" }))).toMatch(/PORT/);
    expect(message(() => parseEnv({ FEISHU_DOMAIN: "not a url" }))).toMatch(/FEISHU_DOMAIN/);
    expect(message(() => parseEnv({ FEISHU_MODE: "carrier-pigeon" }))).toMatch(/FEISHU_MODE/);
  });
});
