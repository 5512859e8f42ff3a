// Digests on a fixed data set (dataset.ts), every figure computed by hand below: the weekly report
// and the daily brief as figures, as Feishu cards and DingTalk robot messages sent by the tick, /stats
// in chat showing the same figures, and the monthly report waiting for the first working day.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tick } from "../../src/scheduler/tick.js";
import { dailyFigures, periodFigures } from "../../src/app/figures.js";
import { duePeriod } from "../../src/scheduler/periods.js";
import { checkFeishuCard } from "../support/feishu-card-rules.js";
import { robotMessageViolations } from "../support/dingtalk-card-rules.js";
import { groupMention } from "../support/feishu-events.js";
import { startFeishuStack, type FeishuStack } from "../support/feishu-stack.js";
import { teamConfig } from "../support/server.js";
import { startFakeDingTalk, type FakeDingTalk } from "../fakes/dingtalk-server.js";
import { seedDataset } from "./dataset.js";
import { periodOf } from "../../src/console/period.js";
import { loadReport } from "../../src/console/report-data.js";
import { cardText, clock, dingtalkSent, feishuSent, sh, titleOf, type Clock } from "./support.js";

const PUBLIC = "https://desk.example.com";
let c: Clock;
let stack: FeishuStack;
let ding: FakeDingTalk;

beforeAll(async () => {
  c = clock("2025-10-20 09:00");
  ding = await startFakeDingTalk();
  stack = await startFeishuStack({
    now: () => c.now,
    config: { ...teamConfig, schedule: { dailyDigest: "0 9 * * *", weeklyDigest: "0 9 * * 1", monthlyDigest: "0 9 1 * *" } },
    env: { PUBLIC_URL: PUBLIC, DINGTALK_CLIENT_ID: "ding-app-key", DINGTALK_CLIENT_SECRET: "ding-app-secret", DINGTALK_API_BASE: ding.url },
  });
  await seedDataset(stack.s.db);
});
afterAll(async () => {
  await stack.close();
  await ding.close();
});

// Hand-computed for the week 2025-10-13 … 10-19, judged at Mon 10-20 09:00 (see dataset.ts):
// received 7 (previous week 4); solved = resolved/closed among them: 13001, 14001, 15001, 18001 = 4.
// Response due: 6 (all but the rejected 19001, whose deadline has not passed); on time: 13001, 14001,
// 16001, 18001 = 4 (15001 answered at 16:00 for 15:00; 17001 never answered).
// Resolution due: the 4 resolved (the others' deadlines are later); on time 3 (15001 late).
// Response minutes 30, 60, 300, 60, 20 → avg 94, p90 (nearest rank 5 of 5) 300.
// Resolution minutes 360, 600, 4320, 120 → avg 1350, p90 4320.
// Ratings given in the week (latest per ticket): 5 (13001, re-rated), 2, 4, and 3 (09001, a
// previous-week ticket rated this week) → distribution 1★0 2★1 3★1 4★1 5★1, average 3.5.
// Handlers: li received 15001, 16001, solved 15001, active 16001 + 20250929001 (overdue);
// zhang received 13001, 14001, 17001, 19001, solved 13001, 14001, active 17001 (overdue, unanswered);
// wang received and solved 18001. Backlog now: 16001, 17001, 20250929001, 20251020001 (unassigned);
// overdue 17001 and 20250929001.
const WEEKLY = {
  kind: "weekly",
  from: "2025-10-13",
  to: "2025-10-19",
  departments: undefined,
  received: 7,
  previousReceived: 4,
  solved: 4,
  resolutionRate: 4 / 7,
  responseOnTime: { ok: 4, due: 6 },
  resolutionOnTime: { ok: 3, due: 4 },
  byCategory: [
    { label: "问题反馈", count: 4, previous: 1 },
    { label: "功能需求", count: 1, previous: 2 },
    { label: "咨询", count: 1, previous: 1 },
    { label: "投诉", count: 1, previous: 0 },
  ],
  byDepartment: [
    { label: "技术部", count: 4, previous: 1 },
    { label: "产品部", count: 1, previous: 2 },
    { label: "客服部", count: 1, previous: 1 },
    { label: "客服部主管", count: 1, previous: 0 },
  ],
  byChannel: [
    { label: "电话", count: 4, previous: 1 },
    { label: "在线客服", count: 1, previous: 2 },
    { label: "邮件", count: 1, previous: 1 },
    { label: "未填写", count: 1, previous: 0 },
  ],
  topProblems: [
    { label: "问题反馈 / 登录异常", count: 3, example: "FB20251019001" },
    { label: "投诉", count: 1, example: "FB20251018001" },
    { label: "咨询 / 使用疑问", count: 1, example: "FB20251017001" },
  ],
  // Grouped by similar text, named by the most typical title; `previous` = the week before's tickets of the group.
  recurring: [
    { title: "登录后台一直提示密码错误", count: 3, previous: 1, example: "FB20251019001" },
    { title: "CRM 客户数据同步不过来怎么办", count: 2, previous: 0, example: "FB20251017001" },
    { title: "希望增加批量导出订单功能", count: 1, previous: 1, example: "FB20251016001" },
  ],
  satisfaction: { average: 3.5, ratings: 4, distribution: [0, 1, 1, 1, 1], unsatisfied: [{ number: "FB20251015001", score: 2 }] },
  handlers: [
    { name: "李四", received: 2, solved: 1, active: 2, overdue: 1 },
    { name: "张三", received: 4, solved: 2, active: 1, overdue: 1 },
    { name: "王主管", received: 1, solved: 1, active: 0, overdue: 0 },
  ],
  backlog: { active: 4, overdue: 2, unassigned: 1 },
  url: `${PUBLIC}/console/reports?period=custom&from=2025-10-13&to=2025-10-19`,
  // Nothing waited: the 4 solved tickets' time is all worked (their resolution times in working minutes).
  waiting: { avgWaiting: 0, avgWorking: 525, waitingNow: 0 },
};

const WEEKLY_TEXT = [
  "**新增工单**\n7（较上期 +75%）",
  "**已解决**\n4",
  "**问题解决率**\n57.1%",
  "**当前积压**\n4（超时 2，待分配 1）",
  "**首次响应及时率**\n66.7%（4/6）",
  "**解决及时率**\n75%（3/4）",
  "**响应用时 平均 / P90**\n1 小时 34 分钟 / 5 小时",
  "**解决用时 平均 / P90**\n22 小时 30 分钟 / 3 天",
  "**按类型**\n问题反馈 4（+3） · 功能需求 1（-1） · 咨询 1（±0） · 投诉 1（+1）",
  "**按部门**\n技术部 4（+3） · 产品部 1（-1） · 客服部 1（±0） · 客服部主管 1（+1）",
  "**按渠道**\n电话 4（+3） · 在线客服 1（-1） · 邮件 1（±0） · 未填写 1（+1）",
  // By sub-category, then by similar text: the question FB20251017001 says what the sync fault FB20251015001 says.
  "**高频问题 Top 3**\n1. 问题反馈 / 登录异常 × 3（例：FB20251019001）\n2. 投诉 × 1（例：FB20251018001）\n3. 咨询 / 使用疑问 × 1（例：FB20251017001）" +
    "\n**高频问题 Top 3（按相似描述）**\n1. 登录后台一直提示密码错误 × 3（+2）（例：FB20251019001）\n2. CRM 客户数据同步不过来怎么办 × 2（+2）（例：FB20251017001）\n3. 希望增加批量导出订单功能 × 1（±0）（例：FB20251016001）",
  "**客户满意度**\n平均 3.50 分（4 条评价） · 5★ 1 · 4★ 1 · 3★ 1 · 2★ 1 · 1★ 0\n不满意：FB20251015001（2★）",
  "**处理人负载**\n李四：新接 2 · 解决 1 · 在办 2 · 超时 1\n张三：新接 4 · 解决 2 · 在办 1 · 超时 1\n王主管：新接 1 · 解决 1 · 在办 0 · 超时 0",
];

describe("digest figures on a fixed data set", () => {
  it("the console report groups the same week by similar text too, top 5, with the week before", async () => {
    const period = periodOf("custom", "2025-10-13", "2025-10-19", stack.s.ctx.calendar);
    const d = await loadReport(stack.s.db, period, c.set("2025-10-20 09:00"), undefined, stack.s.ctx.config.duplicates.threshold);
    expect(d.recurring.map((g) => [g.title, g.count, g.previous, g.numbers])).toEqual([
      ["登录后台一直提示密码错误", 3, 1, ["FB20251019001", "FB20251014001", "FB20251013001"]],
      ["CRM 客户数据同步不过来怎么办", 2, 0, ["FB20251017001", "FB20251015001"]],
      ["希望增加批量导出订单功能", 1, 1, ["FB20251016001"]],
      ["对售后响应速度不满意", 1, 0, ["FB20251018001"]],
    ]);
  });

  it("weekly figures equal the hand-computed ones", async () => {
    const period = duePeriod("weekly", "0 9 * * 1", stack.s.ctx.calendar, c.set("2025-10-20 09:00"))!;
    expect(period).toMatchObject({ from: "2025-10-13", to: "2025-10-19" });
    const f = await periodFigures(stack.s.ctx, "weekly", period, "zh-CN");
    expect(f.avgResponseMinutes).toBeCloseTo(94, 6);
    expect(f.p90ResponseMinutes).toBeCloseTo(300, 6);
    expect(f.avgResolutionMinutes).toBeCloseTo(1350, 6);
    expect(f.p90ResolutionMinutes).toBeCloseTo(4320, 6);
    const { avgResponseMinutes: _a, p90ResponseMinutes: _b, avgResolutionMinutes: _c, p90ResolutionMinutes: _d, ...rest } = f;
    expect(rest).toEqual(WEEKLY);
  });

  it("daily figures for the lead: new since Friday's brief, backlog, due today, overdue", async () => {
    const period = duePeriod("daily", "0 9 * * *", stack.s.ctx.calendar, c.set("2025-10-20 09:00"))!;
    // The previous working day's brief was Friday 09:00 (the weekend has none).
    expect(period.start.toISOString()).toBe(sh("2025-10-17 09:00").toISOString());
    const lead = stack.s.ctx.config.departments.filter((d) => d.leads.includes("wang")).map((d) => d.id);
    const f = await dailyFigures(stack.s.ctx, { date: period.to, since: period.start, until: period.end }, "zh-CN", lead);
    expect(f).toMatchObject({ date: "2025-10-20", newCount: 4, backlog: { active: 4, overdue: 2, unassigned: 1 } });
    expect(f.dueToday).toEqual({
      total: 1,
      rows: [{ number: "FB20251020001", title: "界面字体太小", deadline: "response", due: sh("2025-10-20 17:00"), handler: undefined, url: `${PUBLIC}/console/tickets/FB20251020001` }],
    });
    expect(f.overdue.total).toBe(2);
    expect(f.overdue.rows.map((r) => [r.number, r.deadline, r.handler])).toEqual([
      ["FB20250929001", "resolution", "李四"],
      ["FB20251017001", "response", "张三"],
    ]);
  });

  it("/stats in chat on Sunday night shows the weekly figures; Monday's tick sends the weekly report to both platforms' chats", async () => {
    c.set("2025-10-19 23:00");
    const from = feishuSent(stack.fake).length;
    expect((await stack.deliver(groupMention("@_user_1 /stats", { chatId: "oc_group" }))).status).toBe(200);
    await stack.s.idle();
    const stats = feishuSent(stack.fake).slice(from).find((m) => titleOf(m.card) === "工单统计 · 2025-10-13 至 2025-10-19");
    expect(stats, "the /stats reply").toBeDefined();
    expect(checkFeishuCard(stats!.card)).toEqual([]);
    for (const line of WEEKLY_TEXT) expect(cardText(stats!.card)).toContain(line);

    c.set("2025-10-20 09:00");
    const before = feishuSent(stack.fake).length;
    const dBefore = dingtalkSent(ding).length;
    const summary = await tick(stack.s.ctx, c.now);
    await stack.s.idle();
    expect(summary.errors).toEqual([]);
    const weekly = feishuSent(stack.fake).slice(before).filter((m) => titleOf(m.card) === "工单周报 · 2025-10-13 至 2025-10-19");
    expect(weekly.map((m) => m.to)).toEqual(["oc_managers"]);
    expect(checkFeishuCard(weekly[0]!.card)).toEqual([]);
    // The same figures, laid out the same way, as /stats gave.
    expect((weekly[0]!.card as { body: unknown }).body).toEqual((stats!.card as { body: unknown }).body);
    expect(JSON.stringify(weekly[0]!.card)).toContain(`"default_url":"${WEEKLY.url}"`);

    const dWeekly = dingtalkSent(ding).slice(dBefore).filter((m) => m.msgParam.title?.startsWith("工单周报"));
    expect(dWeekly.map((m) => m.to)).toEqual(["group:cid_managers"]);
    expect(robotMessageViolations(dWeekly[0]!)).toEqual([]);
    expect(dWeekly[0]).toMatchObject({ msgKey: "sampleActionCard", msgParam: { singleURL: WEEKLY.url } });
    for (const line of WEEKLY_TEXT.slice(0, 8)) expect(dWeekly[0]!.msgParam.text).toContain(`- ${line.replace("\n", "：")}`);
    expect(dWeekly[0]!.msgParam.text).toContain("问题反馈 4（+3） · 功能需求 1（-1） · 咨询 1（±0） · 投诉 1（+1）");
  });

  it("Monday's tick sent the daily brief to the lead directly, on each platform, once", async () => {
    const daily = feishuSent(stack.fake).filter((m) => titleOf(m.card) === "每日工单简报 · 2025-10-20");
    expect(daily.map((m) => m.to)).toEqual(["user:ou_lead_wang"]);
    const card = daily[0]!.card;
    expect(checkFeishuCard(card)).toEqual([]);
    const text = cardText(card);
    for (const line of [
      "**新增（自 10-17 09:00）**\n4",
      "**当前积压**\n4（超时 2，待分配 1）",
      "**今日到期**\n1",
      "**超时工单**\n2",
      `**今日到期**\n[FB20251020001](${PUBLIC}/console/tickets/FB20251020001) 界面字体太小 · 响应时限 10-20 17:00 · 待分配`,
      `**超时工单**\n[FB20250929001](${PUBLIC}/console/tickets/FB20250929001) 订单页面加载很慢 · 解决时限 10-01 10:00 · 李四\n[FB20251017001](${PUBLIC}/console/tickets/FB20251017001) CRM 客户数据同步不过来怎么办 · 响应时限 10-17 17:00 · 张三`,
    ])
      expect(text).toContain(line);
    const dDaily = dingtalkSent(ding).filter((m) => m.msgParam.title?.startsWith("每日工单简报"));
    expect(dDaily.map((m) => m.to)).toEqual(["user:dt_wang"]);
    expect(robotMessageViolations(dDaily[0]!)).toEqual([]);
    expect(dDaily[0]!.msgParam.text).toContain("- **超时工单**：2");

    // A later tick the same morning finds them claimed.
    const again = await tick(stack.s.ctx, c.set("2025-10-20 09:30"));
    expect(again.digests).toBe(0);
  });

  it("the monthly report for October waits for Monday Nov 3 when Nov 1 is a Saturday", async () => {
    const sent = () => feishuSent(stack.fake).filter((m) => titleOf(m.card) === "工单月报 · 2025-10");
    expect((await tick(stack.s.ctx, c.set("2025-11-01 09:00"))).digests).toBe(0);
    expect((await tick(stack.s.ctx, c.set("2025-11-03 08:59"))).digests).toBe(0);
    await tick(stack.s.ctx, c.set("2025-11-03 09:00"));
    await stack.s.idle();
    expect(sent().map((m) => m.to)).toEqual(["oc_managers"]);
    // October: the 7 + 4 tickets above and the one of Oct 20; September: 1.
    expect(cardText(sent()[0]!.card)).toContain("**新增工单**\n12（较上期 +1100%）");
    expect(JSON.stringify(sent()[0]!.card)).toContain(`${PUBLIC}/console/reports?period=custom&from=2025-10-01&to=2025-10-31`);
  });
});
