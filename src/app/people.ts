// Who a stored id is, in words: the one place that turns a person reference into a display name, for
// cards, messages, reminders, digests and the console alike. A reference is a workflow person id
// ("zhang"), a platform-qualified user id ("feishu:ou_…", how handlers outside the file are stored) or a
// bare platform user id (reporters, event actors: "ou_…", "dt_…"). Order: the workflow file's name, the
// platform's name from the cache (store/person-names.ts, filled after the ack), the name the event carried,
// then the bare id.
import type { WorkflowConfig } from "../config/schema.js";
import { personByPlatformId } from "../core/routing.js";
import type { Platform } from "../core/types.js";

/** Names known from the platforms (the cache), by "platform:userId". */
export type NameBook = ReadonlyMap<string, string>;
export const EMPTY_NAMES: NameBook = new Map();

const CHAT_PLATFORMS = ["feishu", "dingtalk"] as const;

/** "feishu:ou_x" → ["feishu", "ou_x"]; a bare id → [platform hint, id]. */
export function splitPersonRef(id: string, platform?: string): [string | undefined, string] {
  const m = /^(feishu|dingtalk|web):(.+)$/.exec(id);
  return m ? [m[1], m[2]!] : [platform, id];
}

export interface NameHints {
  /** The platform a bare user id belongs to (the ticket's or the event's). */
  platform?: string;
  /** The name the event carried (DingTalk senderNick, a Feishu mention name), stored with the row. */
  carried?: string | null;
  names?: NameBook;
}

/** A person's display name; `undefined` only for an empty reference. */
export function displayName(cfg: WorkflowConfig, id: string | null | undefined, o: NameHints = {}): string | undefined {
  if (!id) return o.carried ?? undefined;
  const byId = cfg.people.find((p) => p.id === id);
  if (byId) return byId.name;
  const [platform, userId] = splitPersonRef(id, o.platform);
  const platforms = platform ? [platform] : CHAT_PLATFORMS;
  for (const p of platforms) {
    const person = personByPlatformId(cfg, p as Platform, userId);
    if (person) return person.name;
  }
  for (const p of platforms) {
    const cached = o.names?.get(`${p}:${userId}`);
    if (cached) return cached;
  }
  return o.carried || userId;
}

/** The platform user ids a ticket card names (reporter, handler, event actors), to read their cached names at once. */
export function unknownPeople(cfg: WorkflowConfig, platform: string, ids: (string | null | undefined)[]): { platform: string; userId: string }[] {
  const out = new Map<string, { platform: string; userId: string }>();
  for (const id of ids) {
    if (!id || cfg.people.some((p) => p.id === id)) continue;
    const [p, userId] = splitPersonRef(id, platform);
    if (!p || p === "web" || p === "system" || personByPlatformId(cfg, p as Platform, userId)) continue;
    out.set(`${p}:${userId}`, { platform: p, userId });
  }
  return [...out.values()];
}
