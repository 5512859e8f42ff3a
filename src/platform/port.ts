// Outbound port: what the app needs from a chat platform. Feishu and DingTalk adapters implement it.
import type { Card } from "../../cards/model.js";
import type { AttachmentRef, Downloaded, FetchedMessage } from "./fetched.js";

export type ChatPlatform = "feishu" | "dingtalk";

export interface SendOptions {
  /** Reply in the thread of this platform message id (Feishu) when possible. */
  replyTo?: string;
  /** DingTalk: the robot callback's sessionWebhook and its expiry (epoch ms); used while valid. */
  sessionWebhook?: string;
  sessionWebhookExpiresAt?: number;
  /** Platform user ids to @mention. */
  mentions?: string[];
  /** A card without buttons (digests): DingTalk sends it as a robot markdown message, not into the 1 KB template slots. */
  readOnly?: boolean;
  /** Stable per outgoing message: lets a platform that supports it (Feishu's `uuid`) drop a repeat sent after a crash. */
  idempotencyKey?: string;
}

/** A platform failure. `retryable` decides whether the outbox tries again. */
export class PlatformError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "PlatformError";
  }
}

/** updateCard refused because the message can no longer be edited (past the platform's update window). */
export class CardNotUpdatableError extends PlatformError {
  constructor(message: string, status?: number) {
    super(message, false, status);
    this.name = "CardNotUpdatableError";
  }
}

export interface ChatSender {
  readonly platform: ChatPlatform;
  /** How long after sending a card can still be updated (Feishu: 14 days); unset: for as long as it exists. */
  readonly cardUpdateWindowMs?: number;
  /**
   * Send a card to a chat. chatId is the platform conversation id; DingTalk uses
   * "group:<openConversationId>" or "user:<userId>", Feishu a chat_id or "user:<open_id>". Returns the reference used to update it later
   * (Feishu message_id, DingTalk outTrackId or message key). `updatable: false`: the platform cannot edit
   * the message, and updateCard posts the new state as a new message into the same chat instead.
   */
  sendCard(chatId: string, card: Card, opts?: SendOptions): Promise<{ ref: string; updatable: boolean }>;
  /** Update a card previously sent, in place, for everyone who sees it. */
  updateCard(ref: string, card: Card): Promise<void>;
  /**
   * `unmentioned`: people in `opts.mentions` the platform could not @ in this message (DingTalk outside a
   * session webhook's life: its robot message API cannot @); the outbox tells each of them directly.
   */
  sendText(chatId: string, text: string, opts?: SendOptions): Promise<{ ref: string; unmentioned?: string[] }>;
  /** Urgent/"DING" notification for a sent message, where the app has the permission. */
  urgent?(ref: string, userIds: string[]): Promise<void>;
  /** The bot's own user id (Feishu: open_id), so receivers can tell whether a message @mentions it. */
  botUserId?(): Promise<string>;
  /** Read a message of a chat the bot is in (a reacted message, a thread's root); undefined when it is gone. */
  fetchMessage?(messageId: string): Promise<FetchedMessage | undefined>;
  /**
   * A user's display name from the platform's contact API, where the app has the (optional) scope;
   * undefined when the platform will not say (no scope, user outside the app's range). Throws only
   * PlatformError for a failure worth trying again later.
   */
  userName?(userId: string): Promise<string | undefined>;
  /**
   * Download one attachment through the platform's resource API, at most `limit` bytes (more throws
   * AttachmentTooBigError, src/platform/download.ts). Other failures are PlatformError.
   */
  download?(ref: AttachmentRef, limit: number): Promise<Downloaded>;
  /** Feishu: the jsapi_ticket a web page's JSAPI signature is made from (the message shortcut page). */
  jsapiTicket?(): Promise<{ ticket: string; expiresInS: number }>;
}
