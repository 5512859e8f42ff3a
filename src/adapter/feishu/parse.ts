// Decrypted Feishu payloads → normalised inbound events (src/platform/inbound.ts).
// Pure functions: the webhook route and the long-connection client both feed them.
import type { ActionValue } from "../../../cards/model.js";
import type { InboundAttachment, InboundCardAction, InboundMessage } from "../../platform/inbound.js";
import { implausibleMessage } from "../../platform/inbound.js";
import { capFeishuContent, capList, capText, type Cut } from "../../platform/limits.js";
import { parseReaction } from "./reaction.js";

export type FeishuParsed =
  | InboundMessage
  | InboundCardAction
  | { kind: "challenge"; challenge: string }
  | { kind: "ignored"; reason: string };

export interface ParseContext {
  /** Our app id: a mention carrying bot_info.app_id equal to it is the bot. */
  appId?: string;
  /** The bot's open_id (GET /open-apis/bot/v3/info); the exact way to spot the bot's @mention. */
  botOpenId?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

export function parseFeishuPayload(payload: unknown, ctx: ParseContext = {}): FeishuParsed {
  if (!isObj(payload)) return { kind: "ignored", reason: "payload is not an object" };
  if (payload.type === "url_verification") {
    const challenge = str(payload.challenge);
    return challenge ? { kind: "challenge", challenge } : { kind: "ignored", reason: "url_verification without challenge" };
  }
  if (payload.schema === "2.0" && isObj(payload.header)) {
    const header = payload.header;
    const event = isObj(payload.event) ? payload.event : {};
    switch (header.event_type) {
      case "im.message.receive_v1":
        return parseMessage(event, ctx);
      case "card.action.trigger":
        return parseCardAction(event, str(header.event_id));
      case "im.message.reaction.created_v1":
        return parseReaction(event, str(header.event_id));
      default:
        return { kind: "ignored", reason: `event type ${String(header.event_type)}` };
    }
  }
  if (isObj(payload.action) && ("open_id" in payload || "open_message_id" in payload)) return parseLegacyCardAction(payload);
  if (payload.type === "event_callback" && isObj(payload.event)) return { kind: "ignored", reason: `v1 event ${String(payload.event.type)}` };
  return { kind: "ignored", reason: "unrecognised payload" };
}

/**
 * The SDK's EventDispatcher hands handlers a flattened `{...header, ...event}` object
 * (https://github.com/larksuite/node-sdk; card token `c-…` overwrites header.token). Rebuild the v2 envelope.
 */
export function envelopeFromSdkEvent(eventType: string, data: Obj): Obj {
  const { event_id, create_time, event_type, tenant_key, app_id, schema: _schema, ...event } = data;
  return {
    schema: "2.0",
    header: { event_id, create_time, event_type: event_type ?? eventType, tenant_key, app_id },
    event,
  };
}

// ── messages ────────────────────────────────────────────────────────────────

export interface Mention {
  key: string;
  name?: string;
  openId?: string;
  isBot: boolean | undefined; // undefined: cannot tell
}

function readMentions(raw: unknown, ctx: ParseContext): Mention[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObj).map((m) => {
    const id = isObj(m.id) ? m.id : {};
    const openId = str(id.open_id);
    const botInfo = isObj(m.bot_info) ? m.bot_info : undefined;
    let isBot: boolean | undefined;
    if (m.key === "@_all") isBot = false;
    else if (ctx.botOpenId) isBot = openId === ctx.botOpenId;
    else if (ctx.appId && botInfo && str(botInfo.app_id)) isBot = botInfo.app_id === ctx.appId;
    else if (str(m.mentioned_type)) isBot = m.mentioned_type === "bot" || m.mentioned_type === "app";
    return { key: String(m.key ?? ""), name: str(m.name), openId, isBot };
  });
}

/**
 * Replace @_user_N placeholders in one pass, each by its exact token (longest key first, and never a
 * prefix of a longer token: "@_user_1" is not the start of "@_user_10"): drop the bot's, show others as
 * "@Name". One pass, so a name that looks like a key is never replaced again.
 */
function resolvePlaceholders(text: string, mentions: Mention[]): string {
  const byKey = new Map(mentions.filter((m) => m.key).map((m) => [m.key, m]));
  if (!byKey.size) return tidy(text);
  const keys = [...byKey.keys()].sort((x, y) => y.length - x.length).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const token = new RegExp(`(?:${keys.join("|")})(?![A-Za-z0-9_])`, "g");
  const out = text.replace(token, (key) => {
    const m = byKey.get(key)!;
    return m.isBot ? "" : m.name ? `@${m.name}` : key;
  });
  return tidy(out);
}

const tidy = (s: string): string =>
  s
    .split("\n")
    .map((l) => l.replace(/[ \t]{2,}/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();

function parseJson(s: unknown): Obj {
  if (typeof s !== "string") return {};
  try {
    const v: unknown = JSON.parse(s);
    return isObj(v) ? v : {};
  } catch {
    return {};
  }
}

/** Rich text (`post`): paragraphs of inline elements; images become attachments. */
function readPost(content: Obj, mentions: Mention[]): { text: string; attachments: InboundAttachment[] } {
  // Receive events carry {title, content}; some payloads wrap it per locale ({zh_cn: {...}}).
  const body = Array.isArray(content.content) ? content : (Object.values(content).find((v) => isObj(v) && Array.isArray(v.content)) as Obj | undefined) ?? {};
  const attachments: InboundAttachment[] = [];
  const lines: string[] = [];
  const title = str(body.title);
  if (title) lines.push(title);
  for (const para of Array.isArray(body.content) ? body.content : []) {
    if (!Array.isArray(para)) continue;
    let line = "";
    for (const el of para.filter(isObj)) {
      switch (el.tag) {
        case "text":
        case "code_block":
          line += String(el.text ?? "");
          break;
        case "a":
          line += str(el.href) && el.text !== el.href ? `${String(el.text ?? "")} (${String(el.href)})` : String(el.text ?? el.href ?? "");
          break;
        case "at": {
          const uid = String(el.user_id ?? "");
          const m = mentions.find((x) => x.key === uid || (x.openId !== undefined && x.openId === uid));
          if (m?.isBot) break;
          const name = m?.name ?? str(el.user_name);
          line += name ? `@${name}` : uid === "all" || uid === "@_all" ? "@all" : uid;
          break;
        }
        case "img":
          if (str(el.image_key)) attachments.push({ kind: "image", fileKey: String(el.image_key) });
          break;
        case "media":
          if (str(el.file_key)) attachments.push({ kind: "video", fileKey: String(el.file_key) });
          break;
        case "emotion":
          line += str(el.emoji_type) ? `[${String(el.emoji_type)}]` : "";
          break;
        default:
          if (typeof el.text === "string") line += el.text;
      }
    }
    lines.push(line);
  }
  return { text: resolvePlaceholders(lines.join("\n"), mentions), attachments };
}

/**
 * A message's text (placeholders resolved, the bot's mention dropped) and attachments, bounded; undefined
 * for message types ChatDesk does not read. Receive events and GET /open-apis/im/v1/messages/:message_id
 * items (https://open.feishu.cn/document/server-docs/im-v1/message/get) carry the same content JSON.
 */
export function readMessageContent(type: unknown, rawContent: unknown, rawMentions: unknown, ctx: ParseContext, cuts: Cut[]): { text: string; attachments: InboundAttachment[]; mentions: Mention[] } | undefined {
  const mentions = readMentions(capList(rawMentions, "mentions", cuts), ctx);
  const content = capFeishuContent(parseJson(rawContent), cuts);
  let text = "";
  const attachments: InboundAttachment[] = [];
  switch (type) {
    case "text":
      text = resolvePlaceholders(String(content.text ?? ""), mentions);
      break;
    case "post": {
      const post = readPost(content, mentions);
      text = post.text;
      attachments.push(...post.attachments);
      break;
    }
    case "image":
      if (str(content.image_key)) attachments.push({ kind: "image", fileKey: String(content.image_key) });
      break;
    case "file":
    case "audio":
    case "media": {
      const kind = type === "file" ? "file" : type === "audio" ? "audio" : "video";
      if (str(content.file_key)) attachments.push({ kind, fileKey: String(content.file_key), name: str(content.file_name) });
      break;
    }
    default:
      return undefined;
  }
  return { text: capText(text, cuts), attachments: capList(attachments, "attachments", cuts), mentions };
}

function parseMessage(event: Obj, ctx: ParseContext): FeishuParsed {
  const message = isObj(event.message) ? event.message : undefined;
  const sender = isObj(event.sender) ? event.sender : {};
  if (!message) return { kind: "ignored", reason: "message event without message" };
  // Only people open tickets; ignoring app senders also prevents bot-to-bot loops.
  if (sender.sender_type !== undefined && sender.sender_type !== "user") return { kind: "ignored", reason: `sender_type ${String(sender.sender_type)}` };
  const messageId = str(message.message_id);
  const chatId = str(message.chat_id);
  const senderId = isObj(sender.sender_id) ? str(sender.sender_id.open_id) : undefined;
  if (!messageId || !chatId || !senderId) return { kind: "ignored", reason: "message without id, chat or sender" };

  // Bounded before anything is walked (src/platform/limits.ts); what was cut travels with the event.
  const cuts: Cut[] = [];
  const read = readMessageContent(message.message_type, message.content, message.mentions, ctx, cuts);
  if (!read) return { kind: "ignored", reason: `message_type ${String(message.message_type)}` };
  const { text, attachments, mentions } = read;
  if (!text && attachments.length === 0) return { kind: "ignored", reason: "empty message" };

  const chatType = message.chat_type === "p2p" ? "p2p" : "group";
  // Without the bot's identity, a delivered @mention is taken to be ours: with the
  // group_at_msg scope Feishu only pushes group messages that @ the bot.
  const known = mentions.filter((m) => m.isBot !== undefined);
  const mentionedBot =
    chatType === "p2p" || mentions.some((m) => m.isBot === true) || (known.length === 0 && mentions.some((m) => m.key !== "@_all"));
  const createdMs = Number(message.create_time);
  const ev: InboundMessage = {
    kind: "message",
    platform: "feishu",
    dedupeId: messageId, // https://open.feishu.cn/document/server-docs/event-subscription-guide/overview: message_id, not event_id, is stable across re-pushes
    messageId,
    chatId,
    chatType,
    sender: { userId: senderId },
    people: mentions.flatMap((m) => (m.isBot !== true && m.openId && m.name ? [{ userId: m.openId, name: m.name }] : [])),
    text,
    mentionedBot,
    attachments,
    parentId: str(message.parent_id),
    rootId: str(message.root_id),
    sentAt: new Date(Number.isFinite(createdMs) && createdMs > 0 ? createdMs : Date.now()).toISOString(),
    ...(cuts.length ? { cut: cuts } : {}),
  };
  const implausible = implausibleMessage(ev);
  return implausible ? { kind: "ignored", reason: implausible } : ev;
}

// ── card callbacks ──────────────────────────────────────────────────────────

/** Callback values come back as we sent them; keep strings, stringify scalars, drop the rest. */
function toActionValue(v: unknown): ActionValue | undefined {
  if (!isObj(v) || typeof v.action !== "string" || v.action === "") return undefined;
  const out: ActionValue = { action: v.action };
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === "string") out[k] = x;
    else if (typeof x === "number" || typeof x === "boolean") out[k] = String(x);
  }
  return out;
}

function toForm(v: unknown): Record<string, string> | undefined {
  if (!isObj(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === "string") out[k] = x;
    else if (Array.isArray(x)) out[k] = x.map(String).join(",");
    else if (typeof x === "number" || typeof x === "boolean") out[k] = String(x);
  }
  return out;
}

function readAction(action: Obj): { value?: ActionValue; form?: Record<string, string>; option?: string } {
  const option = str(action.option) ?? (Array.isArray(action.options) ? action.options.map(String).join(",") : undefined) ?? str(action.input_value);
  return { value: toActionValue(action.value), form: toForm(action.form_value), option };
}

function parseCardAction(event: Obj, eventId: string | undefined): FeishuParsed {
  const operator = isObj(event.operator) ? event.operator : {};
  const action = isObj(event.action) ? event.action : {};
  const context = isObj(event.context) ? event.context : {};
  const actor = str(operator.open_id);
  const { value, form, option } = readAction(action);
  if (!actor) return { kind: "ignored", reason: "card action without operator" };
  if (!value) return { kind: "ignored", reason: "card action without an action value" };
  const dedupeId = eventId ?? str(event.token);
  if (!dedupeId) return { kind: "ignored", reason: "card action without event id or token" };
  return {
    kind: "card_action",
    platform: "feishu",
    dedupeId,
    actor: { userId: actor },
    chatId: str(context.open_chat_id),
    cardRef: str(context.open_message_id),
    value,
    ...(form ? { form } : {}),
    ...(option ? { option } : {}),
  };
}

/** card.action.trigger_v1 (https://open.feishu.cn/document/deprecated-guide/message-card/configuring-card-callbacks/card-callback-structure): clicker and message ids at top level. */
function parseLegacyCardAction(p: Obj): FeishuParsed {
  const { value, form, option } = readAction(p.action as Obj);
  const actor = str(p.open_id);
  const dedupeId = str(p.token);
  if (!actor) return { kind: "ignored", reason: "legacy card action without open_id" };
  if (!value) return { kind: "ignored", reason: "legacy card action without an action value" };
  if (!dedupeId) return { kind: "ignored", reason: "legacy card action without token" };
  return {
    kind: "card_action",
    platform: "feishu",
    dedupeId,
    actor: { userId: actor },
    chatId: str(p.open_chat_id),
    cardRef: str(p.open_message_id),
    value,
    ...(form ? { form } : {}),
    ...(option ? { option } : {}),
  };
}
