// What Feishu POSTs to a bot's webhook: v2 envelopes, encrypted with the app's Encrypt Key and signed
// over the exact body (https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/encrypt-key-encryption-configuration-case).
// The playground sends these; the tests build theirs with the same functions.
import { encryptFeishu, signature } from "../../adapter/feishu/crypto.js";

export interface FeishuSecrets {
  encryptKey?: string;
  verificationToken: string;
}

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export interface SignOptions {
  /** Epoch seconds; defaults to now. */
  timestamp?: number;
  nonce?: string;
  /** Send plaintext even when a key is set (still signed). */
  plain?: boolean;
  /** Skip the signature headers entirely (url_verification does this). */
  unsigned?: boolean;
}

/** Encrypt (when a key is set) and sign a payload as Feishu does: the signature covers the raw body. */
export async function signFeishu(payload: unknown, secrets: FeishuSecrets, o: SignOptions = {}): Promise<SignedRequest> {
  const json = JSON.stringify(payload);
  const body = secrets.encryptKey && !o.plain ? JSON.stringify({ encrypt: await encryptFeishu(json, secrets.encryptKey) }) : json;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (secrets.encryptKey && !o.unsigned) {
    const ts = String(o.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = o.nonce ?? String(Math.floor(Math.random() * 1e10));
    headers["x-lark-request-timestamp"] = ts;
    headers["x-lark-request-nonce"] = nonce;
    headers["x-lark-signature"] = await signature(ts, nonce, secrets.encryptKey, body);
  }
  return { body, headers };
}

export interface EnvelopeHeader {
  token: string;
  appId: string;
  tenantKey: string;
  eventId?: string;
  /** Epoch ms. */
  createTime?: number;
}

export function feishuEnvelope<E extends Record<string, unknown>>(eventType: string, event: E, h: EnvelopeHeader & { eventId: string }) {
  return {
    schema: "2.0",
    header: {
      event_id: h.eventId,
      token: h.token,
      create_time: String(h.createTime ?? Date.now()),
      event_type: eventType,
      tenant_key: h.tenantKey,
      app_id: h.appId,
    },
    event,
  };
}

export interface FeishuMention {
  key: string;
  openId: string;
  name: string;
  bot?: boolean;
}

/** The `message` of im.message.receive_v1. */
export function feishuMessage(m: {
  messageId: string;
  chatId: string;
  chatType: "group" | "p2p";
  messageType: string;
  content: Record<string, unknown>;
  mentions: FeishuMention[];
  tenantKey: string;
  createTime: number;
  rootId?: string;
  parentId?: string;
}) {
  return {
    message_id: m.messageId,
    ...(m.rootId ? { root_id: m.rootId } : {}),
    ...(m.parentId ? { parent_id: m.parentId } : {}),
    create_time: String(m.createTime),
    update_time: String(m.createTime),
    chat_id: m.chatId,
    chat_type: m.chatType,
    message_type: m.messageType,
    content: JSON.stringify(m.content),
    mentions: m.mentions.map((x) => ({
      key: x.key,
      id: { open_id: x.openId, union_id: `on_${x.openId.slice(3)}` },
      name: x.name,
      tenant_key: m.tenantKey,
      ...(x.bot ? { mentioned_type: "bot" } : {}),
    })),
  };
}

/** The event of card.action.trigger (https://open.feishu.cn/document/feishu-cards/card-callback-communication). */
export function feishuCardAction(a: {
  operatorId: string;
  tenantKey: string;
  token: string;
  value: Record<string, unknown>;
  tag: string;
  formValue?: Record<string, unknown>;
  option?: string;
  name?: string;
  messageId: string;
  chatId: string;
}) {
  return {
    operator: { tenant_key: a.tenantKey, open_id: a.operatorId, union_id: `on_${a.operatorId.slice(3)}` },
    token: a.token,
    action: {
      value: a.value,
      tag: a.tag,
      timezone: "Asia/Shanghai",
      ...(a.formValue ? { form_value: a.formValue } : {}),
      ...(a.option ? { option: a.option } : {}),
      ...(a.name ? { name: a.name } : {}),
    },
    host: "im_message",
    context: { open_message_id: a.messageId, open_chat_id: a.chatId },
  };
}
