// On duty and capacity through Feishu's real routes (encrypted, signed events and card callbacks, the
// fake Feishu recording what the bot sent). Tech's weekly roster and Li's limit of one open ticket come
// from the workflow file; leave is set in chat. Assignment skips people on leave, a full pool queues the
// ticket and tells the lead, a freed place takes the queue, an off-duty handler's nudge goes to their
// cover, and a day with nobody on duty goes to the lead at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dailyDigestCard, periodDigestCard } from "../../cards/digest.js";
import { renderFeishuCard } from "../../src/adapter/feishu/render-card.js";
import { dailyFigures, periodFigures, rollingPeriod } from "../../src/app/figures.js";
import { tick } from "../../src/scheduler/tick.js";
import { teamConfig } from "../support/server.js";
import { groupMention } from "../support/feishu-events.js";
import { startFeishuStack, textOf, valueFor, type FeishuStack, type Json } from "../support/feishu-stack.js";

let clock = new Date("2025-05-21T02:00:00Z"); // Wed 10:00 Asia/Shanghai
const at = (local: string) => (clock = new Date(`${local.replace(" ", "T")}:00+08:00`));
const config = {
  ...teamConfig,
  people: teamConfig.people.map((p) => (p.id === "li" ? { ...p, capacity: 1 } : p)),
  departments: teamConfig.departments.map((d) => (d.id === "tech" ? { ...d, roster: { mon: ["zhang", "li"], tue: ["zhang", "li"], wed: ["zhang", "li"], thu: ["li"] } } : d)),
  schedule: { dailyDigest: "off", weeklyDigest: "off", monthlyDigest: "off" },
};
let f: FeishuStack;
beforeAll(async () => {
  f = await startFeishuStack({ now: () => clock, config });
});
afterAll(() => f.close());

const ZHANG = "ou_handler_zhang";
const LI = "ou_handler_li";
const WANG = "ou_lead_wang";
const texts = () =>
  f.fake.calls
    .filter((c) => c.path.startsWith("/open-apis/im/") && (c.body as Json).msg_type === "text")
    .map((c) => String((c.content as Json).text));
const directCards = (openId: string) =>
  f.fake.calls.filter((c) => c.path === "/open-apis/im/v1/messages" && c.query.receive_id_type === "open_id" && (c.body as Json).receive_id === openId && (c.body as Json).msg_type === "interactive");
let n = 0;
async function say(text: string, from: string) {
  const before = texts().length;
  const res = await f.deliver(groupMention(`@_user_1 ${text}`, { senderId: from, messageId: `om_duty_${++n}` }));
  expect(res.status).toBe(200);
  await f.s.idle();
  return texts().slice(before);
}
const newest = () => f.s.db.ticket.findFirstOrThrow({ orderBy: { id: "desc" } });

describe("on duty and capacity, through Feishu", () => {
  it("/leave takes Zhang off duty today; /duty shows who is on duty and their load; a new ticket goes to Li", async () => {
    expect(await say("/leave 2025-05-21", ZHANG)).toEqual(["已登记 张三 2025-05-21~2025-05-21 休假。"]);
    // Only leads set someone else's leave.
    expect(await say("/leave 张三 2025-05-22", LI)).toEqual(["只有主管/负责人可以给他人登记休假"]);
    await say("客户说系统报错无法登录", "ou_reporter_liu");
    expect(await newest()).toMatchObject({ department: "tech", handlerId: "li" });
    const duty = await say("/duty", WANG);
    expect(duty[0]).toContain("今日值班 · 2025-05-21");
    expect(duty[0]).toContain("技术部：李四（在办 1 / 1）");
    // Leave is the person's: Zhang is off in every department today.
    expect(duty[0]).toContain("客服部：无人值班");
  });

  it("everyone on duty at their limit: the ticket waits in the queue and the lead is told; a freed place takes it", async () => {
    at("2025-05-21 10:30");
    await say("客户说系统报错，报表导出失败", "ou_reporter_liu");
    const queued = await newest();
    expect(queued.handlerId).toBeNull();
    expect(texts().at(-1)).toBe(`<at user_id="${WANG}"></at> 技术部值班处理人的在办工单都已达上限，工单 ${queued.number} 已进入部门队列，有人空出时自动分派；主管也可直接分派。`);

    // Li resolves the first ticket from its card: the queued one is Li's now, and Li hears it.
    at("2025-05-21 11:00");
    const first = await f.s.db.ticket.findFirstOrThrow({ where: { handlerId: "li" }, orderBy: { id: "asc" } });
    const ref = (await f.s.db.cardRef.findFirstOrThrow({ where: { ticketId: first.id } })).ref;
    const card = f.fake.cards().filter((c) => c.messageId === ref).at(-1)!.card as Json;
    await f.click({ operatorId: LI, messageId: ref, value: valueFor(card, "claim") });
    await f.s.idle();
    const claimed = f.fake.cards().filter((c) => c.messageId === ref).at(-1)!.card as Json;
    const res = await f.click({ operatorId: LI, messageId: ref, value: valueFor(claimed, "resolve"), name: "resolve_form_submit", formValue: { result: "已修复" } });
    expect(res.body.toast).toEqual({ type: "success", content: "标记已解决成功" });
    await f.s.idle();
    expect(await f.s.db.ticket.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ handlerId: "li" });
    expect(texts()).toContain(`<at user_id="${LI}"></at> 工单 ${queued.number} 已分派给你，请及时处理。`);
    const ev = await f.s.db.ticketEvent.findFirstOrThrow({ where: { ticketId: queued.id, kind: "reassigned" } });
    expect(JSON.parse(ev.payload)).toMatchObject({ to: "li", queue: true });
  });

  it("an off-duty handler's nudge goes to whoever covers them", async () => {
    // Li claims the queued ticket at 11:00 Wed; on Thursday Li is away and Zhang covers (set by the lead).
    const t = await newest();
    const ref = (await f.s.db.cardRef.findFirstOrThrow({ where: { ticketId: t.id } })).ref;
    const card = f.fake.cards().filter((c) => c.messageId === ref).at(-1)!.card as Json;
    await f.click({ operatorId: LI, messageId: ref, value: valueFor(card, "claim") });
    await f.s.idle();
    expect(await say("/leave 李四 2025-05-22 张三", WANG)).toEqual(["已登记 李四 2025-05-22~2025-05-22 休假，由 张三 顶班。"]);
    const before = { zhang: directCards(ZHANG).length, li: directCards(LI).length };
    await tick(f.s.ctx, at("2025-05-22 11:30")); // one working day without progress
    await f.s.idle();
    expect(directCards(ZHANG).length - before.zhang).toBe(1);
    expect(directCards(LI).length - before.li).toBe(0);
    const nudge = directCards(ZHANG).at(-1)!;
    expect(JSON.stringify(nudge.content)).toContain("请同步进展");
  });

  it("a day with nobody on duty (Friday is not in the roster): the ticket goes to the lead at once", async () => {
    at("2025-05-23 10:00");
    await say("客户说系统报错，支付回调失败", "ou_reporter_liu");
    const t = await newest();
    expect(t.handlerId).toBeNull();
    expect(texts().at(-1)).toBe(`<at user_id="${WANG}"></at> 技术部当前无人值班，工单 ${t.number} 已进入部门队列，请主管分派。`);
  });

  it("the daily brief says who is on duty and what waits; the period report shows load against capacity", async () => {
    at("2025-05-22 09:00"); // Thursday: Li away, Zhang covers
    const daily = await dailyFigures(f.s.ctx, { date: "2025-05-22", since: new Date("2025-05-21T01:00:00Z"), until: clock }, "zh-CN", ["tech"]);
    expect(daily.duty).toEqual({ onDuty: [{ department: "技术部", people: ["张三"] }], waitingNow: 0 });
    expect(textOf(renderFeishuCard(dailyDigestCard(daily, { locale: "zh-CN", timeZone: "Asia/Shanghai" })))).toContain("今日值班\n技术部：张三\n等待客户/第三方中：0 单");
    const stats = await periodFigures(f.s.ctx, "stats", rollingPeriod(f.s.ctx.calendar, clock, 7), "zh-CN");
    const text = textOf(renderFeishuCard(periodDigestCard(stats, { locale: "zh-CN", timeZone: "Asia/Shanghai" })));
    expect(text).toContain("李四：新接 2 · 解决 1 · 在办 1 / 1 · 超时 0");
  });
});
