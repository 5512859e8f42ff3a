// Inbound events, normalised. Webhook and long-connection receivers of both platforms produce these,
// and one event path (src/app/inbound.ts) handles them.
import type { ActionValue } from "../../cards/model.js";
import type { FetchedMessage, InboundAttachment } from "./fetched.js";
import type { Cut } from "./limits.js";
import type { ChatPlatform } from "./port.js";

export type { FetchedMessage, InboundAttachment } from "./fetched.js";

export interface InboundMessage {
  kind: "message";
  platform: ChatPlatform;
  /** Dedupe key: the platform's message id (stable across redeliveries). */
  dedupeId: string;
  messageId: string;
  chatId: string;
  chatType: "group" | "p2p";
  sender: { userId: string; name?: string };
  /** Other people the message names, with the name the platform gave (Feishu mentions): the fallback for the name cache. */
  people?: { userId: string; name: string }[];
  /** Plain text with the bot mention removed, trimmed. */
  text: string;
  mentionedBot: boolean;
  attachments: InboundAttachment[];
  /** Feishu: thread root / parent message id when the message is a reply. */
  parentId?: string;
  rootId?: string;
  sessionWebhook?: string;
  sessionWebhookExpiresAt?: number;
  sentAt: string; // ISO
  /** What was left out because the message exceeded MESSAGE_LIMITS (src/platform/limits.ts). */
  cut?: Cut[];
  /**
   * Set when the event is not a message to the bot but a staff member turning another message into a
   * ticket: an emoji reaction on it (Feishu im.message.reaction.created_v1). `messageId` is then the
   * reacted message, `sender` the person who reacted, and the message itself is fetched after the ack.
   */
  reaction?: { emoji: string };
  /**
   * Set when a staff member chose ChatDesk's message shortcut (Feishu 消息快捷操作) on the message: like a
   * reaction, `messageId` is the chosen message and `sender` the person who acted (signed in to the console).
   */
  shortcut?: true;
  /** The message this one quotes / replies to, when the platform carries it inline (DingTalk repliedMsg). */
  quoted?: FetchedMessage;
}


export interface InboundCardAction {
  kind: "card_action";
  platform: ChatPlatform;
  dedupeId: string;
  actor: { userId: string; name?: string };
  chatId?: string;
  /** The card that was clicked: Feishu open_message_id, DingTalk outTrackId. */
  cardRef?: string;
  value: ActionValue;
  /** Form inputs (name → value) and the selected option / person of a select. */
  form?: Record<string, string>;
  option?: string;
  locale?: "zh-CN" | "en";
}

export type InboundEvent = InboundMessage | InboundCardAction;

/** Longest id / name a platform sends (real ones are < 100 characters); longer is garbage, not a ticket. */
const MAX_ID = 256;
const MAX_NAME = 128;
const MAX_URL = 2048;

/**
 * Why a parsed message is not plausible, or undefined. Signatures do not always cover the body (DingTalk
 * robot callbacks sign only the timestamp), so what gets stored is bounded here, for both platforms.
 */
export function implausibleMessage(ev: InboundMessage): string | undefined {
  const ids: [string, string | undefined][] = [
    ["message id", ev.messageId],
    ["dedupe id", ev.dedupeId],
    ["chat id", ev.chatId],
    ["sender id", ev.sender.userId],
    ["parent id", ev.parentId],
    ["root id", ev.rootId],
  ];
  for (const [what, v] of ids) if (v && v.length > MAX_ID) return `${what} longer than ${MAX_ID} characters`;
  if (ev.sender.name && ev.sender.name.length > MAX_NAME) return `sender name longer than ${MAX_NAME} characters`;
  if (ev.sessionWebhook && (ev.sessionWebhook.length > MAX_URL || !/^https?:\/\//.test(ev.sessionWebhook))) return "session webhook is not a plausible URL";
  return undefined;
}
