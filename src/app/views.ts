// Turn stored tickets into what cards show: labels from the config, names, timeline excerpt.
import type { TicketCardInput } from "../../cards/ticket.js";
import { ticketCard } from "../../cards/ticket.js";
import type { Card } from "../../cards/model.js";
import type { WorkflowConfig } from "../config/schema.js";
import { pausedMinutes, slaOf } from "../core/sla.js";
import type { Locale, Priority, Role, Status } from "../core/types.js";
import { allPauses } from "../core/waiting.js";
import { recentEvents, type TicketEventRow, type TicketRow } from "../store/tickets.js";
import type { AppContext } from "./context.js";

export function categoryLabel(cfg: WorkflowConfig, category: string, sub?: string | null, locale: Locale = cfg.locale): string {
  const c = cfg.categories.find((x) => x.id === category);
  if (!c) return category;
  const name = locale === "en" ? (c.nameEn ?? c.name) : c.name;
  const s = sub ? c.subCategories.find((x) => x.id === sub) : undefined;
  return s ? `${name} / ${locale === "en" ? (s.nameEn ?? s.name) : s.name}` : name;
}

export function departmentLabel(cfg: WorkflowConfig, id: string, locale: Locale = cfg.locale): string {
  const d = cfg.departments.find((x) => x.id === id);
  return d ? (locale === "en" ? (d.nameEn ?? d.name) : d.name) : id;
}

export const personName = (cfg: WorkflowConfig, id: string | null | undefined): string | undefined =>
  id ? (cfg.people.find((p) => p.id === id)?.name ?? undefined) : undefined;

const eventText = (e: TicketEventRow): string | undefined => {
  try {
    const p = JSON.parse(e.payload) as Record<string, unknown>;
    const t = p.text ?? p.result ?? p.reason ?? p.plan ?? (p.to as string | undefined) ?? (p.score !== undefined ? `${p.score}/5` : undefined);
    return typeof t === "string" ? t : t === undefined ? undefined : String(t);
  } catch {
    return undefined;
  }
};

/** The waiting stretch now and the time paused in all, in the SLA clock of the ticket's priority. */
export function waitingView(ctx: AppContext, t: TicketRow): Pick<TicketCardInput, "waiting" | "pausedMinutes" | "workingClock"> {
  const now = ctx.now();
  let clock: "working" | "calendar" = "working";
  try {
    clock = slaOf(ctx.config.sla, t.priority as Priority).clock;
  } catch {
    // an unknown priority shows working time
  }
  const total = pausedMinutes(ctx.calendar, clock, t.receivedAt, now, allPauses(t));
  const waiting = t.waitingSince
    ? { on: t.waitingOn ?? "customer", reason: t.waitingReason ?? "", by: t.waitingBy ?? "", at: t.waitingSince, minutes: pausedMinutes(ctx.calendar, clock, t.waitingSince, now, [{ from: t.waitingSince, to: null }]) }
    : null;
  return { waiting, pausedMinutes: total, workingClock: clock === "working" };
}

export function cardInput(ctx: AppContext, t: TicketRow, events: TicketEventRow[], attachmentCount = 0): TicketCardInput {
  const cfg = ctx.config;
  const locale = (t.locale as Locale) ?? cfg.locale;
  return {
    number: t.number,
    title: t.title,
    description: t.description,
    status: t.status as Status,
    priority: t.priority as Priority,
    categoryLabel: categoryLabel(cfg, t.category, t.subCategory, locale),
    departmentLabel: departmentLabel(cfg, t.department, locale),
    handlerLabel: personName(cfg, t.handlerId) ?? t.handlerName,
    reporterLabel: t.reporterName ?? t.reporterId,
    customerName: t.customerName,
    customerId: t.customerId,
    customerTier: t.customerTier,
    customerContact: t.customerContact,
    channel: t.channel,
    product: [t.product, t.productVersion].filter(Boolean).join(" ") || null,
    expectedDate: t.expectedDate,
    receivedAt: t.receivedAt,
    responseDueAt: t.responseDueAt,
    resolutionDueAt: t.resolutionDueAt,
    firstResponseAt: t.firstResponseAt,
    resolvedAt: t.resolvedAt,
    plan: t.plan,
    result: t.result,
    satisfaction: t.satisfaction,
    blocked: t.blockedAt ? { reason: t.blockedReason ?? "", by: t.blockedBy ?? "", at: t.blockedAt } : null,
    ...waitingView(ctx, t),
    attachmentCount,
    version: t.version,
    timeline: events.map((e) => ({ at: e.at, actor: e.actorName ?? e.actorId, kind: e.kind, text: eventText(e) })),
    consoleUrl: ctx.publicUrl ? `${ctx.publicUrl.replace(/\/+$/, "")}/console/tickets/${t.number}` : undefined,
  };
}

/** The group ticket card as it is now. */
export async function currentTicketCard(ctx: AppContext, t: TicketRow, viewerRoles?: ReadonlySet<Role>): Promise<Card> {
  const [events, attachments] = await Promise.all([
    recentEvents(ctx.db, t.id, 3),
    ctx.db.attachment.count({ where: { ticketId: t.id } }),
  ]);
  return ticketCard(cardInput(ctx, t, events, attachments), {
    now: ctx.now(),
    timeZone: ctx.config.calendar.timeZone,
    locale: (t.locale as Locale) ?? ctx.config.locale,
    viewerRoles,
  });
}

/** A person's name from the workflow file, or their bare platform id. */
export const personLabel = (cfg: WorkflowConfig, id: string): string =>
  cfg.people.find((p) => p.id === id)?.name ?? id.replace(/^(feishu|dingtalk):/, "");
