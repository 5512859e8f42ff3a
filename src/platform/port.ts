// Outbound port: what the app needs from a chat platform. Feishu and DingTalk adapters implement it.
import type { Card } from "../../cards/model.js";

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

export interface ChatSender {
  readonly platform: ChatPlatform;
  /**
   * Send a card to a chat. chatId is the platform conversation id; DingTalk uses
   * "group:<openConversationId>" or "user:<userId>", Feishu a chat_id or "user:<open_id>". Returns the reference used to update it later
   * (Feishu message_id, DingTalk outTrackId or message key).
   */
  sendCard(chatId: string, card: Card, opts?: SendOptions): Promise<{ ref: string; updatable: boolean }>;
  /** Update a card previously sent, in place, for everyone who sees it. */
  updateCard(ref: string, card: Card): Promise<void>;
  sendText(chatId: string, text: string, opts?: SendOptions): Promise<{ ref: string }>;
  /** Urgent/"DING" notification for a sent message, where the app has the permission. */
  urgent?(ref: string, userIds: string[]): Promise<void>;
  /** The bot's own user id (Feishu: open_id), so receivers can tell whether a message @mentions it. */
  botUserId?(): Promise<string>;
  /**
   * A user's display name from the platform's contact API, where the app has the (optional) scope;
   * undefined when the platform will not say (no scope, user outside the app's range). Throws only
   * PlatformError for a failure worth trying again later.
   */
  userName?(userId: string): Promise<string | undefined>;
}
