// How people write dates in chat, and how the audit trail folds into the edits in force.
import { describe, expect, it } from "vitest";
import { parseRange } from "../../src/app/calendar/commands.js";
import { foldEdits } from "../../src/store/calendar.js";

describe("date ranges as typed in chat", () => {
  it.each([
    ["2027-02-06~2027-02-12 春节", { from: "2027-02-06", to: "2027-02-12", name: "春节" }],
    ["2027-02-06 ~ 2027-02-12 春节", { from: "2027-02-06", to: "2027-02-12", name: "春节" }],
    ["2027-02-06～02-12 春节假期", { from: "2027-02-06", to: "2027-02-12", name: "春节假期" }],
    ["2027-2-6至2027-2-12", { from: "2027-02-06", to: "2027-02-12" }],
    ["2027/02/06..2027/02/12 Spring Festival", { from: "2027-02-06", to: "2027-02-12", name: "Spring Festival" }],
    ["2027-02-14", { from: "2027-02-14", to: "2027-02-14" }],
    ["2027-02-14 调休上班", { from: "2027-02-14", to: "2027-02-14", name: "调休上班" }],
    ["2026-12-31~2027-01-03 元旦", { from: "2026-12-31", to: "2027-01-03", name: "元旦" }],
  ])("%s", (text, want) => {
    expect(parseRange(text)).toEqual(want);
  });

  it("is not a date: undefined", () => {
    expect(parseRange("next friday")).toBeUndefined();
    expect(parseRange("春节 2027-02-06")).toBeUndefined();
    expect(parseRange("")).toBeUndefined();
  });
});

describe("the audit trail folded in order", () => {
  const row = (action: string, fromDate: string, toDate = fromDate, name: string | null = null) => ({ action, fromDate, toDate, name });

  it("later edits win a date, a reset removes it, a year is confirmed and unconfirmed", () => {
    const edits = foldEdits([
      row("off", "2027-02-06", "2027-02-12", "春节"),
      row("work", "2027-02-12", "2027-02-12", "值班"),
      row("reset", "2027-02-06", "2027-02-07"),
      row("official", "2027-01-01", "2027-12-31"),
      row("official", "2028-01-01", "2028-12-31"),
      row("provisional", "2028-01-01", "2028-12-31"),
    ]);
    expect([...edits.days.values()]).toEqual([
      { date: "2027-02-08", off: true, name: "春节" },
      { date: "2027-02-09", off: true, name: "春节" },
      { date: "2027-02-10", off: true, name: "春节" },
      { date: "2027-02-11", off: true, name: "春节" },
      { date: "2027-02-12", off: false, name: "值班" },
    ]);
    expect(edits.officialYears).toEqual([2027]);
  });
});

describe("the year card on both platforms", () => {
  it("renders within Feishu's card rules and DingTalk's robot message limits, in both languages", async () => {
    const { calendarYearCard } = await import("../../cards/calendar.js");
    const { renderFeishuCard } = await import("../../src/adapter/feishu/render-card.js");
    const { renderRobotMessage } = await import("../../src/adapter/dingtalk/render-card.js");
    const { checkFeishuCard } = await import("../support/feishu-card-rules.js");
    const { robotMessageViolations } = await import("../support/dingtalk-card-rules.js");
    const { yearDays } = await import("../../src/app/calendar/year.js");
    const { staticCalendar } = await import("../../src/core/static-calendar.js");
    const cal = staticCalendar({ timeZone: "Asia/Shanghai", workdays: [1, 2, 3, 4, 5], hours: [{ start: "09:00", end: "18:00" }], holidays: "cn" });
    for (const year of [2026, 2027]) {
      const days = yearDays(cal, year)
        .filter((d) => d.mark)
        .map((d) => ({ date: d.date, working: d.working, name: d.mark?.name, provisional: d.mark?.provisional }));
      for (const locale of ["zh-CN", "en"] as const) {
        const card = calendarYearCard(
          { year, days, provisional: year === 2027, officialByHand: false, through: "2026-12-31", sources: ["chinese-days 1.5.7 (2004–2026)"], recent: [{ at: new Date(), who: "王*主管", what: "设为休息日 <b>x</b>" }] },
          { locale, timeZone: "Asia/Shanghai" },
        );
        expect(checkFeishuCard(renderFeishuCard(card))).toEqual([]);
        expect(robotMessageViolations(renderRobotMessage(card))).toEqual([]);
        // User text stays text: kept apart from the markup in the card model, escaped by each renderer.
        const feishu = JSON.stringify(renderFeishuCard(card));
        expect(feishu).toContain("王&#42;主管");
        expect(feishu).toContain("&#60;b&#62;x&#60;/b&#62;");
        expect(renderRobotMessage(card).msgParam.text).toContain("王\\*主管");
      }
    }
    const zh = calendarYearCard({ year: 2026, days: yearDays(cal, 2026).filter((d) => d.mark).map((d) => ({ date: d.date, working: d.working, name: d.mark?.name })), provisional: false, officialByHand: false, through: "2026-12-31", sources: [], recent: [] }, { locale: "zh-CN", timeZone: "Asia/Shanghai" });
    const feb = zh.blocks.flatMap((b) => (b.type === "fields" ? b.fields : [])).find((f) => f.label === "2 月");
    expect(feb?.value).toBe("02-14 班 春节\n02-15~02-23 休 春节\n02-28 班 春节");
  });
});
