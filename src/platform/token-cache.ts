// An app access token (DingTalk app token, Feishu tenant token), cached until shortly before it expires.
// Concurrent callers share ONE in-flight request (single-flight): a burst of sends at start-up, or the
// moment the cached token runs out, makes one token call, not one per caller.

export interface TokenProvider {
  /** A valid token, from cache when possible. */
  get(): Promise<string>;
  /** Forget the cached token (after the platform rejected it). */
  invalidate(): void;
}

export interface FetchedToken {
  token: string;
  /** Lifetime the platform stated. */
  ttlMs: number;
}

export interface TokenCacheOptions {
  now?: () => number;
  /** Refresh this long before the stated expiry (at the latest halfway through the lifetime). */
  marginMs?: number;
}

export function singleFlightToken(fetchToken: () => Promise<FetchedToken>, o: TokenCacheOptions = {}): TokenProvider {
  const now = o.now ?? Date.now;
  const margin = o.marginMs ?? 5 * 60_000;
  let cached: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  // A token invalidated while a fetch was in flight must not be brought back by that fetch's answer.
  let generation = 0;

  const refresh = async (): Promise<string> => {
    const gen = generation;
    const { token, ttlMs } = await fetchToken();
    if (gen === generation) cached = { token, refreshAt: now() + Math.max(ttlMs - margin, ttlMs / 2) };
    return token;
  };

  return {
    get() {
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
      inflight ??= refresh().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    invalidate() {
      cached = undefined;
      generation++;
    },
  };
}
