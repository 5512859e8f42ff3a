// The signature a Feishu web page needs before it may call a JSAPI such as getBlockActionSourceDetail
// (https://open.feishu.cn/document/uYjL24iN/uEzM4YjLxMDO24SMzgjN, config:
// https://open.feishu.cn/document/uYjL24iN/uQjMuQjMuQjM/authentication/h5sdkconfig): SHA-1 over
// "jsapi_ticket=…&noncestr=…&timestamp=…&url=…" in that order, values as they are, the page's URL
// without its fragment, the timestamp in milliseconds. WebCrypto, so the Worker signs the same way.
import type { ChatSender } from "../platform/port.js";
import { randomToken } from "./crypto.js";

/** The Feishu H5 JSSDK the page loads (the version the official guide links). */
export const FEISHU_H5SDK_URL = "https://lf1-cdn-tos.bytegoofy.com/goofy/lark/op/h5-js-sdk-1.5.35.js";

export interface JssdkConfig {
  appId: string;
  timestamp: number;
  nonceStr: string;
  signature: string;
}

export async function jssdkSignature(ticket: string, nonceStr: string, timestamp: number, url: string): Promise<string> {
  const verify = `jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url.split("#")[0]}`;
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(verify));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A jsapi_ticket kept until a minute before Feishu says it expires (7200 s), one fetch at a time. */
export function jsapiTickets(fetchTicket: NonNullable<ChatSender["jsapiTicket"]>, now: () => Date) {
  let held: { ticket: string; until: number } | undefined;
  let inFlight: Promise<string> | undefined;
  return async (): Promise<string> => {
    if (held && held.until > now().getTime()) return held.ticket;
    inFlight ??= fetchTicket()
      .then((t) => {
        held = { ticket: t.ticket, until: now().getTime() + Math.max(0, t.expiresInS - 60) * 1000 };
        return t.ticket;
      })
      .finally(() => (inFlight = undefined));
    return inFlight;
  };
}

export async function jssdkConfig(appId: string, ticket: string, url: string, now: Date): Promise<JssdkConfig> {
  const nonceStr = randomToken(16);
  const timestamp = now.getTime();
  return { appId, timestamp, nonceStr, signature: await jssdkSignature(ticket, nonceStr, timestamp, url) };
}
