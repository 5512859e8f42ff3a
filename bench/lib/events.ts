// Webhook requests exactly as the platforms send them (signed; Feishu bodies encrypted), built with
// the tests' builders and prepared before a run so the load generator only writes bytes.
import { signedRobotRequest, robotGroupText } from "../../test/support/dingtalk-events.js";
import { BOT_OPEN_ID, cardActionEvent, messageEvent, post } from "../../test/support/feishu-events.js";
import type { FakeDingTalk } from "../../test/fakes/dingtalk-server.js";
import { DINGTALK_SECRET } from "./platforms.js";

export interface Shot {
  platform: "feishu" | "dingtalk";
  path: string;
  body: string;
  headers: Record<string, string>;
  /** Ticket.messageId the event should produce. */
  messageId: string;
  /** Key of its reply card at the fake (Feishu: the message id replied to; DingTalk: the conversation). */
  cardKey: string;
  /** DingTalk: what `dingtalkRobot` needs to build a redelivery of this event. */
  key?: string;
}

/** Customer feedback of every category, so routing spreads tickets over departments and handlers. */
export const TEXTS = [
  "客户说系统报错无法登录，提示验证码错误",
  "订单页面加载缓慢，经常超时",
  "希望增加批量导入客户的功能",
  "请问发票怎么开，需要提供什么资料",
  "建议延长售后服务的时间",
  "#投诉 客服态度太差，要求退款",
  "物流三天没有更新，快递一直没发货",
  "上个月的账单扣费不对，多收了一笔",
  "数据同步失败，两边数据不一致",
  "能否在界面上增加导出按钮",
];

let seq = 0;
/** Unique per process run, so two runs against one database never collide. */
export const RUN = Date.now().toString(36);

export async function feishuMessage(i: number, o: { chatId?: string; text?: string; messageId?: string } = {}): Promise<Shot> {
  const messageId = o.messageId ?? `om_b${RUN}_${++seq}`;
  const text = `@_user_1 ${o.text ?? TEXTS[i % TEXTS.length]!}（第${i}条）`;
  // Its own group by default (derived from the message id, so a redelivery lands in the same one):
  // the per-chat send limit is measured on its own, not in every figure.
  const ev = messageEvent({ messageId, chatId: o.chatId ?? `oc_${messageId}`, senderId: `ou_customer_${i % 500}`, text, mentions: [{ key: "@_user_1", openId: BOT_OPEN_ID, name: "ChatDesk" }] });
  const { body, headers } = await post(ev);
  return { platform: "feishu", path: "/webhooks/feishu/events", body, headers, messageId, cardKey: messageId };
}

/** A click on a ticket card's button, by `operator` (a handler's open_id). */
export async function feishuClick(o: { ticket: string; cardRef: string; chatId: string; operator: string; action?: string }): Promise<Shot> {
  const ev = cardActionEvent({ operatorId: o.operator, value: { action: o.action ?? "claim", ticket: o.ticket }, messageId: o.cardRef, chatId: o.chatId });
  const { body, headers } = await post(ev);
  return { platform: "feishu", path: "/webhooks/feishu/cards", body, headers, messageId: o.ticket, cardKey: o.cardRef };
}

/** `key` repeats an earlier event (a redelivery: same msgId, fresh signature). */
export async function dingtalkRobot(i: number, fake: FakeDingTalk, o: { text?: string; key?: string } = {}): Promise<Shot> {
  const key = o.key ?? `b${RUN}x${++seq}`;
  const conversationId = `cid${key}==`;
  const msgId = `msg${key}`;
  const now = Date.now();
  const body = robotGroupText({
    text: `${o.text ?? TEXTS[i % TEXTS.length]!}（第${i}条）`,
    msgId,
    conversationId,
    senderStaffId: `staff_${i % 500}`,
    senderNick: `客户${i % 500}`,
    createAt: now,
    sessionWebhook: fake.sessionWebhookUrl(`s-${key}`),
    sessionWebhookExpiredTime: now + 2 * 3600_000,
  });
  const req = await signedRobotRequest(body, DINGTALK_SECRET);
  return { platform: "dingtalk", path: "/webhooks/dingtalk/robot", body: req.body, headers: req.headers, messageId: msgId, cardKey: conversationId, key };
}

export async function build<T>(n: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await make(i));
  return out;
}
