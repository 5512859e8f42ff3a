// /whoami: tells a person their platform id, this chat's id, and the exact workflow-file entry that makes
// them a known person, so an admin never has to file a test ticket to find an open_id or staffId.
import { fmt, messages } from "../../cards/i18n/index.js";
import { personByPlatformId } from "../core/routing.js";
import type { Locale } from "../core/types.js";
import type { InboundMessage } from "../platform/inbound.js";
import type { AppContext } from "./context.js";

/** What a Feishu open_id, a DingTalk staffId or a chat id looks like; anything else is not echoed. */
const PLAIN_ID = /^[A-Za-z0-9_.@+=:$/-]{1,128}$/;

/** DingTalk sends `senderId` ($:LWCP_v1:$…, local to the conversation) when it has no staffId. */
const isConversationLocal = (id: string) => id.startsWith("$:");

export function whoamiText(ctx: AppContext, msg: InboundMessage, locale: Locale): string {
  const w = messages(locale).whoami;
  const id = msg.sender.userId;
  const lines: string[] = [];
  const usable = PLAIN_ID.test(id) && !(msg.platform === "dingtalk" && isConversationLocal(id));
  if (!usable) lines.push(w.noUsableId);
  else lines.push(fmt(msg.platform === "feishu" ? w.feishuId : w.dingtalkId, { id }));
  // DingTalk group ids are "group:<openConversationId>" inside; the workflow file takes the bare id.
  const chatId = msg.platform === "dingtalk" ? msg.chatId.replace(/^group:/, "") : msg.chatId;
  if (msg.chatType === "group" && PLAIN_ID.test(chatId)) lines.push(fmt(w.chatId, { id: chatId, platform: msg.platform }));
  if (!usable) return lines.join("\n");

  const person = personByPlatformId(ctx.config, msg.platform, id);
  if (person) lines.push(fmt(w.known, { name: person.name, person: person.id }));
  const entry = person ? { ...person, [msg.platform]: id } : { id: "your_id", name: w.placeholderName, [msg.platform]: id };
  lines.push(w.howTo, JSON.stringify(entry));
  return lines.join("\n");
}
