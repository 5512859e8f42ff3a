// Sign-in throttling: failed admin-token and OAuth sign-ins are counted per client address and per
// account in the database (so every instance, thread and Worker isolate counts the same); after a few,
// that address or account gets 429 + Retry-After for a window that doubles with every further failure.
// A locked client is not even checked: the right token is refused too until the window ends.
import { addressBucket } from "../http/ip.js";
import { clearFailures, lockedUntil, recordFailure, type ThrottlePolicy } from "../store/sign-in-throttle.js";
import type { ConsoleContext, ConsoleDeps } from "./context.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** An office behind one NAT shares an address, so addresses get more room than one account. */
export const ADDRESS_POLICY: ThrottlePolicy = { free: 10, baseMs: MINUTE, maxMs: HOUR, forgetMs: 24 * HOUR };
export const ACCOUNT_POLICY: ThrottlePolicy = { free: 5, baseMs: MINUTE, maxMs: HOUR, forgetMs: 24 * HOUR };

/** An account as the throttle knows it: the admin token, or a platform identity. */
export type Account = "admin" | `feishu:${string}` | `dingtalk:${string}`;

const addressKey = (c: ConsoleContext) => `addr:${addressBucket(c.get("client").address)}`;
const accountKey = (a: Account) => `account:${a}`;

/** Seconds until this client (and account, when known) may try again; undefined when it may now. */
export async function throttled(c: ConsoleContext, deps: ConsoleDeps, account?: Account): Promise<number | undefined> {
  const now = deps.ctx.now();
  const until = await lockedUntil(deps.ctx.db, [addressKey(c), ...(account ? [accountKey(account)] : [])], now);
  if (!until) return undefined;
  const retryAfter = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  deps.ctx.log.warn("console sign-in throttled", { address: c.get("client").address, account, retryAfter });
  return retryAfter;
}

/** Count a failed sign-in against the client's address and, when known, the account. */
export async function signInFailed(c: ConsoleContext, deps: ConsoleDeps, reason: string, account?: Account): Promise<void> {
  const { db, log } = deps.ctx;
  const now = deps.ctx.now();
  const address = c.get("client").address;
  const byAddress = await recordFailure(db, addressKey(c), ADDRESS_POLICY, now);
  const byAccount = account ? await recordFailure(db, accountKey(account), ACCOUNT_POLICY, now) : undefined;
  log.warn("console sign-in failed", { reason, address, account, failures: byAddress.failures, accountFailures: byAccount?.failures });
  const locks = [byAddress.lockedUntil, byAccount?.lockedUntil].filter((d): d is Date => !!d);
  if (locks.length) {
    const until = new Date(Math.max(...locks.map((d) => d.getTime())));
    log.warn("console sign-in locked", { address, account, until: until.toISOString(), byAddress: !!byAddress.lockedUntil, byAccount: !!byAccount?.lockedUntil });
  }
}

/** A successful sign-in clears the account's count (the address keeps its own until it is forgotten). */
export const signInSucceeded = (deps: ConsoleDeps, account: Account) => clearFailures(deps.ctx.db, accountKey(account));
