// Holiday feeds end to end on Node: a feed host on loopback (JSON and ICS; failing, unparseable and
// implausible answers), the real server and scheduler tick, the fake Feishu. The 2027 Spring Festival
// arrives from the feed with its make-up Sunday and Saturday; an open ticket's deadlines move with it,
// the reminders follow, and nothing already sent goes out again. Last good data survives failures and
// a restart without network.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { announceTicket } from "../../src/app/notify.js";
import { tick } from "../../src/scheduler/tick.js";
import { startFakeFeishu, type FakeFeishuServer } from "../fakes/feishu-server.js";
import { CN_2027, EMPTY_ICS, holidayCnJson, holidayIcs, startFeedServer, type FakeFeedServer } from "../fakes/feed-server.js";
import type { TestServer } from "../support/server.js";
import { cardText, clock, feishuSent, newTicket, NO_DIGESTS, sh, startRig, titleOf, type Clock } from "../scheduler/support.js";

let fake: FakeFeishuServer;
let feed: FakeFeedServer;
beforeAll(async () => {
  [fake, feed] = await Promise.all([startFakeFeishu(), startFeedServer()]);
});
afterAll(async () => {
  await Promise.all([fake.close(), feed.close()]);
});

const servers: TestServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});

async function rig(c: Clock, feeds: { url: string; format: "ics" | "json" }[], dir?: string) {
  const s = await startRig({ clock: c, feishu: fake, config: { ...NO_DIGESTS, calendar: { feeds } }, dir });
  servers.push(s);
  await s.idle(); // the fetch at start
  return s;
}

async function health(s: TestServer) {
  const res = await fetch(`${s.url}/healthz`);
  return ((await res.json()) as { calendar: { through: string | null; provisional: number[]; sources: Record<string, unknown>[] } }).calendar;
}

const feedSource = async (s: TestServer, url: string) => (await health(s)).sources.find((x) => x.kind === "feed" && x.url === url);

describe("a JSON feed with the 2027 arrangement (holiday-cn format, one file per year)", () => {
  it("moves an open ticket's deadlines across the Spring Festival, reminders follow, none twice; failures keep the last good data", async () => {
    feed.set("/cn/2027.json", { status: 500 });
    const url = `${feed.url}/cn/{year}.json`;
    const c = clock("2027-01-28 10:00"); // Thursday; the package ends with 2026, 2027 is provisional
    const s = await rig(c, [{ url, format: "json" }]);

    // The fetch at start failed: nothing stored, and /healthz says so.
    let h = await health(s);
    expect(h).toMatchObject({ through: "2026-12-31", provisional: [2027, 2028] });
    expect(await feedSource(s, `${feed.url}/cn/2027.json`)).toMatchObject({ status: "failing", error: "HTTP 500", fetchedAt: null, years: [] });
    expect(await feedSource(s, `${feed.url}/cn/2028.json`)).toMatchObject({ status: "failing", error: "HTTP 404" });
    expect(s.logs.some((l) => l.msg === "calendar feed not used; the calendar keeps its last good data" && l.reason === "HTTP 500" && l.level === "warn")).toBe(true);

    // Low priority: 24 working hours to respond, 7 working days to resolve, on the provisional calendar
    // (春节 02-05 … 02-08 off, no make-up days).
    const t = await newTicket(s, "报表导出偶尔失败", { priority: "low", messageId: "om_src_feed" });
    await announceTicket(s.ctx, t);
    await s.idle();
    expect(t.responseDueAt).toEqual(sh("2027-02-02 10:00"));
    expect(t.resolutionDueAt).toEqual(sh("2027-02-10 10:00"));

    // Monday 02-01 12:00: 75 % of the response window has passed — the reminder goes out.
    await tick(s.ctx, c.set("2027-02-01 12:00"));
    await s.idle();
    const reminders = () => feishuSent(fake).filter((m) => titleOf(m.card) === `响应提醒 · ${t.number}`);
    expect(reminders().length).toBeGreaterThan(0);
    const remindersSent = reminders().length;

    // The State Council's arrangement appears at the feed; a failing feed is tried again hourly.
    feed.set("/cn/2027.json", { type: "application/json", body: holidayCnJson(2027, CN_2027) });
    await tick(s.ctx, c.set("2027-02-01 12:30"));
    expect((await health(s)).through).toBe("2026-12-31");
    const summary = await tick(s.ctx, c.set("2027-02-01 13:00"));
    await s.idle();
    expect(summary.errors).toEqual([]);
    h = await health(s);
    expect(h).toMatchObject({ through: "2027-12-31", provisional: [2028] });
    expect(await feedSource(s, `${feed.url}/cn/2027.json`)).toMatchObject({ status: "ok", format: "json", error: null, years: [2027], offDays: 19, workDays: 3 });

    // Recomputed from the received time: the make-up Sunday 01-31 is a working day, 02-05 … 02-12 are off.
    const moved = (await s.db.ticket.findUnique({ where: { id: t.id } }))!;
    expect(moved.responseDueAt).toEqual(sh("2027-02-01 10:00"));
    expect(moved.resolutionDueAt).toEqual(sh("2027-02-15 10:00"));
    const ev = await s.db.ticketEvent.findFirst({ where: { ticketId: t.id, kind: "deadlines" } });
    expect(JSON.parse(ev!.payload).text).toBe("日历变更：响应时限 2027-02-02 10:00 → 2027-02-01 10:00；解决时限 2027-02-10 10:00 → 2027-02-15 10:00");
    // The ticket card in the chat shows the new deadline.
    // (patched in place, or posted afresh in the thread when the first copy is past Feishu's 14-day window)
    const card = fake.cards().filter((x) => JSON.stringify(x.card).includes(t.number) && !titleOf(x.card).includes("提醒")).at(-1);
    expect(cardText(card?.card)).toContain("02-15 10:00");

    // The moved response deadline has passed: the next tick escalates — and sends no second reminder.
    const next = await tick(s.ctx, c.set("2027-02-01 13:01"));
    await s.idle();
    expect(next).toMatchObject({ escalations: 1, reminders: 0 });
    expect(reminders()).toHaveLength(remindersSent);
    // The resolution reminders come at their new moments: 75 % of 7 working days is 02-03 12:00 now.
    expect((await tick(s.ctx, c.set("2027-02-03 11:59"))).reminders).toBe(0);
    expect((await tick(s.ctx, c.set("2027-02-03 12:00"))).reminders).toBe(1);
    await s.idle();
    expect(feishuSent(fake).filter((m) => titleOf(m.card) === `解决提醒 · ${t.number}`).length).toBeGreaterThan(0);

    // A failing, an unparseable, an implausible and an empty answer: each keeps the last good data.
    const answers: [Parameters<FakeFeedServer["set"]>[1], string | RegExp][] = [
      [{ status: 503 }, "HTTP 503"],
      [{ type: "application/json", body: "<html>bad gateway</html>" }, /^unparseable: not JSON/],
      [{ type: "application/json", body: holidayCnJson(2026, [{ name: "元旦", date: "2026-01-01", isOffDay: true }]) }, "implausible: the feed no longer has 2027, which the last good fetch had"],
      [{ type: "application/json", body: JSON.stringify({ year: 2027, days: [] }) }, "empty: the feed lists no days"],
    ];
    let day = 4;
    for (const [answer, why] of answers) {
      feed.set("/cn/2027.json", answer);
      await tick(s.ctx, c.set(`2027-02-0${day++} 13:00`));
      const src = await feedSource(s, `${feed.url}/cn/2027.json`);
      expect(src).toMatchObject({ status: "failing", years: [2027], offDays: 19, workDays: 3 });
      expect(String(src!.error)).toMatch(why);
      expect((await health(s)).through).toBe("2027-12-31");
      expect(s.ctx.calendar.isWorkingDay("2027-01-31")).toBe(true);
    }
    const still = (await s.db.ticket.findUnique({ where: { id: t.id } }))!;
    expect(still.resolutionDueAt).toEqual(sh("2027-02-15 10:00"));

    // A restart with the feed host gone: the stored data is still there, and the fetch at start only logs.
    const dir = s.dir;
    await s.close();
    servers.pop();
    const gone = `http://127.0.0.1:9/cn/{year}.json`;
    const again = await rig(c, [{ url: gone, format: "json" }], dir);
    // A different URL is another feed: its rows are new, the old feed's data is not used for it.
    expect((await health(again)).through).toBe("2026-12-31");
    await again.close();
    servers.pop();
    const same = await rig(c, [{ url, format: "json" }], dir);
    expect((await health(same)).through).toBe("2027-12-31");
    expect(same.ctx.calendar.dayMark("2027-02-20")).toMatchObject({ working: true, source: "feed" });
  });
});

describe("an ICS feed", () => {
  it("is fetched at start, stored with its provenance, and an empty calendar does not wipe it", async () => {
    feed.set("/holidays.ics", { type: "text/calendar", body: holidayIcs(CN_2027) });
    const url = `${feed.url}/holidays.ics?token=secret-in-query`;
    const c = clock("2026-12-02 10:00");
    const s = await rig(c, [{ url, format: "ics" }]);
    const h = await health(s);
    expect(h.through).toBe("2027-12-31");
    expect(h.provisional).toEqual([]);
    // The query (a token, perhaps) is not shown.
    expect(h.sources).toContainEqual(expect.objectContaining({ kind: "feed", url: `${feed.url}/holidays.ics?…`, format: "ics", status: "ok", years: [2027], offDays: 19, workDays: 3 }));
    expect(JSON.stringify(h)).not.toContain("secret-in-query");
    expect(h.sources[0]).toMatchObject({ kind: "package", name: "chinese-days", lastYear: 2026 });
    const row = await s.db.calendarFeed.findUnique({ where: { url } });
    expect(row).toMatchObject({ format: "ics", source: url, error: null, offDays: 19, workDays: 3 });
    expect(row!.fetchedAt).toEqual(c.now);
    expect(s.ctx.calendar.dayMark("2027-01-31")).toMatchObject({ working: true, name: "上班(补春节假期)", source: "feed" });

    // What holiday-cn's 2027.ics looked like before the notice: no events at all.
    feed.set("/holidays.ics", { type: "text/calendar", body: EMPTY_ICS });
    await tick(s.ctx, c.set("2026-12-03 10:30"));
    const after = await s.db.calendarFeed.findUnique({ where: { url } });
    expect(after).toMatchObject({ error: "empty: the feed lists no days", offDays: 19 });
    expect(after!.fetchedAt).toEqual(sh("2026-12-02 10:00"));
    expect(s.ctx.calendar.isWorkingDay("2027-02-11")).toBe(false);
    // Fetched once a day, not on every tick.
    const fetches = feed.requests.filter((p) => p === "/holidays.ics").length;
    await tick(s.ctx, c.set("2026-12-03 10:31"));
    expect(feed.requests.filter((p) => p === "/holidays.ics").length).toBe(fetches);
  });
});
