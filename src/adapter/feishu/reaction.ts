// A staff member's emoji reaction on a message in a group → "make this message a ticket".
import type { InboundMessage } from "../../platform/inbound.js";
import { implausibleMessage } from "../../platform/inbound.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * im.message.reaction.created_v1 (https://open.feishu.cn/document/server-docs/im-v1/message-reaction/event/created):
 * {message_id, reaction_type: {emoji_type}, operator_type, user_id: {open_id}, action_time}. It names neither
 * the chat nor the message's author, so the message is read back after the ack (FeishuSender.fetchMessage).
 */
export function parseReaction(event: Obj, eventId: string | undefined): InboundMessage | { kind: "ignored"; reason: string } {
  const messageId = str(event.message_id);
  const emoji = isObj(event.reaction_type) ? str(event.reaction_type.emoji_type) : undefined;
  const userId = isObj(event.user_id) ? str(event.user_id.open_id) : undefined;
  if (event.operator_type !== undefined && event.operator_type !== "user") return { kind: "ignored", reason: `reaction by ${String(event.operator_type)}` };
  if (!messageId || !emoji || !userId) return { kind: "ignored", reason: "reaction without message, emoji or user" };
  const at = Number(event.action_time);
  const ev: InboundMessage = {
    kind: "message",
    platform: "feishu",
    // One reaction of one person on one message: re-pushes (new event ids) and a removed-and-added reaction dedupe.
    dedupeId: `reaction:${messageId}:${userId}:${emoji}`,
    messageId,
    chatId: "",
    chatType: "group",
    sender: { userId },
    text: "",
    mentionedBot: false,
    attachments: [],
    sentAt: new Date(Number.isFinite(at) && at > 0 ? at : Date.now()).toISOString(),
    reaction: { emoji },
  };
  void eventId;
  const implausible = implausibleMessage(ev);
  return implausible || emoji.length > 64 ? { kind: "ignored", reason: implausible ?? "emoji type too long" } : ev;
}
