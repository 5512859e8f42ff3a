// Display names for people who are not in the workflow file. Learned in the processing after the ack
// (never on the request path): the platform's contact API where the app has the optional scope, else the
// name the event carried (DingTalk senderNick, a Feishu mention's name). Kept in PersonName and asked for
// again once older than NAME_REFRESH_MS; the cards read them through people.ts (workflow file first).
import { personByPlatformId } from "../core/routing.js";
import type { Platform } from "../core/types.js";
import type { ChatPlatform } from "../platform/port.js";
import { readNames, saveName, type PersonRef } from "../store/person-names.js";
import type { TicketEventRow, TicketRow } from "../store/tickets.js";
import type { AppContext } from "./context.js";
import { parseList } from "./roles.js";
import { EMPTY_NAMES, unknownPeople, type NameBook } from "./people.js";

/** A week: people rarely rename themselves, and a stale name is still a name. */
export const NAME_REFRESH_MS = 7 * 24 * 3600_000;
/** A lookup that does not answer in time is left for the next message; the card goes out with the fallback. */
const LOOKUP_TIMEOUT_MS = 2_000;

export interface Seen {
  userId: string;
  /** The name the event carried, if any. */
  name?: string;
}

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T | undefined> =>
  Promise.race([p, new Promise<undefined>((r) => setTimeout(() => r(undefined), ms).unref?.())]);

/** Remember the names of the people an event showed us; errors are logged, never thrown (a name is not worth a retry of the event). */
export async function learnNames(ctx: AppContext, platform: ChatPlatform, seen: Seen[]): Promise<void> {
  try {
    const fresh = seen.filter((s) => s.userId && !personByPlatformId(ctx.config, platform as Platform, s.userId));
    if (!fresh.length) return;
    const now = ctx.now();
    const cached = new Map((await readNames(ctx.db, fresh.map((s) => ({ platform, userId: s.userId })))).map((r) => [r.userId, r]));
    const sender = ctx.senders[platform];
    for (const s of new Map(fresh.map((x) => [x.userId, x])).values()) {
      const row = cached.get(s.userId);
      if (row && now.getTime() - row.fetchedAt.getTime() < NAME_REFRESH_MS && (row.source === "api" || !s.name || s.name === row.name)) continue;
      const fetched = sender?.userName ? await withTimeout(sender.userName(s.userId).catch(() => undefined), LOOKUP_TIMEOUT_MS) : undefined;
      const name = fetched ?? s.name ?? row?.name;
      if (name) await saveName(ctx.db, { platform, userId: s.userId, name, source: fetched ? "api" : "event", fetchedAt: now });
    }
  } catch (e) {
    ctx.log.warn("name lookup failed", { platform, error: (e as Error).message });
  }
}

/** A person reference (people.ts) with the platform a bare user id belongs to (the ticket's); without it only qualified ids are looked up. */
export type PersonOn = readonly [id: string | null | undefined, platform?: string];

/**
 * The cached names of these people, in ONE query (a page, a message, a digest loads its names at once,
 * never one per row): only those the workflow file does not name.
 */
export async function namesOf(ctx: AppContext, people: PersonOn[]): Promise<NameBook> {
  const refs = new Map<string, PersonRef>();
  for (const [id, platform] of people) for (const r of unknownPeople(ctx.config, platform ?? "", [id])) refs.set(`${r.platform}:${r.userId}`, r);
  if (!refs.size) return EMPTY_NAMES;
  return new Map((await readNames(ctx.db, [...refs.values()])).map((r) => [`${r.platform}:${r.userId}`, r.name]));
}

/** The people a ticket shows: reporter, handler, who blocked it or paused it, event actors and targets, collaborators. */
export function ticketPeople(t: TicketRow, events: TicketEventRow[] = []): PersonOn[] {
  const ids: (string | null)[] = [t.reporterId, t.handlerId, t.blockedBy, t.waitingBy, t.sourceUserId, ...events.map((e) => e.actorId), ...parseList(t.collaborators)];
  for (const e of events) if (e.kind === "reassigned" || e.kind === "collaborate") ids.push(...payloadPeople(e.payload));
  return ids.map((id) => [id, t.platform] as const);
}

/** The cached names of the people a ticket card shows (ticketPeople), in one query. */
export const namesForTicket = (ctx: AppContext, t: TicketRow, events: TicketEventRow[]): Promise<NameBook> => namesOf(ctx, ticketPeople(t, events));

function payloadPeople(payload: string): string[] {
  try {
    const p = JSON.parse(payload) as Record<string, unknown>;
    return [p.to, p.fromHandler].filter((v): v is string => typeof v === "string");
  } catch {
    return [];
  }
}
