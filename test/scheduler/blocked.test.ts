// Blocked work (受阻) end to end: the real server (SQLite file, fake clock), the real Feishu sender
// talking to the fake Feishu. Marking a ticket blocked tells the department's lead at once, exactly
// once; still blocked after one working day (here across a weekend) it goes to the manager, once per
// blocked episode; unblocking in time stops that; blocking again later goes up again.
import { mdPlain, type Md } from "../../cards/safe-text.js";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { reminderCard } from "../../cards/reminder.js";
import { handleMessage } from "../../src/app/messages.js";
import { performAction } from "../../src/app/tickets/act.js";
import { cardInput, currentTicketCard } from "../../src/app/views.js";
import { errorText } from "../../src/app/errors-to-text.js";
import { renderRobotMessage, renderTemplateData } from "../../src/adapter/dingtalk/render-card.js";
import { renderFeishuCard } from "../../src/adapter/feishu/render-card.js";
import { ChatDeskError } from "../../src/core/errors.js";
import type { Actor } from "../../src/core/types.js";
import { tick } from "../../src/scheduler/tick.js";
import type { TestServer } from "../support/server.js";
import { robotMessageViolations, ticketTemplateViolations } from "../support/dingtalk-card-rules.js";
import { checkFeishuCard } from "../support/feishu-card-rules.js";
import { startFakeFeishu, type FakeFeishuServer } from "../fakes/feishu-server.js";
import { cardText, clock, feishuSent, newTicket, reporter, sh, startRig, titleOf, type Clock } from "./support.js";

const zhang: Actor = { platform: "feishu", userId: "ou_handler_zhang", name: "张三" };
const li: Actor = { platform: "feishu", userId: "ou_handler_li", name: "李四" };
const wang: Actor = { platform: "feishu", userId: "ou_lead_wang", name: "王主管" };
const zhao: Actor = { platform: "feishu", userId: "ou_manager_zhao", name: "赵总" };

let fake: FakeFeishuServer;
beforeAll(async () => {
  fake = await startFakeFeishu();
});
afterAll(() => fake.close());

let s: TestServer;
let c: Clock;
afterEach(() => s?.close());

/** Messages about blocked work sent since `from` (other follow-ups, such as nudges, left out). */
const blockedSince = (from: number) => feishuSent(fake).slice(from).filter((m) => /受阻/.test(titleOf(m.card)));

async function tickAt(local: string) {
  const before = feishuSent(fake).length;
  const summary = await tick(s.ctx, c.set(local));
  await s.idle();
  return { summary, sent: blockedSince(before) };
}

async function act(local: string, action: "block" | "unblock" | "progress" | "resolve", actor: Actor, text?: string) {
  const before = feishuSent(fake).length;
  c.set(local);
  const t = await s.db.ticket.findFirstOrThrow({ orderBy: { id: "desc" } });
  const r = await performAction(s.ctx, t.number, action, actor, { text }, "card");
  await s.idle();
  return { ticket: r.ticket, sent: blockedSince(before) };
}

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e instanceof ChatDeskError ? e : undefined;
  }
  return "OK";
};

describe("blocked work (受阻)", () => {
  beforeEach(async () => {
    c = clock("2025-10-17 14:00"); // Friday
    s = await startRig({ clock: c, feishu: fake });
  });

  it("only the ticket's handler, a lead or a manager may block; only in progress; a reason is required", async () => {
    const t = await newTicket(s, "客户反馈系统报错无法登录", { priority: "medium" });
    // Open, not in progress yet.
    expect(((await codeOf(performAction(s.ctx, t.number, "block", wang, { text: "资源不足" }))) as ChatDeskError).code).toBe("ILLEGAL_TRANSITION");
    await performAction(s.ctx, t.number, "claim", zhang);
    expect(((await codeOf(performAction(s.ctx, t.number, "block", reporter, { text: "资源不足" }))) as ChatDeskError).code).toBe("FORBIDDEN");
    // Li is a handler of the department but not of this ticket.
    const other = (await codeOf(performAction(s.ctx, t.number, "block", li, { text: "资源不足" }))) as ChatDeskError;
    expect(other.code).toBe("FORBIDDEN");
    expect(errorText(other, "zh-CN", "block").text).toBe("你没有权限标记受阻（需要：处理人 / 主管）");
    expect(((await codeOf(performAction(s.ctx, t.number, "block", zhang, { text: "  " }))) as ChatDeskError).code).toBe("INVALID_INPUT");
    const notBlocked = (await codeOf(performAction(s.ctx, t.number, "unblock", zhang))) as ChatDeskError;
    expect(errorText(notBlocked, "zh-CN", "unblock").text).toBe("工单当前未受阻");

    expect(await codeOf(performAction(s.ctx, t.number, "block", zhang, { text: "需要供应链部配合" }))).toBe("OK");
    const again = (await codeOf(performAction(s.ctx, t.number, "block", wang, { text: "还是资源不足" }))) as ChatDeskError;
    expect(errorText(again, "en", "block").text).toBe("The ticket is blocked already");
    expect(((await codeOf(performAction(s.ctx, t.number, "unblock", reporter))) as ChatDeskError).code).toBe("FORBIDDEN");
    expect(((await codeOf(performAction(s.ctx, t.number, "unblock", li))) as ChatDeskError).code).toBe("FORBIDDEN");
    expect(await codeOf(performAction(s.ctx, t.number, "unblock", zhao))).toBe("OK");
    expect(await codeOf(performAction(s.ctx, t.number, "block", wang, { text: "等待财务审批" }))).toBe("OK");
    expect(await codeOf(performAction(s.ctx, t.number, "unblock", wang))).toBe("OK");

    const events = await s.db.ticketEvent.findMany({ where: { ticketId: t.id, kind: { in: ["blocked", "unblocked"] } }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.kind, e.actorName, JSON.parse(e.payload).text ?? JSON.parse(e.payload).reason])).toEqual([
      ["blocked", "张三", "需要供应链部配合"],
      ["unblocked", "赵总", "需要供应链部配合"],
      ["blocked", "王主管", "等待财务审批"],
      ["unblocked", "王主管", "等待财务审批"],
    ]);
  });

  it("tells the lead once at once, escalates to the manager after one working day across the weekend, once", async () => {
    const t = await newTicket(s, "客户反馈系统报错无法登录", { priority: "medium", messageId: "om_src_blocked" });
    await performAction(s.ctx, t.number, "claim", zhang);

    const blocked = await act("2025-10-17 15:00", "block", zhang, "资源不足：需要供应链部配合");
    expect(blocked.ticket).toMatchObject({ blockedReason: "资源不足：需要供应链部配合", blockedBy: "张三", status: "in_progress" });
    expect(blocked.ticket.blockedAt?.toISOString()).toBe(sh("2025-10-17 15:00").toISOString());
    // The lead directly (reachable, so no group copy).
    expect(blocked.sent.map((m) => m.to)).toEqual(["user:ou_lead_wang"]);
    const lead = blocked.sent[0]!;
    expect(titleOf(lead.card)).toBe(`工单受阻 · ${t.number}`);
    expect(cardText(lead.card)).toContain("张三 于 10-17 15:00 标记受阻：资源不足：需要供应链部配合。已通知 王主管，请协调资源或跨部门支持。");
    expect(checkFeishuCard(lead.card)).toEqual([]);
    // The card carries the marker and offers 解除受阻 instead of 标记受阻.
    expect(cardText(lead.card)).toContain("**受阻**：资源不足：需要供应链部配合（张三，10-17 15:00 起）");
    expect(JSON.stringify(lead.card)).toContain(`"action":"unblock","ticket":"${t.number}"`);
    expect(JSON.stringify(lead.card)).not.toContain('"action":"block"');

    // The tick does not send it again, nor anything over the weekend.
    expect((await tickAt("2025-10-17 15:01")).sent).toEqual([]);
    expect((await tickAt("2025-10-18 15:00")).sent).toEqual([]);
    expect((await tickAt("2025-10-20 14:00")).sent).toEqual([]);
    // Progress does not clear the block.
    const progressed = await act("2025-10-20 14:30", "progress", zhang, "仍在等供应链部排期");
    expect(progressed.ticket.blockedAt?.toISOString()).toBe(sh("2025-10-17 15:00").toISOString());
    expect((await tickAt("2025-10-20 14:59")).sent).toEqual([]);

    // One working day: Fri 15–18, Mon 9–12 and 13–15.
    const up = await tickAt("2025-10-20 15:00");
    expect(up.summary.errors).toEqual([]);
    expect(up.sent.map((m) => m.to).sort()).toEqual(["oc_tech", "reply:om_src_blocked", "user:ou_manager_zhao"]);
    expect(titleOf(up.sent[0]!.card)).toBe(`受阻未解除 · 升级 · ${t.number}`);
    expect(cardText(up.sent[0]!.card)).toContain("工单受阻已 8 小时（工作时间）（10-17 15:00 起：资源不足：需要供应链部配合）仍未解除，升级至 赵总。");
    for (const m of up.sent) expect(checkFeishuCard(m.card)).toEqual([]);
    expect(cardText(up.sent.find((m) => m.to === "oc_tech")!.card)).toContain("<at id=ou_handler_zhang></at> <at id=ou_manager_zhao></at>");

    expect((await tickAt("2025-10-20 15:01")).sent).toEqual([]);
    expect((await tickAt("2025-10-21 16:00")).sent).toEqual([]);
    const notices = await s.db.notice.findMany({ where: { ticketId: t.id, kind: { startsWith: "blocked" } }, orderBy: { kind: "asc" } });
    expect(notices.map((n) => n.key)).toEqual([`ticket:${t.id}:blocked.escalate:${sh("2025-10-17 15:00").getTime()}`, `ticket:${t.id}:blocked.lead:${sh("2025-10-17 15:00").getTime()}`]);
    const escalated = await s.db.ticketEvent.findMany({ where: { ticketId: t.id, kind: "escalated" }, orderBy: { id: "asc" } });
    expect(escalated.map((e) => JSON.parse(e.payload))).toMatchObject([
      { blocked: true, level: 1, to: ["wang"] },
      { blocked: true, level: 2, to: ["zhao"] },
    ]);

    // Resolving ends the episode.
    const resolved = await act("2025-10-21 16:30", "resolve", zhang, "供应链部已补货");
    expect(resolved.ticket).toMatchObject({ status: "resolved", blockedAt: null, blockedReason: null, blockedBy: null });
  });

  it("unblocked before the window: no manager escalation; blocked again later: up again, with its own claims", async () => {
    const t = await newTicket(s, "客户反馈系统报错无法登录", { priority: "medium" });
    await performAction(s.ctx, t.number, "claim", zhang);
    expect((await act("2025-10-17 15:00", "block", zhang, "需要产品部确认")).sent.map((m) => m.to)).toEqual(["user:ou_lead_wang"]);
    expect((await act("2025-10-20 10:00", "unblock", zhang)).ticket.blockedAt).toBeNull();
    expect((await tickAt("2025-10-20 15:00")).sent).toEqual([]);
    expect((await tickAt("2025-10-22 10:00")).sent).toEqual([]);

    // A new episode: the lead hears again, and the manager after one more working day.
    const again = await act("2025-10-22 10:00", "block", wang, "资源不足");
    expect(again.sent.map((m) => m.to)).toEqual(["user:ou_lead_wang"]);
    expect(cardText(again.sent[0]!.card)).toContain("王主管 于 10-22 10:00 标记受阻：资源不足。");
    expect((await tickAt("2025-10-23 09:59")).sent).toEqual([]);
    expect((await tickAt("2025-10-23 10:00")).sent.filter((m) => m.to.startsWith("user:")).map((m) => m.to)).toEqual(["user:ou_manager_zhao"]);
    expect((await tickAt("2025-10-23 11:00")).sent).toEqual([]);
    expect(await s.db.notice.count({ where: { ticketId: t.id, kind: "blocked.escalate" } })).toBe(1);
    expect(await s.db.notice.count({ where: { ticketId: t.id, kind: "blocked.lead" } })).toBe(2);
  });

  it("/block and /unblock text commands, and the card on both platforms in both locales", async () => {
    const t = await newTicket(s, "客户反馈系统报错无法登录", { priority: "medium" });
    await performAction(s.ctx, t.number, "claim", zhang);
    const msg = (text: string, id: string) => ({
      kind: "message" as const,
      platform: "feishu" as const,
      dedupeId: id,
      messageId: id,
      chatId: "oc_group",
      chatType: "group" as const,
      sender: { userId: "ou_handler_zhang", name: "张三" },
      text,
      mentionedBot: true,
      attachments: [],
      sentAt: c.now.toISOString(),
    });
    // Before: the card offers 标记受阻 with a reason input.
    const open = renderFeishuCard(await currentTicketCard(s.ctx, (await s.db.ticket.findUniqueOrThrow({ where: { id: t.id } }))));
    expect(JSON.stringify(open)).toContain(`"action":"block","ticket":"${t.number}"`);
    expect(JSON.stringify(open)).toContain("受阻原因");
    expect(checkFeishuCard(open)).toEqual([]);

    await handleMessage(s.ctx, msg(`/block ${t.number} 需要 财务部 审批`, "om_cmd_1"));
    const row = await s.db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(row).toMatchObject({ blockedReason: "需要 财务部 审批", blockedBy: "张三" });

    for (const locale of ["zh-CN", "en"] as const) {
      const card = await currentTicketCard(s.ctx, { ...row, locale });
      expect(card.header.tags?.map((x) => x.text)).toContain(locale === "en" ? "Blocked" : "受阻");
      const feishu = renderFeishuCard(card);
      expect(checkFeishuCard(feishu)).toEqual([]);
      expect(JSON.stringify(feishu)).toContain(`"action":"unblock","ticket":"${t.number}"`);
      expect(cardText(feishu)).toContain(locale === "en" ? "**Blocked**: 需要 财务部 审批 (张三, since 10-17 14:00)" : "**受阻**：需要 财务部 审批（张三，10-17 14:00 起）");
      const data = renderTemplateData(card);
      expect(ticketTemplateViolations(data)).toEqual([]);
      expect(data.content).toContain(locale === "en" ? "**Blocked**: 需要 财务部 审批" : "**受阻**：需要 财务部 审批");
      // 解除受阻 takes a button slot on DingTalk's template.
      const buttons = [1, 2, 3, 4, 5, 6].filter((n) => data[`btn${n}Visible`] === "true").map((n) => data[`btn${n}Value`]);
      expect(buttons.some((v) => v!.includes('"action":"unblock"'))).toBe(true);
      const robot = renderRobotMessage(card);
      expect(robotMessageViolations(robot)).toEqual([]);
      expect(robot.msgParam.text).toContain(`/unblock ${t.number}`);
    }

    // The lead's and the manager's cards, on both platforms, in both locales.
    for (const locale of ["zh-CN", "en"] as const)
      for (const kind of ["blocked", "blocked.escalate"] as const) {
        const info = { kind, clock: "working" as const, minutes: 480, to: ["赵总"], blocked: { reason: "需要 财务部 审批", by: "张三", since: row.blockedAt! } };
        const card = reminderCard(cardInput(s.ctx, row, []), info, { now: c.now, timeZone: "Asia/Shanghai", locale });
        expect(card.header.title).toBe(`${{ "zh-CN": { blocked: "工单受阻", "blocked.escalate": "受阻未解除 · 升级" }, en: { blocked: "Ticket blocked", "blocked.escalate": "Still blocked · escalated" } }[locale][kind]} · ${t.number}`);
        expect(mdPlain((card.blocks[0] as { text: Md }).text)).toContain("需要 财务部 审批");
        expect(mdPlain((card.blocks[0] as { text: Md }).text)).toContain(kind === "blocked" ? "张三" : locale === "en" ? "escalated to 赵总" : "升级至 赵总");
        expect(checkFeishuCard(renderFeishuCard(card))).toEqual([]);
        expect(ticketTemplateViolations(renderTemplateData(card))).toEqual([]);
        expect(robotMessageViolations(renderRobotMessage(card))).toEqual([]);
      }

    await handleMessage(s.ctx, msg(`/unblock ${t.number}`, "om_cmd_2"));
    const cleared = await s.db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(cleared.blockedAt).toBeNull();
    // Unblocked and in progress on DingTalk: the block form does not fit the two form slots (进展, 解决),
    // so the template lists it as its text command.
    const data = renderTemplateData(await currentTicketCard(s.ctx, cleared));
    expect(ticketTemplateViolations(data)).toEqual([]);
    expect(data.commands).toContain(`标记受阻：/block ${t.number} <受阻原因>`);
  });
});
