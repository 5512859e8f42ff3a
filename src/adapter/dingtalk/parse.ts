// DingTalk payloads → normalised inbound events. Robot callbacks look the same over HTTP and Stream
// (https://open.dingtalk.com/document/development/receive-message, https://open-dingtalk.github.io/developerpedia/docs/learn/stream/protocol); card callbacks carry `content` or `value` as a JSON string (https://open.dingtalk.com/document/development/event-callback-card).
import type { ActionValue } from "../../../cards/model.js";
import type { FetchedMessage, InboundAttachment, InboundCardAction, InboundMessage } from "../../platform/inbound.js";
import { implausibleMessage } from "../../platform/inbound.js";
import { capDingTalkContent, capList, capText, type Cut } from "../../platform/limits.js";

export type Parsed<T> = { event: T } | { ignored: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined);

function jsonMaybe(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

/* ----------------------------- robot messages ----------------------------- */

const FILE_KINDS: Record<string, InboundAttachment["kind"]> = { picture: "image", file: "file", audio: "audio", video: "video" };

function attachmentsOf(msgtype: string, content: unknown): { text: string; attachments: InboundAttachment[] } {
  const attachments: InboundAttachment[] = [];
  const texts: string[] = [];
  const c = jsonMaybe(content);
  if (!isObj(c)) return { text: "", attachments };
  if (msgtype === "richText" && Array.isArray(c.richText)) {
    for (const part of c.richText) {
      if (!isObj(part)) continue;
      const code = str(part.downloadCode) ?? str(part.pictureDownloadCode);
      // Parts are {text} / {downloadCode, type}; inside a quoted reply they are {msgType, content} / {msgType, downloadCode}.
      if (code) attachments.push({ kind: FILE_KINDS[str(part.type) ?? str(part.msgType) ?? "picture"] ?? "image", fileKey: code });
      else if (typeof part.text === "string") texts.push(part.text);
      else if (part.msgType === "text" && typeof part.content === "string") texts.push(part.content);
    }
  } else {
    const code = str(c.downloadCode) ?? str(c.pictureDownloadCode);
    const kind = FILE_KINDS[msgtype];
    if (code && kind) attachments.push({ kind, fileKey: code, ...(str(c.fileName) ? { name: str(c.fileName) } : {}) });
    // Audio arrives with DingTalk's own speech-to-text; it is the closest thing to text we get.
    if (msgtype === "audio" && typeof c.recognition === "string") texts.push(c.recognition);
  }
  return { text: texts.join(""), attachments };
}

/**
 * The message a reply quotes (引用回复 + @bot): `text.isReplyMsg` with `text.repliedMsg` {msgId, msgType,
 * senderId, content}. The official robot docs (https://open.dingtalk.com/document/development/receive-message)
 * do not list these fields; this is the shape DingTalk clients deliver (plain text in content.text or
 * content.content, rich text in content.richText). A quoted bot card (interactiveCard) carries no usable text.
 */
function quotedOf(body: Obj, cuts: Cut[]): FetchedMessage | undefined {
  const t = isObj(body.text) ? body.text : undefined;
  const r = t && t.isReplyMsg === true && isObj(t.repliedMsg) ? t.repliedMsg : undefined;
  const msgId = r ? (str(r.msgId) ?? str(body.originalMsgId)) : undefined;
  if (!r || !msgId) return undefined;
  const type = str(r.msgType) ?? "text";
  const content = jsonMaybe(r.content);
  const c = isObj(content) ? content : {};
  const read = type === "text" ? { text: str(c.text) ?? str(c.content) ?? (typeof content === "string" ? content : ""), attachments: [] } : attachmentsOf(type, capDingTalkContent(c, cuts));
  return {
    messageId: msgId,
    senderId: str(r.senderStaffId) ?? str(r.senderId),
    fromApp: type === "interactiveCard",
    text: cleanText(capText(read.text, cuts)),
    attachments: capList(read.attachments, "attachments", cuts),
  };
}

const quotedField = (q: FetchedMessage | undefined) => (q && !q.fromApp && (q.text || q.attachments.length) ? { quoted: q } : {});

/** Zero-width and no-break spaces surround mentions in DingTalk text. */
const cleanText = (s: string) => s.replace(/[\u200b-\u200d\ufeff]/g, "").replace(/\u00a0/g, " ").trim();

/** Last millisecond of year 9999: past it a Date has no ISO form (toISOString throws) and the store refuses it. */
const MAX_EPOCH_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** DingTalk's times are epoch milliseconds, as a number or digits; anything else (or out of range) is none. */
function epochMs(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= MAX_EPOCH_MS ? n : undefined;
}

const isoOf = (v: unknown): string => new Date(epochMs(v) ?? Date.now()).toISOString();

/**
 * A robot callback body (HTTP POST body, or the Stream frame's `data` already JSON-parsed).
 * 1:1 chats become chatId "user:<staffId>", groups "group:<openConversationId>".
 */
export function parseRobotMessage(body: unknown): Parsed<InboundMessage> {
  if (!isObj(body)) return { ignored: "not an object" };
  const quota = body.errorCode ?? body.errCode;
  if (quota !== undefined && body.text === undefined && body.content === undefined) {
    return { ignored: `quota error ${String(quota)}: ${String(body.errorMessage ?? body.errMsg ?? "")}` };
  }
  const msgId = str(body.msgId);
  const msgtype = str(body.msgtype);
  const conversationId = str(body.conversationId);
  if (!msgId || !msgtype || !conversationId) return { ignored: "not a robot message" };
  const group = String(body.conversationType) === "2";
  const userId = str(body.senderStaffId) ?? str(body.senderId);
  if (!userId) return { ignored: "no sender" };

  // Bounded before anything is walked (src/platform/limits.ts); what was cut travels with the event.
  const cuts: Cut[] = [];
  let text = "";
  let attachments: InboundAttachment[] = [];
  if (msgtype === "text") {
    const t = isObj(body.text) ? body.text.content : body.content; // one doc page puts text at top level
    text = typeof t === "string" ? t : "";
  } else {
    ({ text, attachments } = attachmentsOf(msgtype, capDingTalkContent(body.content, cuts)));
  }
  text = capText(text, cuts);
  attachments = capList(attachments, "attachments", cuts);

  const webhook = str(body.sessionWebhook);
  const expires = epochMs(body.sessionWebhookExpiredTime);
  const ev: InboundMessage = {
    kind: "message",
    platform: "dingtalk",
    dedupeId: msgId,
    messageId: msgId,
    chatId: group ? `group:${conversationId}` : `user:${userId}`,
    chatType: group ? "group" : "p2p",
    sender: { userId, ...(str(body.senderNick) ? { name: str(body.senderNick) } : {}) },
    // DingTalk already strips the @bot from text.content, leaving the leading space (https://open.dingtalk.com/document/development/receive-message).
    text: cleanText(text),
    // Groups only deliver messages that @ the bot; a 1:1 chat is addressed to it by definition.
    mentionedBot: group ? body.isInAtList !== false : true,
    attachments,
    ...quotedField(quotedOf(body, cuts)),
    sentAt: isoOf(body.createAt),
    ...(cuts.length ? { cut: cuts } : {}),
    ...(webhook ? { sessionWebhook: webhook } : {}),
    ...(webhook && expires !== undefined ? { sessionWebhookExpiresAt: expires } : {}),
  };
  const implausible = implausibleMessage(ev);
  return implausible ? { ignored: implausible } : { event: ev };
}

/* ----------------------------- card callbacks ----------------------------- */

/**
 * How our ActionValue rides in a card: every callback component of the shipped template sends the
 * 回传参数 `value` = JSON.stringify(ActionValue) (bound to a template variable such as btn1Value).
 * Forms add `form` = JSON {slot: inputName} and the slots' texts (input1…); selects add `option`.
 */
export const encodeActionValue = (v: ActionValue): string => JSON.stringify(v);

export function decodeActionValue(raw: unknown): ActionValue | undefined {
  const v = jsonMaybe(raw);
  if (!isObj(v) || typeof v.action !== "string" || v.action === "") return undefined;
  const out: ActionValue = { action: v.action };
  for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  return out;
}

/** Callback params our template defines; anything else is treated as a form input. */
const RESERVED = new Set(["value", "form", "option", "options", "action", "ticket"]);

function optionOf(params: Obj): string | undefined {
  const raw = params.option;
  if (typeof raw === "string" && !raw.trimStart().startsWith("{")) return raw;
  const o = jsonMaybe(raw);
  if (typeof o === "number") return String(o);
  if (!isObj(o)) return undefined;
  if (str(o.value)) return str(o.value);
  // The select component reports {index}; map it through the options list the template echoes back.
  const opts = jsonMaybe(params.options);
  if (typeof o.index === "number" && Array.isArray(opts)) {
    const picked: unknown = opts[o.index];
    return isObj(picked) ? str(picked.value) : str(picked);
  }
  return undefined;
}

function formOf(params: Obj): Record<string, string> | undefined {
  const form: Record<string, string> = {};
  const map = jsonMaybe(params.form);
  const text = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined);
  if (isObj(map)) {
    for (const [slot, name] of Object.entries(map)) {
      const v = text(params[slot]);
      if (typeof name === "string" && v !== undefined) form[name] = v.trim();
    }
  } else {
    for (const [k, x] of Object.entries(params)) {
      const v = text(x);
      if (!RESERVED.has(k) && v !== undefined) form[k] = v.trim();
    }
  }
  return Object.keys(form).length ? form : undefined;
}

/** FNV-1a: a stable short key when the transport gives no delivery id (HTTP card callbacks). */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/**
 * A card callback body (HTTP POST body, or the Stream frame's `data` parsed). `deliveryId` is the
 * Stream frame's messageId or the HTTP signature timestamp; it makes the dedupe key per delivery.
 */
export function parseCardCallback(body: unknown, deliveryId?: string): Parsed<InboundCardAction> {
  if (!isObj(body)) return { ignored: "not an object" };
  if (body.type !== undefined && body.type !== "actionCallback") return { ignored: `card callback type ${String(body.type)}` };
  const outTrackId = str(body.outTrackId);
  const userId = str(body.userId);
  const rawContent = body.content ?? body.value;
  const content = jsonMaybe(rawContent);
  if (!outTrackId || !userId || !isObj(content)) return { ignored: "not a card callback" };
  const priv = isObj(content.cardPrivateData) ? content.cardPrivateData : {};
  const params = isObj(priv.params) ? priv.params : {};

  // Our template sends `value`; a hand-built template may send plain {action, ticket, …} params.
  let value = decodeActionValue(params.value);
  if (!value && typeof params.action === "string" && params.action !== "") {
    value = { action: params.action };
    if (typeof params.ticket === "string") value.ticket = params.ticket;
  }
  if (!value) return { ignored: "card callback without an action value" };

  const spaceId = str(body.spaceId);
  const form = formOf(params);
  const option = optionOf(params);
  const ev: InboundCardAction = {
    kind: "card_action",
    platform: "dingtalk",
    dedupeId: `${outTrackId}:${userId}:${deliveryId ?? fnv1a(typeof rawContent === "string" ? rawContent : JSON.stringify(rawContent))}`,
    actor: { userId },
    cardRef: outTrackId,
    value,
    // Only group spaces are recognisable from spaceId (cid…); spaceType differs by source (reference, conflict 11).
    ...(spaceId?.startsWith("cid") ? { chatId: `group:${spaceId}` } : {}),
    ...(form ? { form } : {}),
    ...(option !== undefined ? { option } : {}),
  };
  return { event: ev };
}
