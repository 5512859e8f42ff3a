// A message as GET /open-apis/im/v1/messages/:message_id answers it: the reacted message, a thread's root.
import type { FetchedMessage } from "../../platform/inbound.js";
import type { Cut } from "../../platform/limits.js";
import { readMessageContent, type ParseContext } from "./parse.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** One item of GET /open-apis/im/v1/messages/:message_id (https://open.feishu.cn/document/server-docs/im-v1/message/get). */
export function parseFetchedMessage(item: unknown, ctx: ParseContext = {}): FetchedMessage | undefined {
  if (!isObj(item) || !str(item.message_id)) return undefined;
  if (item.deleted === true) return undefined;
  const sender = isObj(item.sender) ? item.sender : {};
  const body = isObj(item.body) ? item.body : {};
  const cuts: Cut[] = [];
  // The API lists mentions as {key, id, id_type, name}, the id being the open_id itself.
  const mentions = Array.isArray(item.mentions) ? item.mentions.filter(isObj).map((m) => ({ ...m, id: typeof m.id === "string" ? { open_id: m.id } : m.id })) : [];
  const read = readMessageContent(item.msg_type, body.content, mentions, ctx, cuts);
  const fromApp = sender.sender_type !== undefined && sender.sender_type !== "user";
  return {
    messageId: String(item.message_id),
    chatId: str(item.chat_id),
    senderId: fromApp ? undefined : str(sender.id),
    fromApp,
    text: read?.text ?? "",
    attachments: read?.attachments ?? [],
    rootId: str(item.root_id),
    parentId: str(item.parent_id),
  };
}
