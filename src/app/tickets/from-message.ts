// Tickets from messages that are already in the conversation: an @bot reply in a thread takes the thread's
// root (and its author) into the ticket, a DingTalk quote the quoted message, and a staff member's
// configured reaction on any group message turns that message into a ticket (docs/intake.md).
import { isChatDeskError } from "../../core/errors.js";
import { personByPlatformId } from "../../core/routing.js";
import type { Locale } from "../../core/types.js";
import type { FetchedMessage, InboundMessage } from "../../platform/inbound.js";
import { PlatformError } from "../../platform/port.js";
import { findTicketById } from "../../store/tickets.js";
import type { AppContext } from "../context.js";
import { errorText } from "../errors-to-text.js";
import { announceTicket } from "../notify.js";
import { submitFeedback, type InboundMark } from "./submit.js";

export interface FromMessageTurn {
  text: string;
  cutNote?: string;
  locale: Locale;
  reply: (text: string) => Promise<void>;
  /** The stored inbound event being processed: marked done in the new ticket's transaction. */
  inbound?: InboundMark;
}

/** An @bot message that is not a command: a new ticket, with the thread's root or the quoted message if there is one. */
export async function ticketFromMessage(ctx: AppContext, msg: InboundMessage, turn: FromMessageTurn): Promise<void> {
  const hooks = { sessionWebhook: msg.sessionWebhook, sessionWebhookExpiresAt: msg.sessionWebhookExpiresAt };
  // Processing again after a crash between the insert and finishInbound: the ticket exists already.
  // Announcing again is safe, its outbox rows are deduplicated.
  // (On SQLite the creation is one transaction, so this is D1's case: its statements run one by one.)
  const existing = await ctx.db.ticket.findFirst({ where: { platform: msg.platform, chatId: msg.chatId, messageId: msg.messageId }, select: { id: true } });
  const made = existing && (await findTicketById(ctx.db, existing.id));
  if (made) return announceTicket(ctx, made, hooks);
  const source = await sourceMessage(ctx, msg);
  const text = [source?.text, turn.text].filter(Boolean).join("\n");
  // The root's / quoted message's files live in that message: its id is what the resource API needs.
  const attachments = [...(source?.attachments ?? []).map((a) => ({ messageId: source!.messageId, ...a })), ...msg.attachments];
  const author = source?.senderId && source.senderId !== msg.sender.userId ? { userId: source.senderId, name: source.senderName ?? nameOf(ctx, msg, source.senderId) } : undefined;
  try {
    await submitFeedback(ctx, {
      text: text || `[${attachments.map((a) => a.kind).join(", ")}]`,
      reporter: { platform: msg.platform, userId: msg.sender.userId, name: msg.sender.name },
      platform: msg.platform,
      chatId: msg.chatId,
      messageId: msg.messageId,
      attachments,
      source: "message",
      cut: msg.cut,
      cutNote: turn.cutNote,
      author,
      via: source ? (msg.quoted ? "quote" : "thread") : undefined,
      announce: hooks,
      inbound: turn.inbound,
    });
  } catch (e) {
    if (!isChatDeskError(e)) throw e; // unexpected: let the inbound retry take it
    await turn.reply(errorText(e, turn.locale).text);
  }
}

/** A staff member's reaction on a group message: that message becomes a ticket, reported by them. */
export async function ticketFromReaction(ctx: AppContext, msg: InboundMessage, inbound?: InboundMark): Promise<void> {
  if (!ctx.config.intake.reactions.includes(msg.reaction?.emoji ?? "")) return;
  return ticketFromExisting(ctx, msg, "reaction", inbound);
}

/** A message someone in `people` pointed at (a reaction, the message shortcut) becomes a ticket, reported by them. */
export async function ticketFromExisting(ctx: AppContext, msg: InboundMessage, via: "reaction" | "shortcut", inbound?: InboundMark): Promise<void> {
  const staff = personByPlatformId(ctx.config, msg.platform, msg.sender.userId);
  if (!staff) return ctx.log.info(`${via} by someone not in people ignored`, { platform: msg.platform, userId: msg.sender.userId });
  const original = await fetchMessage(ctx, msg, msg.messageId);
  if (!original?.chatId || original.fromApp) return ctx.log.info(`${via}: message gone or the bot's own`, { messageId: msg.messageId });
  const existing = await ctx.db.ticket.findFirst({ where: { platform: msg.platform, messageId: original.messageId } });
  if (existing) return ctx.log.info(`${via}: message is a ticket already`, { number: existing.number });
  await submitFeedback(ctx, {
    text: original.text || `[${original.attachments.map((a) => a.kind).join(", ")}]`,
    reporter: { platform: msg.platform, userId: msg.sender.userId, name: staff.name },
    platform: msg.platform,
    chatId: original.chatId,
    messageId: original.messageId,
    attachments: original.attachments,
    source: "message",
    author: original.senderId && original.senderId !== msg.sender.userId ? { userId: original.senderId, name: nameOf(ctx, msg, original.senderId) } : undefined,
    via,
    announce: {},
    inbound,
  });
}

/** The thread's root (Feishu root_id) or the quoted message (carried inline), when it is not this message. */
async function sourceMessage(ctx: AppContext, msg: InboundMessage): Promise<FetchedMessage | undefined> {
  if (msg.quoted) return msg.quoted;
  if (!msg.rootId || msg.rootId === msg.messageId) return undefined;
  const root = await fetchMessage(ctx, msg, msg.rootId);
  return root && !root.fromApp ? root : undefined;
}

/** A retryable failure throws (the inbound retry reads it again); a message that is gone or unreadable is skipped. */
async function fetchMessage(ctx: AppContext, msg: InboundMessage, id: string): Promise<FetchedMessage | undefined> {
  const sender = ctx.senders[msg.platform];
  if (!sender?.fetchMessage) return undefined;
  try {
    return await sender.fetchMessage(id);
  } catch (e) {
    if (e instanceof PlatformError && !e.retryable) {
      ctx.log.warn("message could not be read", { platform: msg.platform, messageId: id, error: e.message });
      return undefined;
    }
    throw e;
  }
}

const nameOf = (ctx: AppContext, msg: InboundMessage, userId: string) => personByPlatformId(ctx.config, msg.platform, userId)?.name;
