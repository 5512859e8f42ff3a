// Use cases on the real SQLite store: a full ticket life, permissions, timeline, concurrency.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { performAction } from "../../src/app/tickets/act.js";
import { submitFeedback } from "../../src/app/tickets/submit.js";
import { ChatDeskError } from "../../src/core/errors.js";
import type { Actor } from "../../src/core/types.js";
import { allEvents } from "../../src/store/tickets.js";
import { startTestServer, teamConfig, type TestServer } from "../support/server.js";

const reporter: Actor = { platform: "feishu", userId: "ou_reporter_1", name: "客服小刘" };
const zhang: Actor = { platform: "feishu", userId: "ou_handler_zhang", name: "张三" };
const li: Actor = { platform: "feishu", userId: "ou_handler_li", name: "李四" };
const lead: Actor = { platform: "feishu", userId: "ou_lead_wang", name: "王主管" };
const stranger: Actor = { platform: "feishu", userId: "ou_someone_else", name: "路人" };

let clock = new Date("2025-05-21T02:00:00Z"); // Wed 10:00 Asia/Shanghai
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ config: teamConfig, now: () => clock });
});
afterAll(() => s.close());

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return "OK";
  } catch (e) {
    return (e as ChatDeskError).code;
  }
};

describe("ticket life on the real store", () => {
  it("submit → claim → progress → plan → resolve → confirm with rating → closed", async () => {
    const t = await submitFeedback(s.ctx, {
      text: "华为反馈系统报错无法登录，部分功能受影响\n客户: 华为技术有限公司\n客户ID: CUS1002568\n联系方式: 13812345678\n产品: 智能客服系统 v3.2\n期望: 2025-05-30",
      reporter,
      platform: "feishu",
      chatId: "oc_group",
      messageId: "om_src_1",
    });
    expect(t.number).toBe("FB20250521001");
    expect(t).toMatchObject({
      status: "open",
      category: "bug",
      subCategory: "login",
      department: "tech",
      handlerId: "zhang", // round-robin: first in the pool
      customerName: "华为技术有限公司",
      customerId: "CUS1002568",
      customerContact: "13812345678",
      product: "智能客服系统",
      productVersion: "v3.2",
      expectedDate: "2025-05-30",
      version: 1,
    });
    expect(t.priority).toBe("high"); // "无法登录" / "部分功能" are high-priority words
    // high = 4 working hours to respond: Wed 10:00 + 4h (lunch 12–13) = 15:00 local = 07:00Z
    expect(t.responseDueAt.toISOString()).toBe("2025-05-21T07:00:00.000Z");

    clock = new Date("2025-05-21T02:30:00Z");
    const claimed = await performAction(s.ctx, t.number, "claim", zhang);
    expect(claimed.ticket).toMatchObject({ status: "in_progress", handlerId: "zhang", version: 2 });
    expect(claimed.ticket.firstResponseAt?.toISOString()).toBe("2025-05-21T02:30:00.000Z");

    await performAction(s.ctx, t.number, "progress", zhang, { text: "已定位到认证服务超时" });
    await performAction(s.ctx, t.number, "plan", zhang, { text: "今天发布热修复" });
    const resolved = await performAction(s.ctx, t.number, "resolve", zhang, { text: "已发布 v3.2.1 修复" });
    expect(resolved.ticket).toMatchObject({ status: "resolved", result: "已发布 v3.2.1 修复", plan: "今天发布热修复" });
    expect(resolved.statusChanged).toBe(true);

    // The handler may not confirm on the customer's behalf; the reporter does.
    expect(await codeOf(performAction(s.ctx, t.number, "confirm", zhang, { score: 5 }))).toBe("FORBIDDEN");
    const closed = await performAction(s.ctx, t.number, "confirm", reporter, { score: 4, comment: "响应挺快" });
    expect(closed.ticket).toMatchObject({ status: "closed", satisfaction: 4, customerComment: "响应挺快" });
    expect(await s.db.satisfaction.count({ where: { ticketId: t.id } })).toBe(1);

    const events = await allEvents(s.db, t.id);
    expect(events.map((e) => e.kind)).toEqual(["created", "claimed", "progress", "plan", "resolved", "confirmed"]);
    expect(events.map((e) => e.ticketVersion)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events[1]).toMatchObject({ actorId: "ou_handler_zhang", actorName: "张三", source: "card" });
    expect(JSON.parse(events[2]!.payload)).toMatchObject({ text: "已定位到认证服务超时" });

    // Reopen by the reporter when the customer is not satisfied after all.
    const reopened = await performAction(s.ctx, t.number, "reopen", reporter, { text: "客户反馈仍偶发" });
    expect(reopened.ticket).toMatchObject({ status: "in_progress", closedAt: null, resolvedAt: null });
  });

  it("refuses without permission and stores nothing", async () => {
    const t = await submitFeedback(s.ctx, { text: "希望增加批量导出功能", reporter, platform: "feishu", chatId: "oc_group" });
    expect(t.department).toBe("product");
    expect(await codeOf(performAction(s.ctx, t.number, "claim", stranger))).toBe("FORBIDDEN");
    expect(await codeOf(performAction(s.ctx, t.number, "claim", zhang))).toBe("FORBIDDEN"); // zhang is not in 产品部
    expect(await codeOf(performAction(s.ctx, t.number, "reject", li, { text: "重复" }))).toBe("FORBIDDEN"); // handler, not lead
    expect(await codeOf(performAction(s.ctx, t.number, "confirm", reporter, { score: 5 }))).toBe("ILLEGAL_TRANSITION");
    expect(await codeOf(performAction(s.ctx, t.number, "progress", li, { text: " " }))).toBe("INVALID_INPUT");
    const after = await s.db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(after.version).toBe(1);
    expect(await s.db.ticketEvent.count({ where: { ticketId: t.id } })).toBe(1);
  });

  it("leads re-prioritise (deadlines follow), reassign, reject and merge", async () => {
    const a = await submitFeedback(s.ctx, { text: "请问发票怎么开", reporter, platform: "feishu", chatId: "oc_group" });
    const b = await submitFeedback(s.ctx, { text: "发票怎么开具？", reporter, platform: "feishu", chatId: "oc_group" });
    const up = await performAction(s.ctx, a.number, "priority", lead, { priority: "urgent" });
    expect(up.ticket.priority).toBe("urgent");
    // urgent = 2h calendar from receipt
    expect(up.ticket.responseDueAt.getTime() - a.receivedAt.getTime()).toBe(2 * 3600_000);
    const re = await performAction(s.ctx, a.number, "reassign", lead, { target: "ou_handler_li" }); // a platform id maps to the person
    expect(re.ticket.handlerId).toBe("li");
    const merged = await performAction(s.ctx, b.number, "merge", lead, { into: a.number });
    expect(merged.ticket).toMatchObject({ status: "merged", mergedIntoId: a.id });
    const rejected = await performAction(s.ctx, a.number, "reject", lead, { text: "非产品问题" });
    expect(rejected.ticket.status).toBe("rejected");
  });

  it("two concurrent claims: exactly one wins, the other gets CONFLICT", async () => {
    const t = await submitFeedback(s.ctx, { text: "系统报错 500", reporter, platform: "feishu", chatId: "oc_group" });
    const results = await Promise.all([codeOf(performAction(s.ctx, t.number, "claim", zhang)), codeOf(performAction(s.ctx, t.number, "claim", li))]);
    expect(results.filter((r) => r === "OK")).toHaveLength(1);
    expect(results.filter((r) => r === "CONFLICT" || r === "ILLEGAL_TRANSITION")).toHaveLength(1);
    expect(await s.db.ticketEvent.count({ where: { ticketId: t.id, kind: "claimed" } })).toBe(1);
  });

  it("a stale card (old version) cannot change the state", async () => {
    const t = await submitFeedback(s.ctx, { text: "系统报错 502", reporter, platform: "feishu", chatId: "oc_group" });
    await performAction(s.ctx, t.number, "claim", zhang, {}, "card", 1);
    expect(await codeOf(performAction(s.ctx, t.number, "resolve", zhang, { text: "x" }, "card", 1))).toBe("CONFLICT");
  });
});
