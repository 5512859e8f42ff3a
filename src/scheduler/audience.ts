// Who a follow-up goes to and where: people by their platform user ids (direct messages), the
// ticket's own group (in the source message's thread) and the department's group.
import type { WorkflowConfig } from "../config/schema.js";
import type { Locale } from "../core/types.js";
import type { AppContext } from "../app/context.js";
import type { ChatPlatform } from "../platform/port.js";
import type { TicketRow } from "../store/tickets.js";

export interface Recipient {
  /** Person id from the config, or the platform-qualified id of someone not configured. */
  id: string;
  userId: string;
  name: string;
  locale: Locale;
}

export interface GroupTarget {
  chatId: string;
  replyTo?: string;
}

const isChat = (p: string): p is ChatPlatform => p === "feishu" || p === "dingtalk";

/** A direct chat with one user: DingTalk's and Feishu's senders both read "user:<id>". */
export const directChat = (userId: string) => `user:${userId}`;

/** DingTalk chat ids in the config may omit the "group:" prefix the sender expects. */
export function chatIdFor(platform: ChatPlatform, id: string): string {
  if (platform === "dingtalk" && !/^(group|user):/.test(id)) return `group:${id}`;
  return id;
}

/** The ticket's platform, or every configured one for tickets entered on the web. */
export function platformsFor(ctx: AppContext, t: Pick<TicketRow, "platform">): ChatPlatform[] {
  if (isChat(t.platform)) return ctx.senders[t.platform] ? [t.platform] : [];
  return (Object.keys(ctx.senders) as ChatPlatform[]).filter((p) => ctx.senders[p]);
}

/** A person id ("zhang") or a stored platform-qualified id ("feishu:ou_x") as a recipient on a platform. */
export function recipientOn(cfg: WorkflowConfig, id: string, platform: ChatPlatform): Recipient | undefined {
  const person = cfg.people.find((p) => p.id === id);
  if (person) {
    const userId = person[platform];
    return userId ? { id, userId, name: person.name, locale: person.locale ?? cfg.locale } : undefined;
  }
  if (id.startsWith(`${platform}:`)) {
    const userId = id.slice(platform.length + 1);
    return { id, userId, name: userId, locale: cfg.locale };
  }
  return undefined;
}

export const recipientsOn = (cfg: WorkflowConfig, ids: string[], platform: ChatPlatform): Recipient[] => {
  const out: Recipient[] = [];
  for (const id of new Set(ids)) {
    const r = recipientOn(cfg, id, platform);
    if (r && !out.some((x) => x.userId === r.userId)) out.push(r);
  }
  return out;
};

export const leadsOf = (cfg: WorkflowConfig, department: string): string[] => cfg.departments.find((d) => d.id === department)?.leads ?? [];

/** The department's managers; a department without its own goes to every configured manager. */
export function managersOf(cfg: WorkflowConfig, department: string): string[] {
  const own = cfg.departments.find((d) => d.id === department)?.managers ?? [];
  return own.length ? own : [...new Set(cfg.departments.flatMap((d) => d.managers))];
}

/** The ticket's group (a reply in the source message's thread) and the department's group, once each. */
export function groupTargets(cfg: WorkflowConfig, t: Pick<TicketRow, "platform" | "chatId" | "messageId" | "department">, platform: ChatPlatform): GroupTarget[] {
  const out: GroupTarget[] = [];
  if (t.platform === platform && t.chatId) out.push({ chatId: t.chatId, replyTo: platform === "feishu" ? (t.messageId ?? undefined) : undefined });
  const dept = cfg.departments.find((d) => d.id === t.department)?.chats[platform];
  if (dept) {
    const chatId = chatIdFor(platform, dept);
    if (!out.some((g) => g.chatId === chatId)) out.push({ chatId });
  }
  return out;
}

export { personLabel } from "../app/views.js";
