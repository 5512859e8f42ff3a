// What DingTalk POSTs to a bot: robot callbacks signed with the app secret
// (https://open.dingtalk.com/document/orgapp/receive-message) and card callbacks signed with the
// registered apiSecret (x-ddpaas-signature). The playground sends these; the tests build theirs with them.
import { signCardCallback, signRobotCallback } from "../../adapter/dingtalk/sign.js";

export interface SignedHttp {
  method: "POST";
  headers: Record<string, string>;
  body: string;
}

/** A robot callback as the HTTP request: headers timestamp + sign, JSON body. */
export async function signedRobotRequest(body: unknown, appSecret: string, timestamp = nextTimestamp()): Promise<SignedHttp> {
  return {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8", timestamp, sign: await signRobotCallback(timestamp, appSecret) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  };
}

/**
 * Strictly increasing callback timestamps: the server accepts each (timestamp, signature) pair once
 * (the signature covers only the timestamp), so two clicks must never be signed in the same millisecond.
 */
let lastTs = 0;
export const nextTimestamp = (): string => String((lastTs = Math.max(Date.now(), lastTs + 1)));

/** A card callback as the HTTP request: x-ddpaas-signature-timestamp + x-ddpaas-signature. */
export async function signedCardRequest(body: unknown, apiSecret: string, timestamp = nextTimestamp()): Promise<SignedHttp> {
  return {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-ddpaas-signature-timestamp": timestamp,
      "x-ddpaas-signature": await signCardCallback(timestamp, apiSecret),
    },
    body: JSON.stringify(body),
  };
}

/** A card callback body: content is a JSON string of {cardPrivateData: {actionIds, params}}. */
export function cardCallbackBody(c: {
  outTrackId: string;
  userId: string;
  spaceId: string;
  spaceType?: "IM_GROUP" | "IM_ROBOT";
  corpId: string;
  actionId: string;
  params: Record<string, unknown>;
  asValueField?: boolean;
}) {
  const content = JSON.stringify({ cardPrivateData: { actionIds: [c.actionId], params: c.params } });
  return {
    extension: "{}",
    corpId: c.corpId,
    spaceType: c.spaceType ?? "IM_GROUP",
    userIdType: 1,
    type: "actionCallback",
    userId: c.userId,
    spaceId: c.spaceId,
    outTrackId: c.outTrackId,
    ...(c.asValueField ? { value: content } : { content, value: content }),
  };
}
