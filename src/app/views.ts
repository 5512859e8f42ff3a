// Turn stored tickets into what cards show: labels from the config, names, timeline excerpt.
import type { TicketCardInput } from "../../cards/ticket.js";
import { ticketCard } from "../../cards/ticket.js";
import type { Card } from "../../cards/model.js";
import type { WorkflowConfig } from "../config/schema.js";
import { pausedMinutes, slaOf } from "../core/sla.js";
import type { Locale, Priority, Role, Status } from "../core/types.js";
import { allPauses } from "../core/waiting.js";
import { attachmentCounts, type AttachmentCounts } from "../store/attachments.js";
import { recentEvents, type TicketEventRow, type TicketRow } from "../store/tickets.js";
import type { AppContext } from "./context.js";
import { codeLabels, eventDetail } from "./labels.js";
import { namesForTicket } from "./names.js";
import { displayName, EMPTY_NAMES, type NameBook } from "./people.js";

export { categoryLabel, departmentLabel } from "./labels.js";

export const personName = (cfg: WorkflowConfig, id: string | null | undefined): string | undefined =>
  id ? (cfg.people.find((p) => p.id === id)?.name ?? undefined) : undefined;

/** The other ticket a card speaks of: intake's duplicate suggestion, or the one this ticket was merged into. */
export type LinkedTicket = NonNullable<TicketCardInput["duplicate"]>;

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

/** Names and labels come from labels.ts / people.ts: the workflow file, then the platform's name (`names`), then what the event carried. */
export function cardInput(
  ctx: AppContext,
  t: TicketRow,
  events: TicketEventRow[],
  attachments: AttachmentCounts = { count: 0, images: 0 },
  linked: { duplicate?: LinkedTicket; mergedInto?: LinkedTicket } = {},
  names: NameBook = EMPTY_NAMES,
): TicketCardInput {
  const cfg = ctx.config;
  const locale = (t.locale as Locale) ?? cfg.locale;
  const labels = codeLabels(cfg, locale, names);
  const who = (id: string | null | undefined, carried?: string | null) => labels.person(id, { platform: t.platform, carried });
  const paused = waitingView(ctx, t);
  return {
    number: t.number,
    title: t.title,
    description: t.description,
    status: t.status as Status,
    priority: t.priority as Priority,
    categoryLabel: labels.category(t.category, t.subCategory),
    departmentLabel: labels.department(t.department),
    handlerLabel: t.handlerId ? who(t.handlerId, t.handlerName) : null,
    reporterLabel: who(t.reporterId, t.reporterName),
    authorLabel: t.sourceUserId ? who(t.sourceUserId, t.sourceUserName) : null,
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
    blocked: t.blockedAt ? { reason: t.blockedReason ?? "", by: who(t.blockedBy), at: t.blockedAt } : null,
    ...paused,
    // Who paused the clock: stored as the name the event carried, or the user id when it carried none.
    waiting: paused.waiting ? { ...paused.waiting, by: paused.waiting.by && who(paused.waiting.by) } : null,
    attachmentCount: attachments.count,
    imageCount: attachments.images,
    reportCount: t.reportCount,
    ...linked,
    version: t.version,
    timeline: events.map((e) => ({ at: e.at, actor: who(e.actorId, e.actorName), kind: e.kind, text: eventDetail(e, labels, t.platform) || undefined })),
    consoleUrl: ctx.publicUrl ? `${ctx.publicUrl.replace(/\/+$/, "")}/console/tickets/${t.number}` : undefined,
  };
}

/** What a ticket card shows besides the ticket row: its latest events, attachments, linked tickets and cached names. */
export interface CardExtras {
  events: TicketEventRow[];
  attachments: AttachmentCounts;
  linked: { duplicate?: LinkedTicket; mergedInto?: LinkedTicket };
  names: NameBook;
}

/** The group ticket card from what the caller has at hand (a new ticket's are known without reading). */
export function ticketCardOf(ctx: AppContext, t: TicketRow, x: CardExtras, viewerRoles?: ReadonlySet<Role>): Card {
  return ticketCard(cardInput(ctx, t, x.events, x.attachments, x.linked, x.names), {
    now: ctx.now(),
    timeZone: ctx.config.calendar.timeZone,
    locale: (t.locale as Locale) ?? ctx.config.locale,
    viewerRoles,
  });
}

/** The group ticket card as it is now. */
export async function currentTicketCard(ctx: AppContext, t: TicketRow, viewerRoles?: ReadonlySet<Role>): Promise<Card> {
  const [events, attachments, linked] = await Promise.all([
    recentEvents(ctx.db, t.id, 3),
    attachmentCounts(ctx.db, t.id),
    linkedTickets(ctx, t),
  ]);
  return ticketCardOf(ctx, t, { events, attachments, linked, names: await namesForTicket(ctx, t, events) }, viewerRoles);
}

async function linkedTickets(ctx: AppContext, t: TicketRow): Promise<{ duplicate?: LinkedTicket; mergedInto?: LinkedTicket }> {
  const ids = [t.duplicateOfId, t.mergedIntoId].filter((x): x is number => x !== null);
  if (!ids.length) return {};
  const rows = await ctx.db.ticket.findMany({ where: { id: { in: ids } }, select: { id: true, number: true, title: true, status: true } });
  const of = (id: number | null) => {
    const r = rows.find((x) => x.id === id);
    return r ? { number: r.number, title: r.title, status: r.status as Status } : undefined;
  };
  return { duplicate: of(t.duplicateOfId), mergedInto: of(t.mergedIntoId) };
}

/** A person's display name (people.ts): the workflow file, then the platform's cached name, else the bare id. */
export const personLabel = (cfg: WorkflowConfig, id: string, names?: NameBook): string => displayName(cfg, id, { names }) ?? id;
