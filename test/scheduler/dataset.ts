// A fixed set of tickets for digest figures, with every figure computed by hand in digests.test.ts.
// Week under report: Mon 2025-10-13 … Sun 2025-10-19 (Asia/Shanghai); the week before: 10-06 … 10-12.
import type { Db } from "../../src/store/db.js";
import { sh } from "./support.js";

interface Row {
  number: string;
  /** What the ticket says: the digests group recurring problems by it (similar text), as well as by sub-category. */
  title: string;
  category: string;
  subCategory?: string;
  priority: string;
  department: string;
  handlerId?: string;
  channel?: string;
  status: string;
  received: string;
  responseDue: string;
  resolutionDue: string;
  firstResponse?: string;
  resolved?: string;
  ratings?: [string, number][];
}

export const ROWS: Row[] = [
  // The week under report.
  { number: "FB20251013001", title: "客户登录后台提示密码错误，无法登录", category: "bug", subCategory: "login", priority: "high", department: "tech", handlerId: "zhang", channel: "phone", status: "closed", received: "2025-10-13 10:00", responseDue: "2025-10-13 14:00", resolutionDue: "2025-10-15 18:00", firstResponse: "2025-10-13 10:30", resolved: "2025-10-13 16:00", ratings: [["2025-10-13 17:00", 3], ["2025-10-14 10:00", 5]] },
  { number: "FB20251014001", title: "登录后台一直提示密码错误", category: "bug", subCategory: "login", priority: "medium", department: "tech", handlerId: "zhang", channel: "email", status: "resolved", received: "2025-10-14 09:00", responseDue: "2025-10-14 17:00", resolutionDue: "2025-10-17 09:00", firstResponse: "2025-10-14 10:00", resolved: "2025-10-14 19:00" },
  { number: "FB20251015001", title: "CRM 数据同步失败，客户信息没同步过来", category: "bug", subCategory: "sync", priority: "high", department: "tech", handlerId: "li", channel: "phone", status: "closed", received: "2025-10-15 11:00", responseDue: "2025-10-15 15:00", resolutionDue: "2025-10-17 11:00", firstResponse: "2025-10-15 16:00", resolved: "2025-10-18 11:00", ratings: [["2025-10-18 12:00", 2]] },
  { number: "FB20251016001", title: "希望增加批量导出订单功能", category: "feature", subCategory: "new_feature", priority: "low", department: "product", handlerId: "li", channel: "online", status: "in_progress", received: "2025-10-16 14:00", responseDue: "2025-10-17 14:00", resolutionDue: "2025-10-27 14:00", firstResponse: "2025-10-16 15:00" },
  { number: "FB20251017001", title: "CRM 客户数据同步不过来怎么办", category: "question", subCategory: "usage", priority: "medium", department: "service", handlerId: "zhang", status: "open", received: "2025-10-17 09:00", responseDue: "2025-10-17 17:00", resolutionDue: "2025-10-22 09:00" },
  { number: "FB20251018001", title: "对售后响应速度不满意", category: "complaint", priority: "high", department: "service_lead", handlerId: "wang", channel: "phone", status: "resolved", received: "2025-10-18 10:00", responseDue: "2025-10-20 13:00", resolutionDue: "2025-10-22 10:00", firstResponse: "2025-10-18 10:20", resolved: "2025-10-18 12:00", ratings: [["2025-10-19 09:00", 4]] },
  { number: "FB20251019001", title: "登录提示密码错误，登录不上", category: "bug", subCategory: "login", priority: "high", department: "tech", handlerId: "zhang", channel: "phone", status: "rejected", received: "2025-10-19 20:00", responseDue: "2025-10-20 13:00", resolutionDue: "2025-10-22 20:00" },
  // The week before (closed, received there; one rated in the week under report).
  { number: "FB20251009001", title: "后台登录提示密码错误", category: "bug", subCategory: "login", priority: "high", department: "tech", handlerId: "zhang", channel: "phone", status: "closed", received: "2025-10-09 10:00", responseDue: "2025-10-09 14:00", resolutionDue: "2025-10-13 10:00", firstResponse: "2025-10-09 10:10", resolved: "2025-10-09 12:00", ratings: [["2025-10-13 09:00", 3]] },
  { number: "FB20251010001", title: "按钮样式错位", category: "feature", subCategory: "ui", priority: "low", department: "product", handlerId: "li", channel: "online", status: "closed", received: "2025-10-10 10:00", responseDue: "2025-10-13 10:00", resolutionDue: "2025-10-21 10:00", firstResponse: "2025-10-10 11:00", resolved: "2025-10-11 10:00" },
  { number: "FB20251010002", title: "能不能加批量导出订单的功能", category: "feature", subCategory: "new_feature", priority: "low", department: "product", handlerId: "li", channel: "online", status: "closed", received: "2025-10-10 15:00", responseDue: "2025-10-13 15:00", resolutionDue: "2025-10-21 15:00", firstResponse: "2025-10-10 16:00", resolved: "2025-10-11 16:00" },
  { number: "FB20251011001", title: "发票怎么开", category: "question", subCategory: "usage", priority: "medium", department: "service", handlerId: "zhang", channel: "email", status: "closed", received: "2025-10-11 10:00", responseDue: "2025-10-11 18:00", resolutionDue: "2025-10-15 10:00", firstResponse: "2025-10-11 10:05", resolved: "2025-10-11 11:00" },
  // Outside both weeks: still open (overdue) from September, and one this Monday morning (unassigned).
  { number: "FB20250929001", title: "订单页面加载很慢", category: "bug", subCategory: "performance", priority: "high", department: "tech", handlerId: "li", channel: "phone", status: "in_progress", received: "2025-09-29 10:00", responseDue: "2025-09-29 14:00", resolutionDue: "2025-10-01 10:00", firstResponse: "2025-09-29 10:30" },
  { number: "FB20251020001", title: "界面字体太小", category: "feature", subCategory: "ui", priority: "low", department: "product", status: "open", received: "2025-10-20 08:00", responseDue: "2025-10-20 17:00", resolutionDue: "2025-10-29 17:00" },
];

export async function seedDataset(db: Db): Promise<void> {
  for (const r of ROWS) {
    const ratings = r.ratings ?? [];
    const last = ratings.at(-1);
    await db.ticket.create({
      data: {
        number: r.number,
        title: r.title,
        description: r.title,
        status: r.status,
        category: r.category,
        subCategory: r.subCategory ?? null,
        priority: r.priority,
        department: r.department,
        handlerId: r.handlerId ?? null,
        reporterId: "ou_reporter_1",
        platform: "feishu",
        chatId: "oc_group",
        channel: r.channel ?? null,
        receivedAt: sh(r.received),
        responseDueAt: sh(r.responseDue),
        resolutionDueAt: sh(r.resolutionDue),
        firstResponseAt: r.firstResponse ? sh(r.firstResponse) : null,
        resolvedAt: r.resolved ? sh(r.resolved) : null,
        closedAt: r.status === "closed" || r.status === "rejected" ? sh(r.resolved ?? r.received) : null,
        lastProgressAt: sh(r.firstResponse ?? r.received),
        satisfaction: last ? last[1] : null,
        version: 1,
        ratings: { create: ratings.map(([at, score]) => ({ score, at: sh(at), actorId: "ou_reporter_1", comment: score <= 2 ? "太慢" : null })) },
      },
    });
  }
}
