// Builds what Feishu would POST to our webhook: v2 envelopes, optionally encrypted and signed.
import { legacyCardSignature } from "../../src/adapter/feishu/crypto.js";
import {
  feishuCardAction,
  feishuEnvelope,
  feishuMessage,
  signFeishu,
  type FeishuSecrets,
  type SignedRequest,
  type SignOptions as BaseSignOptions,
} from "../../src/playground/events/feishu.js";

export type FeishuTestSecrets = FeishuSecrets;

export const TEST_SECRETS: Required<FeishuTestSecrets> = { encryptKey: "test-encrypt-key", verificationToken: "test-verification-token" };
export const BOT_OPEN_ID = "ou_bot000000000000000000000000000";
export const APP_ID = "cli_a1b2c3d4e5f60718";

export type Posted = SignedRequest;

export interface SignOptions extends BaseSignOptions {
  secrets?: FeishuTestSecrets;
}

let counter = 0;
const uid = (p: string) => `${p}${Date.now().toString(16)}${(++counter).toString(16).padStart(6, "0")}`;

/** Encrypt (when a key is set) and sign a payload exactly as Feishu does: signature over the raw body. */
export function post(payload: unknown, o: SignOptions = {}): Promise<Posted> {
  return signFeishu(payload, o.secrets ?? TEST_SECRETS, o);
}

export function envelope<E extends Record<string, unknown>>(eventType: string, event: E, o: { token?: string; eventId?: string } = {}) {
  return feishuEnvelope(eventType, event, { eventId: o.eventId ?? uid("ev_"), token: o.token ?? TEST_SECRETS.verificationToken, tenantKey: "tenant_test", appId: APP_ID });
}

export interface MessageSpec {
  chatType?: "group" | "p2p";
  chatId?: string;
  senderId?: string;
  messageId?: string;
  /** Text with @_user_N placeholders. */
  text?: string;
  messageType?: "text" | "post" | "image" | "file" | "audio" | "media";
  content?: Record<string, unknown>;
  mentions?: { key: string; openId: string; name: string; bot?: boolean }[];
  parentId?: string;
  rootId?: string;
  createTime?: number;
}

export function messageEvent(spec: MessageSpec = {}) {
  const type = spec.messageType ?? "text";
  const content = spec.content ?? (type === "text" ? { text: spec.text ?? "hello" } : {});
  return envelope("im.message.receive_v1", {
    sender: { sender_id: { open_id: spec.senderId ?? "ou_reporter", union_id: "on_reporter" }, sender_type: "user", tenant_key: "tenant_test" },
    message: feishuMessage({
      messageId: spec.messageId ?? uid("om_"),
      rootId: spec.rootId,
      parentId: spec.parentId,
      createTime: spec.createTime ?? Date.now(),
      chatId: spec.chatId ?? "oc_group1",
      chatType: spec.chatType ?? "group",
      messageType: type,
      content,
      mentions: spec.mentions ?? [],
      tenantKey: "tenant_test",
    }),
  });
}

/** "@Bot 客户说登录失败 @Alice" in a group. */
export function groupMention(text = "@_user_1 客户说系统报错无法登录 @_user_2 请看看", extra: MessageSpec = {}) {
  return messageEvent({
    text,
    mentions: [
      { key: "@_user_1", openId: BOT_OPEN_ID, name: "ChatDesk" },
      { key: "@_user_2", openId: "ou_alice", name: "Alice" },
    ],
    ...extra,
  });
}

export function p2pMessage(text = "页面加载缓慢", extra: MessageSpec = {}) {
  return messageEvent({ chatType: "p2p", chatId: "oc_p2p1", text, ...extra });
}

export function postMessage(extra: MessageSpec = {}) {
  return messageEvent({
    messageType: "post",
    content: {
      title: "客户反馈",
      content: [
        [
          { tag: "at", user_id: "@_user_1", user_name: "ChatDesk" },
          { tag: "text", text: " 导出报错，截图如下" },
        ],
        [{ tag: "img", image_key: "img_v3_screenshot1" }],
        [
          { tag: "text", text: "详见 " },
          { tag: "a", text: "日志", href: "https://example.com/log" },
        ],
      ],
    },
    mentions: [{ key: "@_user_1", openId: BOT_OPEN_ID, name: "ChatDesk" }],
    ...extra,
  });
}

export function threadReply(rootId: string, text = "@_user_1 补充：客户是VIP", extra: MessageSpec = {}) {
  return messageEvent({ text, rootId, parentId: rootId, mentions: [{ key: "@_user_1", openId: BOT_OPEN_ID, name: "ChatDesk" }], ...extra });
}

export interface CardActionSpec {
  operatorId?: string;
  value?: Record<string, unknown>;
  formValue?: Record<string, unknown>;
  option?: string;
  tag?: string;
  name?: string;
  messageId?: string;
  chatId?: string;
  eventId?: string;
  token?: string;
}

export function cardActionEvent(spec: CardActionSpec = {}, o: { token?: string } = {}) {
  return envelope(
    "card.action.trigger",
    feishuCardAction({
      operatorId: spec.operatorId ?? "ou_handler",
      tenantKey: "tenant_test",
      token: spec.token ?? uid("c-"),
      value: spec.value ?? { action: "claim", ticket: "FB20240521001" },
      tag: spec.tag ?? "button",
      formValue: spec.formValue,
      option: spec.option,
      name: spec.name,
      messageId: spec.messageId ?? "om_card1",
      chatId: spec.chatId ?? "oc_group1",
    }),
    { eventId: spec.eventId, token: o.token },
  );
}

/** Legacy card.action.trigger_v1 body: never encrypted, SHA1-signed with the verification token. */
export async function legacyCardAction(spec: CardActionSpec = {}, o: { timestamp?: number; secrets?: FeishuTestSecrets } = {}): Promise<Posted> {
  const secrets = o.secrets ?? TEST_SECRETS;
  const body = JSON.stringify({
    open_id: spec.operatorId ?? "ou_handler",
    user_id: "eu_handler",
    open_message_id: spec.messageId ?? "om_card1",
    open_chat_id: spec.chatId ?? "oc_group1",
    tenant_key: "tenant_test",
    token: spec.token ?? uid("c-"),
    action: { value: spec.value ?? { action: "claim", ticket: "FB20240521001" }, tag: spec.tag ?? "button", ...(spec.option ? { option: spec.option } : {}) },
  });
  const ts = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e10));
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-lark-request-timestamp": ts,
      "x-lark-request-nonce": nonce,
      "x-lark-signature": await legacyCardSignature(ts, nonce, secrets.verificationToken, body),
    },
  };
}

export function urlVerification(challenge = "ajls384kdjx98XX", token: string = TEST_SECRETS.verificationToken) {
  return { challenge, token, type: "url_verification" };
}

/** url_verification as Feishu posts it: encrypted when a key is set, never signed (https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/request-url-configuration-case). */
export function challengeRequest(challenge?: string, o: { token?: string; secrets?: FeishuTestSecrets } = {}): Promise<Posted> {
  return post(urlVerification(challenge, o.token), { unsigned: true, secrets: o.secrets });
}

/** im.message.reaction.created_v1 (https://open.feishu.cn/document/server-docs/im-v1/message-reaction/event/created). */
export function reactionEvent(spec: { messageId: string; userId: string; emoji?: string; operatorType?: "user" | "app"; eventId?: string }) {
  return envelope(
    "im.message.reaction.created_v1",
    {
      message_id: spec.messageId,
      reaction_type: { emoji_type: spec.emoji ?? "OK" },
      operator_type: spec.operatorType ?? "user",
      user_id: { open_id: spec.userId, union_id: `on_${spec.userId}`, user_id: spec.userId.replace(/^ou_/, "") },
      action_time: "1716256800000",
    },
    { eventId: spec.eventId },
  );
}
