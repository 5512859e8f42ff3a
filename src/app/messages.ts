// Chat messages: commands, progress replies in a ticket's thread or as `#<number> text`, and
// everything else becomes a new ticket.
import { fmt, messages } from "../../cards/i18n/index.js";
import { helpCard } from "../../cards/help.js";
import { listCard } from "../../cards/list.js";
import { submitFormCard } from "../../cards/submit-form.js";
import { isChatDeskError } from "../core/errors.js";
import { findTicketNumbers } from "../core/numbering.js";
import { personByPlatformId } from "../core/routing.js";
import type { TicketAction } from "../core/state-machine.js";
import type { Actor, Locale, Priority, Status } from "../core/types.js";
import type { InboundMessage } from "../platform/inbound.js";
import type { SendOptions } from "../platform/port.js";
import { rememberChatSession } from "../store/chat-sessions.js";
import { listTickets, OPEN_STATUSES } from "../store/ticket-query.js";
import { findTicketByMessage } from "../store/tickets.js";
import { handleCalendarCommand, isCalendarCommand } from "./calendar/commands.js";
import type { AppContext } from "./context.js";
import { cutNote } from "./cut-note.js";
import { dutyCommand, isDutyCommand } from "./duty-commands.js";
import { errorText } from "./errors-to-text.js";
import { cardMessage, send, textMessage, ticketChanged } from "./notify.js";
import { actorRoles } from "./roles.js";
import { statsCard } from "./stats.js";
import { performAction, type ActionArgs } from "./tickets/act.js";
import { ticketFromMessage, ticketFromExisting, ticketFromReaction } from "./tickets/from-message.js";
import type { InboundMark } from "./tickets/submit.js";
import { splitWaitingText } from "./tickets/waiting.js";
import { categoryLabel } from "./views.js";
import { whoamiText } from "./whoami.js";
import { learnNames } from "./names.js";

/** Text commands; they also stand in for buttons where a platform has no interactive card. */
const TEXT_ACTIONS: Record<string, { action: TicketAction; arg?: keyof ActionArgs }> = {
  claim: { action: "claim" },
  progress: { action: "progress", arg: "text" },
  plan: { action: "plan", arg: "text" },
  resolve: { action: "resolve", arg: "text" },
  confirm: { action: "confirm", arg: "score" },
  rate: { action: "rate", arg: "score" },
  reopen: { action: "reopen", arg: "text" },
  reject: { action: "reject", arg: "text" },
  priority: { action: "priority", arg: "priority" },
  assign: { action: "reassign", arg: "target" },
  reassign: { action: "reassign", arg: "target" },
  note: { action: "note", arg: "text" },
  merge: { action: "merge", arg: "into" },
  not_duplicate: { action: "not_duplicate" },
  block: { action: "block", arg: "text" },
  unblock: { action: "unblock", arg: "text" },
  wait: { action: "wait", arg: "on" },
  resume: { action: "resume", arg: "text" },
};

/** `inbound`: the stored event being processed; a ticket it becomes marks it done in the same transaction. */
export async function handleMessage(ctx: AppContext, msg: InboundMessage, inbound?: InboundMark): Promise<void> {
  if (msg.reaction) return ticketFromReaction(ctx, msg, inbound);
  if (msg.shortcut) return ticketFromExisting(ctx, msg, "shortcut", inbound);
  const actor: Actor = { platform: msg.platform, userId: msg.sender.userId, name: msg.sender.name };
  const person = personByPlatformId(ctx.config, msg.platform, msg.sender.userId);
  const locale: Locale = person?.locale ?? ctx.config.locale;
  const m = messages(locale);
  const opts: SendOptions = { replyTo: msg.messageId, sessionWebhook: msg.sessionWebhook, sessionWebhookExpiresAt: msg.sessionWebhookExpiresAt };
  // Later notices to this conversation (a card click, a reminder) @ people through it while it lasts.
  if (msg.sessionWebhook && msg.sessionWebhookExpiresAt) await rememberChatSession(ctx.db, msg.platform, msg.chatId, msg.sessionWebhook, new Date(msg.sessionWebhookExpiresAt));
  const reply = (text: string) => send(ctx, [textMessage(msg.platform, msg.chatId, text, opts)]);
  const text = msg.text.trim();
  const cut = cutNote(msg.cut, locale);
  if (cut) ctx.log.warn("inbound message cut to bounds", { platform: msg.platform, messageId: msg.messageId, cut: msg.cut });
  /** Progress or a note from a message that was cut says so in its own text. */
  const withCut = (t: string) => (cut ? `${t}\n（${cut}）` : t);

  // A reply in a ticket card's thread is progress (from its handler) or a note (from anyone else).
  const threadTicket = msg.rootId || msg.parentId ? await findTicketByMessage(ctx.db, msg.platform, [msg.rootId ?? "", msg.parentId ?? ""]) : null;
  // Names of people outside the workflow file, for the cards that follow (after the ack; bounded wait).
  const learn = () => learnNames(ctx, msg.platform, [{ userId: msg.sender.userId, name: msg.sender.name }, ...(msg.people ?? [])]);
  if (threadTicket && text && !text.startsWith("/")) {
    await learn();
    const roles = actorRoles(ctx.config, actor, threadTicket);
    const action: TicketAction = roles.has("handler") || roles.has("lead") || roles.has("manager") ? "progress" : "note";
    return act(ctx, threadTicket.number, action, actor, { text: withCut(text) }, reply, locale);
  }
  // Group chatter that is not for us; a command in a ticket card's thread is (`/wait customer …`).
  if (msg.chatType === "group" && !msg.mentionedBot && !threadTicket) return;
  await learn();

  const command = /^\/(\w+)\s*([\s\S]*)$/.exec(text);
  if (command) return handleCommand(ctx, msg, command[1]!.toLowerCase(), command[2]!.trim(), { actor, locale, opts, reply, threadTicket: threadTicket?.number });

  // "#FB20240521001 text" adds progress to that ticket.
  const hashed = /^#\s*([A-Za-z]{1,6}\d{11,})\s+([\s\S]+)$/.exec(text);
  if (hashed) {
    const number = hashed[1]!.toUpperCase();
    const t = await ctx.db.ticket.findUnique({ where: { number } });
    if (t) {
      const roles = actorRoles(ctx.config, actor, t);
      const action: TicketAction = roles.has("handler") || roles.has("lead") || roles.has("manager") ? "progress" : "note";
      return act(ctx, number, action, actor, { text: withCut(hashed[2]!.trim()) }, reply, locale);
    }
  }

  // An @bot that only points at a thread's root or a quoted message still makes a ticket of it.
  if (!text && !msg.attachments.length && !msg.rootId && !msg.quoted) return send(ctx, [cardMessage(msg.platform, msg.chatId, helpCard(locale), { opts })]);
  return ticketFromMessage(ctx, msg, { text, cutNote: cut, locale, reply, inbound });
}

interface Turn {
  actor: Actor;
  locale: Locale;
  opts: SendOptions;
  reply: (text: string) => Promise<void>;
  /** The ticket whose card thread the command was written in: `/wait customer …` there needs no number. */
  threadTicket?: string;
}

/** `/name rest`: the commands, and the text stand-ins for card buttons. */
async function handleCommand(ctx: AppContext, msg: InboundMessage, name: string, rest: string, turn: Turn): Promise<void> {
  const { actor, locale, opts, reply } = turn;
  const m = messages(locale);
  if (name === "help") return send(ctx, [cardMessage(msg.platform, msg.chatId, helpCard(locale), { opts })]);
  if (name === "whoami") return reply(whoamiText(ctx, msg, locale));
  if (name === "new") {
    const cats = ctx.config.categories.map((c) => ({ id: c.id, label: categoryLabel(ctx.config, c.id, null, locale) }));
    return send(ctx, [cardMessage(msg.platform, msg.chatId, submitFormCard(locale, cats), { opts })]);
  }
  if (name === "list" || name === "find") return sendList(ctx, msg, actor, name === "find" ? rest : undefined, opts, locale);
  if (isCalendarCommand(name)) return handleCalendarCommand(ctx, msg, name, rest, opts, locale);
  if (isDutyCommand(name)) return reply(await dutyCommand(ctx, name, rest, actor, locale));
  if (name === "stats") return send(ctx, [cardMessage(msg.platform, msg.chatId, await statsCard(ctx, locale, rest), { opts: { ...opts, readOnly: true } })]);
  const ta = TEXT_ACTIONS[name];
  if (ta) {
    const [num, ...more] = rest.split(/\s+/);
    const named = num ? findTicketNumbers(num)[0] : undefined;
    const number = named ?? turn.threadTicket;
    if (!number) return reply(m.card.helpBody);
    const words = named ? more : rest.split(/\s+/).filter(Boolean);
    const argText = words.join(" ");
    const args: ActionArgs = {};
    if (ta.arg === "score") {
      const [score, ...comment] = words;
      args.score = score ? Number(score) : undefined;
      args.comment = comment.join(" ") || undefined;
    } else if (ta.arg === "priority") args.priority = priorityWord(argText);
    else if (ta.arg === "on") Object.assign(args, splitWaitingText(argText));
    else if (ta.arg) (args as Record<string, string>)[ta.arg] = argText;
    return act(ctx, number, ta.action, actor, args, reply, locale);
  }
  return send(ctx, [cardMessage(msg.platform, msg.chatId, helpCard(locale), { opts })]);
}

async function act(ctx: AppContext, number: string, action: TicketAction, actor: Actor, args: ActionArgs, reply: (t: string) => Promise<void>, locale: Locale): Promise<void> {
  try {
    const r = await performAction(ctx, number, action, actor, args, "command");
    await ticketChanged(ctx, r.before, r.ticket);
    for (const o of r.related) await ticketChanged(ctx, o.before, o.after);
    // Every command is answered, also where no card shows the result (DingTalk without a template).
    const m = messages(locale);
    const done = action === "progress" || action === "note" ? m.card.progressAdded : m.card.commandDone;
    await reply(fmt(done, { number: r.ticket.number, action: m.toast.actionVerb[action] ?? (m.action as Record<string, string>)[action] ?? action }));
  } catch (e) {
    if (!isChatDeskError(e)) throw e;
    await reply(errorText(e, locale, action).text);
  }
}

const PRIORITY_WORDS: Record<string, Priority> = { 紧急: "urgent", 高: "high", 中: "medium", 低: "low", urgent: "urgent", high: "high", medium: "medium", low: "low" };
const priorityWord = (w: string): string => PRIORITY_WORDS[w.trim().toLowerCase()] ?? w.trim();

async function sendList(ctx: AppContext, msg: InboundMessage, actor: Actor, query: string | undefined, opts: SendOptions, locale: Locale): Promise<void> {
  const m = messages(locale);
  const person = personByPlatformId(ctx.config, msg.platform, actor.userId);
  const mine = query === undefined;
  const filter = mine ? { status: OPEN_STATUSES, involving: { reporterId: actor.userId, handlerId: person?.id } } : { text: query };
  const result = await listTickets(ctx.db, filter, 1, 10);
  const now = ctx.now();
  const items = result.rows.map((t) => ({
    number: t.number,
    title: t.title,
    status: t.status as Status,
    priority: t.priority as Priority,
    resolutionDueAt: t.resolutionDueAt,
    overdue: (t.status === "open" || t.status === "in_progress") && now > t.resolutionDueAt,
    url: ctx.publicUrl ? `${ctx.publicUrl.replace(/\/+$/, "")}/console/tickets/${t.number}` : undefined,
  }));
  const title = mine ? m.card.listTitle : fmt(m.card.findTitle, { q: query ?? "" });
  await send(ctx, [cardMessage(msg.platform, msg.chatId, listCard(title, items, result.total, { locale, timeZone: ctx.config.calendar.timeZone }), { opts })]);
}
