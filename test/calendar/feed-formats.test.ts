// What a feed's body means: the ICS calendars real publishers serve (the chinese-days package's own
// file, holiday-cn's, a per-day style with "补班"), recurring events, and holiday-cn's JSON; and the
// clear errors for everything else.
import fs from "node:fs";
import { createRequire } from "node:module";
import chineseDaysData from "chinese-days/dist/chinese-days.json" with { type: "json" };
import { describe, expect, it } from "vitest";
import { parseFeed } from "../../src/app/calendar/feed-formats.js";
import { ChatDeskError } from "../../src/core/errors.js";
import { CN_2027, EMPTY_ICS, holidayCnJson, holidayIcs } from "../fakes/feed-server.js";

const OPTS = { workdayMarkers: ["班", "补班", "调休上班"], fromYear: 2025, toYear: 2028 };
const require = createRequire(import.meta.url);
const cn = chineseDaysData as { holidays: Record<string, string>; workdays: Record<string, string> };

const ics = (...events: string[]) => ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", ...events, "END:VCALENDAR"].join("\r\n");
const ev = (lines: string[]) => ["BEGIN:VEVENT", `UID:${Math.random().toString(16).slice(2)}@t`, "DTSTAMP:20260101T000000Z", ...lines, "END:VEVENT"].join("\r\n");

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ChatDeskError);
    expect((e as ChatDeskError).code).toBe("PAYLOAD_INVALID");
    return (e as Error).message;
  }
  throw new Error("expected PAYLOAD_INVALID");
}

describe("ics", () => {
  it("the chinese-days package's own ICS gives exactly its data: multi-day events, (休) off, (班) working", () => {
    const text = fs.readFileSync(require.resolve("chinese-days/dist/holidays.ics"), "utf8");
    const parsed = parseFeed("ics", text, OPTS);
    const inRange = (d: string) => d >= "2024-01-01" && d <= "2026-12-31";
    expect(parsed.days.filter((d) => d.off).map((d) => d.date)).toEqual(Object.keys(cn.holidays).filter(inRange).sort());
    expect(parsed.days.filter((d) => !d.off).map((d) => d.date)).toEqual(Object.keys(cn.workdays).filter(inRange).sort());
    expect(parsed.years).toEqual([2024, 2025, 2026]);
    expect(parsed.days.find((d) => d.date === "2026-02-14")).toEqual({ date: "2026-02-14", off: false, name: "春节(班)" });
  });

  it("holiday-cn's style: one event per run, make-up days as 上班(补…假期)", () => {
    const parsed = parseFeed("ics", holidayIcs(CN_2027), OPTS);
    expect(parsed.years).toEqual([2027]);
    expect(parsed.days.find((d) => d.date === "2027-01-31")).toEqual({ date: "2027-01-31", off: false, name: "上班(补春节假期)" });
    expect(parsed.days.find((d) => d.date === "2027-02-05")).toEqual({ date: "2027-02-05", off: true, name: "春节假期" });
    expect(parsed.days).toHaveLength(CN_2027.length);
  });

  it("a per-day style with 补班, a missing DTEND (one day), timed and cancelled events ignored", () => {
    const parsed = parseFeed(
      "ics",
      ics(
        ev(["SUMMARY:春节 假期 第1天/共8天", "DTSTART;VALUE=DATE:20270205"]),
        ev(["SUMMARY:春节 补班", "DTSTART;VALUE=DATE:20270131", "DTEND;VALUE=DATE:20270201"]),
        ev(["SUMMARY:团建", "DTSTART:20270210T090000Z", "DTEND:20270210T170000Z"]),
        ev(["SUMMARY:取消的假", "STATUS:CANCELLED", "DTSTART;VALUE=DATE:20270301", "DTEND;VALUE=DATE:20270302"]),
      ),
      OPTS,
    );
    expect(parsed.days).toEqual([
      { date: "2027-01-31", off: false, name: "春节 补班" },
      { date: "2027-02-05", off: true, name: "春节 假期 第1天/共8天" },
    ]);
  });

  it("a yearly recurring holiday is expanded over the window of years; an EXDATE is skipped", () => {
    const parsed = parseFeed(
      "ics",
      ics(ev(["SUMMARY:Christmas Day", "DTSTART;VALUE=DATE:20201225", "DTEND;VALUE=DATE:20201226", "RRULE:FREQ=YEARLY", "EXDATE;VALUE=DATE:20261225"])),
      { ...OPTS, workdayMarkers: ["working day"] },
    );
    expect(parsed.days.map((d) => d.date)).toEqual(["2025-12-25", "2027-12-25", "2028-12-25"]);
    expect(parsed.years).toEqual([2025, 2027, 2028]);
  });

  it("the make-up markers are configurable (a team in Singapore, in English)", () => {
    const text = ics(ev(["SUMMARY:Replacement working day", "DTSTART;VALUE=DATE:20270206"]), ev(["SUMMARY:Chinese New Year", "DTSTART;VALUE=DATE:20270208"]));
    expect(parseFeed("ics", text, { ...OPTS, workdayMarkers: ["working day"] }).days).toEqual([
      { date: "2027-02-06", off: false, name: "Replacement working day" },
      { date: "2027-02-08", off: true, name: "Chinese New Year" },
    ]);
    // With the default markers nothing in English reads as a make-up day.
    expect(parseFeed("ics", text, OPTS).days.every((d) => d.off)).toBe(true);
  });

  it("an empty calendar parses to no days (the refresh refuses it, not the parser)", () => {
    expect(parseFeed("ics", EMPTY_ICS, OPTS)).toEqual({ days: [], years: [] });
  });

  it("refuses what is not iCalendar, and runaway events", () => {
    expect(reason(() => parseFeed("ics", "<html>502 Bad Gateway</html>", OPTS))).toMatch(/^not an iCalendar file/);
    expect(reason(() => parseFeed("ics", "BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n", OPTS))).toMatch(/top component is vcard/);
    expect(reason(() => parseFeed("ics", ics(ev(["SUMMARY:forever", "DTSTART;VALUE=DATE:20270101", "DTEND;VALUE=DATE:20280101"])), OPTS))).toMatch(/spans 365 days/);
  });
});

describe("json", () => {
  it("holiday-cn's per-year file: the declared year is the covered one", () => {
    const parsed = parseFeed("json", holidayCnJson(2027, CN_2027), OPTS);
    expect(parsed.years).toEqual([2027]);
    expect(parsed.days).toHaveLength(CN_2027.length);
    expect(parsed.days[0]).toEqual({ date: "2027-01-01", off: true, name: "元旦" });
    expect(parsed.days.find((d) => d.date === "2027-02-20")).toEqual({ date: "2027-02-20", off: false, name: "春节" });
  });

  it("a list of such objects, or a bare list of days (years from the days off)", () => {
    const two = JSON.stringify([JSON.parse(holidayCnJson(2027, CN_2027)), { year: 2028, days: [{ name: "元旦", date: "2028-01-01", isOffDay: true }] }]);
    expect(parseFeed("json", two, OPTS).years).toEqual([2027, 2028]);
    const bare = JSON.stringify([
      { date: "2022-12-31", isOffDay: true, name: "元旦" },
      { date: "2023-01-28", isOffDay: false },
    ]);
    expect(parseFeed("json", bare, OPTS)).toEqual({
      days: [
        { date: "2022-12-31", off: true, name: "元旦" },
        { date: "2023-01-28", off: false },
      ],
      years: [2022],
    });
  });

  it("refuses what is not such a list, naming the problem", () => {
    expect(reason(() => parseFeed("json", "<html>", OPTS))).toMatch(/^not JSON/);
    expect(reason(() => parseFeed("json", JSON.stringify({ year: 2027, holidays: [] }), OPTS))).toMatch(/not a holiday list/);
    expect(reason(() => parseFeed("json", JSON.stringify({ days: [{ date: "2027-02-30", isOffDay: true }] }), OPTS))).toMatch(/no such date 2027-02-30/);
    expect(reason(() => parseFeed("json", JSON.stringify({ days: [{ date: "27-02-01", isOffDay: true }] }), OPTS))).toMatch(/days\.0\.date: expected YYYY-MM-DD/);
    const both = { days: [{ date: "2027-02-01", isOffDay: true }, { date: "2027-02-01", isOffDay: false }] };
    expect(reason(() => parseFeed("json", JSON.stringify(both), OPTS))).toMatch(/both as a day off and as a working day/);
  });
});
