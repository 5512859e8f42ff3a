// The bot's own open_id (GET /open-apis/bot/v3/info), fetched once on first need and cached: parse.ts
// compares it with message mentions to tell "@bot" from "@someone else" (https://open.feishu.cn/document/client-docs/bot-v3/obtain-bot-info).
import type { ChatSender } from "../../platform/port.js";

/** Resolves to the bot's open_id, or undefined when it is not known (yet): callers fall back. */
export type BotOpenId = () => Promise<string | undefined>;

export interface BotIdentityOptions {
  /** Longest a webhook waits for the first lookup: Feishu wants an answer within 3 s (https://open.feishu.cn/document/server-docs/event-subscription-guide/overview). */
  waitMs?: number;
  /** After a failed lookup, ask again no sooner than this. */
  retryAfterMs?: number;
  /** A lookup still pending after this long is abandoned (a Worker may have cancelled the request that ran it). */
  staleAfterMs?: number;
  now?: () => number;
  log?: (obj: Record<string, unknown>) => void;
}

export function botIdentity(lookup: () => Promise<string>, opts: BotIdentityOptions = {}): BotOpenId {
  const waitMs = opts.waitMs ?? 1_000;
  const retryAfterMs = opts.retryAfterMs ?? 60_000;
  const staleAfterMs = opts.staleAfterMs ?? 30_000;
  const now = opts.now ?? Date.now;
  let known: string | undefined;
  let inflight: Promise<string | undefined> | undefined;
  let startedAt = 0;
  let failedAt = -Infinity;

  return async () => {
    if (known) return known;
    if (inflight && now() - startedAt > staleAfterMs) inflight = undefined;
    if (!inflight && now() - failedAt >= retryAfterMs) {
      startedAt = now();
      const p: Promise<string | undefined> = lookup()
        .then((id) => (known = id))
        .catch((e: unknown) => {
          failedAt = now();
          opts.log?.({ level: "warn", msg: "feishu bot identity lookup failed", error: e instanceof Error ? e.message : String(e) });
          return undefined;
        })
        .finally(() => {
          if (inflight === p) inflight = undefined;
        });
      inflight = p;
    }
    if (!inflight) return undefined;
    // A slow lookup must not hold the ack: answer without it and let it finish for the next event.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const giveUp = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), waitMs)));
    try {
      return await Promise.race([inflight, giveUp]);
    } finally {
      clearTimeout(timer);
    }
  };
}

const bySender = new WeakMap<ChatSender, BotOpenId>();

/** One shared cache per sender, so the webhook routes and the long connection look it up once. */
export function botOpenIdOf(sender: ChatSender | undefined, opts: BotIdentityOptions = {}): BotOpenId | undefined {
  if (!sender?.botUserId) return undefined;
  let id = bySender.get(sender);
  if (!id) {
    id = botIdentity(() => sender.botUserId!(), opts);
    bySender.set(sender, id);
  }
  return id;
}
