// Reminder and digest cards in both locales, rendered for each platform and checked against its rules:
// Feishu card JSON 2.0, DingTalk's shipped card template (reminders keep their buttons) and robot
// markdown (digests, and every card when no template is configured).
import { mdPlain, type Md } from "../../cards/safe-text.js";
import { describe, expect, it } from "vitest";
import { dailyDigestCard, periodDigestCard, type PeriodDigestData } from "../../cards/digest.js";
import { reminderCard, type ReminderKind } from "../../cards/reminder.js";
import type { TicketCardInput } from "../../cards/ticket.js";
import { renderRobotMessage, renderTemplateData } from "../../src/adapter/dingtalk/render-card.js";
import { renderFeishuCard } from "../../src/adapter/feishu/render-card.js";
import type { Locale } from "../../src/core/types.js";
import { robotMessageViolations, ticketTemplateViolations } from "../support/dingtalk-card-rules.js";
import { checkFeishuCard } from "../support/feishu-card-rules.js";
import { sh } from "./support.js";

const ticket: TicketCardInput = {
  number: "FB20251015001",
  title: "客户反馈系统报错无法登录",
  description: "华为反馈系统报错无法登录，部分功能受影响。".repeat(20),
  status: "in_progress",
  priority: "urgent",
  categoryLabel: "问题反馈 / 登录异常",
  departmentLabel: "技术部",
  handlerLabel: "张三",
  reporterLabel: "客服小刘",
  customerName: "华为",
  customerTier: "vip",
  customerContact: "13812345678",
  receivedAt: sh("2025-10-15 10:00"),
  responseDueAt: sh("2025-10-15 12:00"),
  resolutionDueAt: sh("2025-10-16 10:00"),
  firstResponseAt: sh("2025-10-15 10:20"),
  attachmentCount: 1,
  version: 3,
  timeline: [{ at: sh("2025-10-15 10:20"), actor: "张三", kind: "claimed" }],
  consoleUrl: "https://desk.example.com/console/tickets/FB20251015001",
  mentions: [
    { platform: "feishu", userId: "ou_handler_zhang", name: "张三" },
    { platform: "dingtalk", userId: "dt_zhang", name: "张三" },
  ],
};

const KINDS: ReminderKind[] = ["response.before", "resolution.before", "response.breach", "resolution.breach", "response.escalate", "resolution.escalate", "nudge", "confirm"];
const LOCALES: Locale[] = ["zh-CN", "en"];

describe("reminder cards", () => {
  for (const locale of LOCALES)
    for (const kind of KINDS)
      it(`${kind} (${locale}) renders within Feishu's and DingTalk's rules, with the ticket's buttons`, () => {
        const card = reminderCard(ticket, { kind, clock: "working", due: sh("2025-10-16 10:00"), minutes: 135, to: ["王主管"] }, { now: sh("2025-10-15 15:00"), timeZone: "Asia/Shanghai", locale });
        const feishu = renderFeishuCard(card);
        expect(checkFeishuCard(feishu)).toEqual([]);
        expect(JSON.stringify(feishu)).toContain('"action":"progress","ticket":"FB20251015001","v":"3"');
        expect(JSON.stringify(feishu)).toContain("<at id=ou_handler_zhang></at>");
        expect(ticketTemplateViolations(renderTemplateData(card))).toEqual([]);
        expect(robotMessageViolations(renderRobotMessage(card))).toEqual([]);
        const banner = mdPlain((card.blocks[0] as { text: Md }).text);
        if (kind.endsWith("before")) expect(banner).toContain(locale === "en" ? "2 h 15 min (working time) left" : "还剩 2 小时 15 分钟（工作时间）");
        if (kind.endsWith("breach") || kind.endsWith("escalate")) expect(banner).toContain(locale === "en" ? "to 王主管" : "至 王主管");
        expect(card.header.title).toMatch(/· FB20251015001$/);
      });
});

const weekly: PeriodDigestData = {
  kind: "weekly",
  from: "2025-10-13",
  to: "2025-10-19",
  received: 120,
  previousReceived: 100,
  solved: 90,
  resolutionRate: 0.75,
  responseOnTime: { ok: 100, due: 110 },
  resolutionOnTime: { ok: 80, due: 90 },
  avgResponseMinutes: 75,
  p90ResponseMinutes: 300,
  avgResolutionMinutes: 2000,
  p90ResolutionMinutes: 10_000,
  byCategory: Array.from({ length: 6 }, (_, i) => ({ label: `类型${i}`, count: 20 - i, previous: 10 })),
  byDepartment: Array.from({ length: 7 }, (_, i) => ({ label: `部门${i}`, count: 17 - i, previous: 20 })),
  byChannel: Array.from({ length: 8 }, (_, i) => ({ label: `渠道${i}`, count: 15 - i, previous: 15 })),
  topProblems: [
    { label: "问题反馈 / 登录异常", count: 30, example: "FB20251019001" },
    { label: "功能需求 / 界面优化", count: 12, example: "FB20251018003" },
    { label: "咨询", count: 9, example: "FB20251017002" },
  ],
  satisfaction: { average: 4.25, ratings: 40, distribution: [1, 2, 3, 10, 24], unsatisfied: [{ number: "FB20251015001", score: 1 }] },
  handlers: Array.from({ length: 30 }, (_, i) => ({ name: `处理人${i}`, received: 4, solved: 3, active: 2, overdue: i % 2 })),
  backlog: { active: 40, overdue: 3, unassigned: 2 },
  url: "https://desk.example.com/console/reports?period=custom&from=2025-10-13&to=2025-10-19",
};

describe("digest cards", () => {
  for (const locale of LOCALES) {
    it(`weekly report with 30 handlers (${locale}) fits Feishu's and DingTalk's limits`, () => {
      const card = periodDigestCard(weekly, { locale, timeZone: "Asia/Shanghai" });
      expect(checkFeishuCard(renderFeishuCard(card))).toEqual([]);
      const robot = renderRobotMessage(card);
      expect(robotMessageViolations(robot)).toEqual([]);
      expect(robot.msgParam.text).toContain(locale === "en" ? "**Resolution rate**：75%" : "**问题解决率**：75%");
      expect(robot.msgParam.text).toContain(locale === "en" ? "**New tickets**：120 (+20% vs previous)" : "**新增工单**：120（较上期 +20%）");
    });

    it(`daily brief (${locale}) renders and links each ticket`, () => {
      const rows = Array.from({ length: 10 }, (_, i) => ({ number: `FB2025102000${i}`, title: `标题 ${i}`, deadline: "resolution" as const, due: sh("2025-10-20 17:00"), handler: "张三", url: `https://desk.example.com/console/tickets/FB2025102000${i}` }));
      const card = dailyDigestCard(
        { date: "2025-10-20", departments: ["技术部"], since: sh("2025-10-17 09:00"), newCount: 3, backlog: { active: 12, overdue: 11, unassigned: 1 }, dueToday: { total: 10, rows }, overdue: { total: 11, rows }, url: weekly.url },
        { locale, timeZone: "Asia/Shanghai" },
      );
      const feishu = renderFeishuCard(card);
      expect(checkFeishuCard(feishu)).toEqual([]);
      expect(JSON.stringify(feishu)).toContain("[FB20251020000](https://desk.example.com/console/tickets/FB20251020000)");
      expect(JSON.stringify(feishu)).toContain(locale === "en" ? "…and 1 more" : "…另有 1 条");
      expect(robotMessageViolations(renderRobotMessage(card))).toEqual([]);
    });
  }
});
