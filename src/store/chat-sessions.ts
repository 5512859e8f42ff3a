// A conversation's latest reply webhook and its expiry (DingTalk's sessionWebhook / sessionWebhookExpiredTime,
// https://open.dingtalk.com/document/development/receive-message): kept so that a notice sent later — a card
// click, a reminder — can still @ people while the conversation's newest webhook is valid.
import type { Db } from "./db.js";

export interface ChatSessionRow {
  webhook: string;
  expiresAt: Date;
}

/** Remember the webhook unless a later-expiring one is stored already (an old event processed late). */
export async function rememberChatSession(db: Db, platform: string, chatId: string, webhook: string, expiresAt: Date): Promise<void> {
  const key = { platform_chatId: { platform, chatId } };
  const known = await db.chatSession.findUnique({ where: key, select: { expiresAt: true } });
  if (known && known.expiresAt >= expiresAt) return;
  await db.chatSession.upsert({ where: key, create: { platform, chatId, webhook, expiresAt }, update: { webhook, expiresAt } });
}

/** The conversation's stored webhook, if it is still valid `marginMs` from now. */
export async function liveChatSession(db: Db, platform: string, chatId: string, now: Date, marginMs: number): Promise<ChatSessionRow | undefined> {
  const row = await db.chatSession.findUnique({ where: { platform_chatId: { platform, chatId } }, select: { webhook: true, expiresAt: true } });
  return row && row.expiresAt.getTime() - now.getTime() > marginMs ? row : undefined;
}
