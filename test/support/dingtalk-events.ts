// What DingTalk POSTs (https://open.dingtalk.com/document/development/receive-message, https://open.dingtalk.com/document/development/event-callback-card), for tests: robot callbacks and card callbacks, signed.
import type { ActionValue } from "../../cards/model.js";
import { cardCallbackBody, nextTimestamp, signedCardRequest, signedRobotRequest } from "../../src/playground/events/dingtalk.js";

export { nextTimestamp, signedCardRequest, signedRobotRequest };

let n = 0;
const next = () => ++n;

export interface RobotOverrides {
  text?: string;
  msgId?: string;
  conversationId?: string;
  senderStaffId?: string;
  senderNick?: string;
  createAt?: number;
  sessionWebhook?: string;
  sessionWebhookExpiredTime?: number;
  [k: string]: unknown;
}

function robotBase(conversationType: "1" | "2", o: RobotOverrides): Record<string, unknown> {
  const i = next();
  const createAt = o.createAt ?? Date.now();
  const { text, ...rest } = o;
  return {
    senderPlatform: "Mac",
    conversationId: `cidGroup${i}==`,
    chatbotCorpId: "ding9733d095xxxx",
    chatbotUserId: "$:LWCP_v1:$bot",
    msgId: `msgK2${i}U+riw==`,
    senderNick: "小钉",
    isAdmin: true,
    senderStaffId: "0147008602",
    senderUnionId: "union-1",
    sessionWebhookExpiredTime: createAt + 5_400_000,
    createAt,
    senderCorpId: "ding9733d095xxxx",
    conversationType,
    senderId: "$:LWCP_v1:$sender",
    isInAtList: true,
    sessionWebhook: `https://oapi.dingtalk.com/robot/sendBySession?session=s${i}`,
    text: { content: ` ${text ?? "客户反馈：系统报错无法登录"}` },
    robotCode: "dingoxxxxdm3k",
    msgtype: "text",
    ...rest,
  };
}

/** A group message that @ the bot (DingTalk strips the @ and leaves a leading space). */
export const robotGroupText = (o: RobotOverrides = {}) =>
  robotBase("2", { conversationTitle: "客服群", atUsers: [{ dingtalkId: "$:LWCP_v1:$bot" }], ...o });

/** A 1:1 chat message with the bot. */
export const robotP2PText = (o: RobotOverrides = {}) => robotBase("1", { ...o });

export const robotPicture = (downloadCode = "dl-pic-1", o: RobotOverrides = {}): Record<string, unknown> => {
  const b = robotBase("2", o);
  delete b.text;
  return { ...b, msgtype: "picture", content: { downloadCode, pictureDownloadCode: `pic-${downloadCode}` } };
};

export const robotRichText = (parts: ({ text: string } | { downloadCode: string; type: "picture" })[], o: RobotOverrides = {}): Record<string, unknown> => {
  const b = robotBase("2", o);
  delete b.text;
  return { ...b, msgtype: "richText", content: { richText: parts } };
};

export interface CardClick {
  outTrackId: string;
  userId?: string;
  /** Our ActionValue, sent as params.value the way the shipped template does. */
  value?: ActionValue;
  /** Raw params, for hand-built templates. */
  params?: Record<string, unknown>;
  actionId?: string;
  spaceId?: string;
  /** Put the private data in `value` instead of `content` (the other documented variant). */
  asValueField?: boolean;
}

/** A card callback body (https://open.dingtalk.com/document/development/event-callback-card): content is a JSON string of {cardPrivateData}. */
export function cardCallback(c: CardClick): Record<string, unknown> {
  const params = c.params ?? { value: JSON.stringify(c.value ?? { action: "claim" }) };
  return cardCallbackBody({
    outTrackId: c.outTrackId,
    userId: c.userId ?? "0147008602",
    spaceId: c.spaceId ?? "cidGroup1==",
    corpId: "dingxxxx",
    actionId: c.actionId ?? "btn1",
    params,
    asValueField: c.asValueField,
  });
}
