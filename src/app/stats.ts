// On-demand figures for /stats: SQL aggregates over the live tickets.
import type { Card } from "../../cards/model.js";
import { messages } from "../../cards/i18n/index.js";
import type { Locale, Status } from "../core/types.js";
import type { AppContext } from "./context.js";

export async function statsCard(ctx: AppContext, locale: Locale): Promise<Card> {
  const m = messages(locale);
  const now = ctx.now();
  const today = ctx.calendar.startOfLocalDay(ctx.calendar.localDate(now));
  const [byStatus, overdue, newToday] = await Promise.all([
    ctx.db.ticket.groupBy({ by: ["status"], _count: { _all: true } }),
    ctx.db.ticket.count({ where: { status: { in: ["open", "in_progress"] }, OR: [{ responseOverdue: true }, { resolutionOverdue: true }, { resolutionDueAt: { lt: now } }] } }),
    ctx.db.ticket.count({ where: { receivedAt: { gte: today } } }),
  ]);
  const count = (s: Status) => byStatus.find((r) => r.status === s)?._count._all ?? 0;
  const fields = (["open", "in_progress", "resolved", "closed"] as const).map((s) => ({ label: m.status[s], value: String(count(s)) }));
  fields.push({ label: m.overdue, value: String(overdue) }, { label: locale === "en" ? "New today" : "今日新增", value: String(newToday) });
  return { header: { title: m.card.statsTitle, color: "blue" }, blocks: [{ type: "fields", fields }], summary: m.card.statsTitle };
}
