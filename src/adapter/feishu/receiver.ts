// Where a Feishu message goes: "user:<open_id>" is a direct message to that user (the same
// convention as DingTalk's chat ids); anything else is a group's chat_id.
export function receiverOf(chatId: string): { type: "open_id" | "chat_id"; id: string } {
  return chatId.startsWith("user:") ? { type: "open_id", id: chatId.slice(5) } : { type: "chat_id", id: chatId };
}
