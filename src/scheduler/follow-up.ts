// The messages of one follow-up on one ticket: the reminder card (ticket card + banner, with its
// buttons) to each person directly, and a copy to the ticket's group and the department's group
// with those people @mentioned. Urgent tickets ring the direct copies where the platform can.
import { reminderCard, reminderText, type ReminderInfo } from "../../cards/reminder.js";
import { mdPlain } from "../../cards/safe-text.js";
import { SYSTEM_ACTOR, type Locale } from "../core/types.js";
import type { AppContext } from "../app/context.js";
import { dutyToday } from "../app/duty.js";
import { coverFor } from "../core/duty.js";
import { cardMessage } from "../app/notify.js";
import { namesForTicket } from "../app/names.js";
import { displayName, type NameBook } from "../app/people.js";
import { cardInput } from "../app/views.js";
import { attachmentCounts, type AttachmentCounts } from "../store/attachments.js";
import type { NewOutbound } from "../store/outbox.js";
import { recentEvents, type ExtraOp, type TicketEventRow, type TicketRow } from "../store/tickets.js";
import { directChat, groupTargets, platformsFor, recipientsOn } from "./audience.js";

export interface FollowUp {
  info: ReminderInfo;
  /** Person ids (or platform-qualified ids) who get the card directly. */
  direct: string[];
  /** Person ids @mentioned in the group copies. */
  mention: string[];
  /** Post to the ticket's and the department's groups: always, or only when nobody could be reached directly. */
  groups: "always" | "fallback" | "never";
  /** Raw platform user ids to @mention in the ticket's own group (the reporter, who is no configured person). */
  mentionUserIds?: string[];
}

/**
 * A handler of the ticket's department who is off duty today (roster, leave) is replaced by whoever
 * covers them; with nobody of the department on duty, by its leads. Leads and managers stay.
 */
async function coveredIds(ctx: AppContext, t: TicketRow, ids: string[]): Promise<string[]> {
  const dept = ctx.config.departments.find((d) => d.id === t.department);
  if (!dept || !ids.some((id) => dept.handlers.includes(id))) return ids;
  const today = await dutyToday(ctx);
  const out = ids.flatMap((id) => {
    if (!dept.handlers.includes(id) || dept.leads.includes(id) || dept.managers.includes(id)) return [id];
    const cover = coverFor(dept, id, today.date, today.isoWeekday, today.leaves);
    return cover ? [cover] : dept.leads;
  });
  return [...new Set(out)];
}

/** What a follow-up's cards are made of, read once per ticket: the timeline excerpt, attachments, and the cached names of the people shown. */
export interface FollowUpBase {
  events: TicketEventRow[];
  attachments: AttachmentCounts;
  names: NameBook;
}

export async function followUpBase(ctx: AppContext, t: TicketRow): Promise<FollowUpBase> {
  const [events, attachments] = await Promise.all([recentEvents(ctx.db, t.id, 3), attachmentCounts(ctx.db, t.id)]);
  return { events, attachments, names: await namesForTicket(ctx, t, events) };
}

/** `base`: when the caller already read it (to name people in the banner), so the names are loaded once. */
export async function followUpMessages(ctx: AppContext, t: TicketRow, given: FollowUp, base?: FollowUpBase): Promise<NewOutbound[]> {
  const f: FollowUp = { ...given, direct: await coveredIds(ctx, t, given.direct), mention: await coveredIds(ctx, t, given.mention) };
  const cfg = ctx.config;
  const b = base ?? (await followUpBase(ctx, t));
  const input = cardInput(ctx, t, b.events, b.attachments, {}, b.names);
  const render = (locale: Locale, mentions?: { platform: "feishu" | "dingtalk"; userId: string; name?: string }[]) =>
    reminderCard({ ...input, mentions }, f.info, { now: ctx.now(), timeZone: cfg.calendar.timeZone, locale });
  const urgent = t.priority === "urgent";
  const out: NewOutbound[] = [];
  // The @name a platform shows where it cannot draw the mention itself (DingTalk robot messages).
  const nameOf = (id: string, platform: string) => displayName(cfg, id, { platform, names: b.names, carried: id === t.reporterId ? t.reporterName : undefined });

  for (const platform of platformsFor(ctx, t)) {
    const direct = recipientsOn(cfg, f.direct, platform);
    const canRing = urgent && typeof ctx.senders[platform]?.urgent === "function";
    for (const r of direct) {
      out.push(cardMessage(platform, directChat(r.userId), render(r.locale), canRing ? { urgent: [r.userId] } : {}, t.id));
    }
    if (f.groups === "never" || (f.groups === "fallback" && direct.length)) continue;
    const mentioned = recipientsOn(cfg, f.mention, platform).map((r) => ({ platform, userId: r.userId, name: nameOf(r.id, platform) }));
    for (const g of groupTargets(cfg, t, platform)) {
      const extra = g.chatId === t.chatId ? (f.mentionUserIds ?? []).map((userId) => ({ platform, userId, name: nameOf(userId, platform) })) : [];
      const mentions = [...mentioned, ...extra.filter((x) => !mentioned.some((m) => m.userId === x.userId))];
      out.push(cardMessage(platform, g.chatId, render(t.locale as Locale, mentions.length ? mentions : undefined), { opts: g.replyTo ? { replyTo: g.replyTo } : undefined }, t.id));
    }
  }
  return out;
}

/** The banner text in the ticket's locale, for the timeline entry. */
export const followUpText = (ctx: AppContext, t: TicketRow, info: ReminderInfo): string =>
  mdPlain(reminderText(info, { locale: t.locale as Locale, timeZone: ctx.config.calendar.timeZone }));

/** A timeline entry by the system (reminder, escalated, nudge) that does not change the ticket. */
export const systemEvent =
  (ticketId: number, at: Date, kind: string, payload: Record<string, unknown>): ExtraOp =>
  (db) =>
    db.ticketEvent.create({
      data: { ticketId, at, actorId: SYSTEM_ACTOR.userId, actorName: SYSTEM_ACTOR.name ?? null, kind, source: "system", payload: JSON.stringify(payload) },
    });
