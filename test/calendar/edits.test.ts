// Calendar edits at run time, as people make them: in chat (/holiday, /workday, /calendar) through
// signed Feishu webhooks, and on the console calendar page (managers, CSRF) — with their permissions,
// the audit trail, deadlines that follow at once, reminders that are not sent twice, and a second
// server process on the same database that sees every change.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tick } from "../../src/scheduler/tick.js";
import type { TicketRow } from "../../src/store/tickets.js";
import { checkFeishuCard } from "../support/feishu-card-rules.js";
import { groupMention, post, TEST_SECRETS } from "../support/feishu-events.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { Client, consoleConfig, hiddenValue, people, signInFeishu, startConsoleWorld, type ConsoleWorld } from "../console/support.js";
import { cardText, feishuSent, newTicket, sh, titleOf } from "../scheduler/support.js";

let w: ConsoleWorld;
let other: TestServer;
let t: TicketRow;

beforeAll(async () => {
  w = await startConsoleWorld({ FEISHU_VERIFICATION_TOKEN: TEST_SECRETS.verificationToken, FEISHU_ENCRYPT_KEY: TEST_SECRETS.encryptKey });
  w.clock.now = sh("2027-02-03 10:00"); // Wednesday; 2027 has only provisional days (春节 02-05 … 02-08)
  // A second server process on the same database file (another machine, the perf worker thread…).
  other = await startTestServer({ dir: w.server.dir, config: consoleConfig, now: () => w.clock.now });
  await Promise.all([w.server.idle(), other.idle()]);
  t = await newTicket(w.server, "报表导出偶尔失败", { priority: "low", chatId: "oc_tech", messageId: "om_cal_src" });
}, 120_000);
afterAll(async () => {
  await other?.close();
  await w?.close();
});

/** A group message @mentioning the bot, from `senderId`; resolves with the text replies it got. */
async function say(senderId: string, text: string): Promise<{ texts: string[]; cards: Record<string, unknown>[] }> {
  const messageId = `om_cal_${Math.random().toString(16).slice(2)}`;
  const before = feishuSent(w.feishu).length;
  const res = await fetch(`${w.url}/webhooks/feishu/events`, { method: "POST", ...(await post(groupMention(`@_user_1 ${text}`, { messageId, senderId, chatId: "oc_tech" }))) });
  expect(res.status).toBe(200);
  await w.server.idle();
  const replies = feishuSent(w.feishu).slice(before).filter((m) => m.to === `reply:${messageId}`);
  return { texts: replies.filter((m) => m.text !== undefined).map((m) => m.text!), cards: replies.filter((m) => m.card).map((m) => m.card!) };
}

const reload = async () => (await w.server.db.ticket.findUniqueOrThrow({ where: { id: t.id } }));
const healthOf = async (url: string) => ((await (await fetch(`${url}/healthz`)).json()) as { calendar: { through: string; provisional: number[]; sources: { kind: string }[] } }).calendar;

describe("in chat", () => {
  it("the ticket starts on the provisional calendar", () => {
    expect(t.responseDueAt).toEqual(sh("2027-02-10 10:00"));
    expect(t.resolutionDueAt).toEqual(sh("2027-02-16 10:00"));
  });

  it("a handler and someone unknown are refused, with why; nothing is stored", async () => {
    expect((await say(people.zhang.openId, "/workday 2027-02-20")).texts).toEqual(["只有主管或负责人可以修改日历（你的角色：处理人）。查看日历请发送 /calendar 2027。"]);
    expect((await say("ou_stranger", "/holiday 2027-02-09~2027-02-12 春节")).texts).toEqual(["只有主管或负责人可以修改日历（你不是 ChatDesk 配置中的人员）。查看日历请发送 /calendar 2027。"]);
    expect(await w.server.db.calendarEdit.count()).toBe(0);
    expect((await reload()).version).toBe(t.version);
  });

  it("a lead adds days off: stored with who and when, the deadlines move at once, the other process sees it", async () => {
    expect(other.ctx.calendar.isWorkingDay("2027-02-10")).toBe(true);
    w.clock.now = sh("2027-02-04 10:00");
    const r = await say(people.wang.openId, "/holiday 2027-02-09~2027-02-12 春节");
    expect(r.texts).toEqual(["已将 2027-02-09~2027-02-12（4 天）设为休息日「春节」。1 张未结工单的截止时间已按新日历重算。"]);
    const edits = await w.server.db.calendarEdit.findMany();
    expect(edits).toEqual([expect.objectContaining({ at: sh("2027-02-04 10:00"), actorId: "wang", actorName: "王主管", via: "chat", action: "off", fromDate: "2027-02-09", toDate: "2027-02-12", name: "春节" })]);
    const moved = await reload();
    expect(moved.responseDueAt).toEqual(sh("2027-02-16 10:00"));
    expect(moved.resolutionDueAt).toEqual(sh("2027-02-22 10:00"));
    // The other process was not told: its next request reads the calendar version and picks it up.
    await healthOf(other.url);
    expect(other.ctx.calendar.isWorkingDay("2027-02-10")).toBe(false);
    expect(other.ctx.calendar.dayMark("2027-02-10")).toMatchObject({ source: "edit", name: "春节" });
  });

  it("/calendar 2027 shows the year: provisional days, the edit, sources and recent edits", async () => {
    const r = await say(people.liu.openId, "/calendar 2027");
    expect(r.cards).toHaveLength(1);
    const card = r.cards[0]!;
    expect(checkFeishuCard(card)).toEqual([]);
    expect(titleOf(card)).toBe("2027 年工作日历");
    const text = cardText(card);
    expect(text).toContain("2027 年尚无官方放假安排");
    expect(text).toContain("01-01 休 元旦（暂定）");
    expect(text).toContain("02-05~02-08 休 春节（暂定）");
    expect(text).toContain("02-09~02-12 休 春节（手动）");
    expect(text).toContain("10-01~10-03 休 国庆节（暂定）");
    expect(text).toContain("官方节假日数据截至 **2026-12-31**");
    expect(text).toContain("chinese-days 1.5.7 (2004–2026)");
    // Names and edits are user text, escaped for card markdown (Feishu shows "\~" as "~").
    expect(text.replace(/\\(.)/g, "$1")).toContain("王主管 设为休息日 2027-02-09~2027-02-12 春节");
  });

  it("bad dates get a clear answer and store nothing", async () => {
    const before = await w.server.db.calendarEdit.count();
    expect((await say(people.wang.openId, "/holiday 2027-02-30 错日")).texts[0]).toMatch(/^日期有误：no such date "2027-02-30"/);
    expect((await say(people.wang.openId, "/holiday 2027-01-01~2027-06-30 半年")).texts[0]).toMatch(/^日期有误：181 days at once; at most 60/);
    expect((await say(people.wang.openId, "/workday next friday")).texts[0]).toMatch(/^日期有误：next friday。格式：/);
    expect(await w.server.db.calendarEdit.count()).toBe(before);
  });
});

describe("on the console calendar page", () => {
  let zhao: Client;
  let page: string;

  it("a lead sees the year with its marks but no edit form; a POST from a lead is refused", async () => {
    const wang = await signInFeishu(w, people.wang);
    const res = await wang.get("/console/calendar?year=2027");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("2027 年工作日历");
    expect(html).toMatch(/id="provisional"[^>]*>2027 年尚无官方放假安排/);
    expect(html).toMatch(/<td class="hol prov" data-date="2027-02-06" title="春节 · provisional">/);
    expect(html).toMatch(/<td class="hol edit" data-date="2027-02-10" title="春节 · edit">/);
    expect(html).toMatch(/<td class="off" data-date="2027-02-13">/);
    expect(html).not.toContain('action="/console/calendar/edits');
    expect(html).toContain("只有负责人可以在此修改日历");
    const csrf = hiddenValue(html, "_csrf")!;
    const refused = await wang.post("/console/calendar/edits?year=2027", { _csrf: csrf, action: "off", from: "2027-02-16" });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("只有负责人可以修改日历。");
  });

  it("a manager's POST without the CSRF token is refused", async () => {
    zhao = await signInFeishu(w, people.zhao);
    page = await (await zhao.get("/console/calendar?year=2027")).text();
    expect(page).toContain('action="/console/calendar/edits?year=2027"');
    const before = await w.server.db.calendarEdit.count();
    expect((await zhao.post("/console/calendar/edits?year=2027", { action: "off", from: "2027-02-16" })).status).toBe(403);
    expect((await zhao.post("/console/calendar/edits?year=2027", { _csrf: "forged", action: "off", from: "2027-02-16" })).status).toBe(403);
    expect(await w.server.db.calendarEdit.count()).toBe(before);
  });

  it("after a manager's edit the deadlines move, the reminder already sent is not sent again, the next one comes on time", async () => {
    // 75 % of the response window: Monday 02-15 12:00 on the edited calendar. The reminder goes out.
    await tick(w.server.ctx, (w.clock.now = sh("2027-02-15 12:00")));
    await w.server.idle();
    const reminders = () => feishuSent(w.feishu).filter((m) => titleOf(m.card) === `响应提醒 · ${t.number}`);
    const sent = reminders().length;
    expect(sent).toBeGreaterThan(0);

    // Sessions last 12 hours: the manager signs in again ten days on.
    w.clock.now = sh("2027-02-15 12:10");
    zhao = await signInFeishu(w, people.zhao);
    page = await (await zhao.get("/console/calendar?year=2027")).text();
    const res = await zhao.post("/console/calendar/edits?year=2027", { _csrf: hiddenValue(page, "_csrf")!, action: "off", from: "2027-02-16", to: "", name: "加休" });
    expect(res.status).toBe(303);
    const back = res.headers.get("location")!;
    expect(back).toMatch(/^\/console\/calendar\?year=2027&saved=\d+&moved=1$/);
    const after = await (await zhao.get(back)).text();
    expect(after).toContain("已保存：设为休息日 2027-02-16 加休。1 张未结工单的截止时间已重算。");
    expect(after).toMatch(/<td data-label="修改人">赵总<\/td><td data-label="途径">控制台<\/td><td data-label="内容">设为休息日 2027-02-16 加休<\/td>/);
    expect(after).toMatch(/<td data-label="修改人">王主管<\/td><td data-label="途径">群聊<\/td><td data-label="内容">设为休息日 2027-02-09~2027-02-12 春节<\/td>/);

    const moved = await reload();
    expect(moved.responseDueAt).toEqual(sh("2027-02-17 10:00"));
    expect(moved.resolutionDueAt).toEqual(sh("2027-02-23 10:00"));
    // The 75 % moment is still 02-15 12:00 for the new deadline: already sent, so nothing now …
    expect((await tick(w.server.ctx, (w.clock.now = sh("2027-02-15 12:15")))).reminders).toBe(0);
    await w.server.idle();
    expect(reminders()).toHaveLength(sent);
    // … and "1 h before" follows the deadline to 02-17 09:00.
    expect((await tick(w.server.ctx, (w.clock.now = sh("2027-02-17 08:59")))).reminders).toBe(0);
    expect((await tick(w.server.ctx, (w.clock.now = sh("2027-02-17 09:00")))).reminders).toBe(1);
  });

  it("a manager confirms 2027 as entered by hand: no longer provisional, official data through its end", async () => {
    zhao = await signInFeishu(w, people.zhao);
    const html = await (await zhao.get("/console/calendar?year=2027")).text();
    expect(html).toContain("确认 2027 年安排已完整录入");
    const res = await zhao.post("/console/calendar/edits?year=2027", { _csrf: hiddenValue(html, "_csrf")!, action: "official", year: "2027" });
    expect(res.status).toBe(303);
    const h = await healthOf(w.url);
    expect(h).toMatchObject({ through: "2027-12-31", provisional: [2028] });
    expect(h.sources.map((s) => s.kind)).toEqual(["package", "edits"]);
    const page2 = await (await zhao.get("/console/calendar?year=2027")).text();
    expect(page2).not.toContain('id="provisional"');
    expect(page2).toContain("2027 年的安排为手动录入（已确认）。");
    expect(page2).toMatch(/<td class="hol" data-date="2027-02-06" title="春节 · law">/);
    // The other process agrees.
    expect((await healthOf(other.url)).through).toBe("2027-12-31");
  });
});
