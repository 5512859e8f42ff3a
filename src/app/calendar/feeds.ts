// Fetching the configured holiday feeds: at start and once a day (Node: the scheduler; Workers: the
// cron trigger, through the one tick). Each fetch is claimed first, so of several processes one goes.
// A fetch that fails or returns something implausible (unparseable, no day off, or dropping a current
// or future year the last good fetch had) keeps the last good data and records and logs why: it never
// wipes the calendar.
import type { CalendarFeedConfig } from "../../config/schema.js";
import { isChatDeskError } from "../../core/errors.js";
import { claimFeedFetch, feedRow, feedYears, recordFeedError, storeGoodFetch, type CalendarFeedRow } from "../../store/calendar.js";
import type { AppContext } from "../context.js";
import { parseFeed } from "./feed-formats.js";

const DAY_MS = 86_400_000;
/** A failing feed is tried again after this long, not only the next day. */
const RETRY_MS = 60 * 60_000;
/** At start a feed is fetched unless another process just did. */
const START_GAP_MS = 60_000;
const TIMEOUT_MS = 15_000;
const MAX_BYTES = 2 * 1024 * 1024;

export interface FeedTarget {
  url: string;
  /** The configured URL (a "{year}" template, or the URL itself). */
  source: string;
  format: CalendarFeedConfig["format"];
  /** The year a template was expanded for. */
  year?: number;
}

export interface FeedOutcome {
  url: string;
  outcome: "stored" | "unchanged" | "kept" | "skipped";
  reason?: string;
}

/** A feed URL as shown in /healthz and logs: without its query string, which may carry a token. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search ? "?…" : ""}`;
  } catch {
    return url.replace(/\?.*$/, "?…");
  }
}

/** "{year}" stands for this year and the next (the next year's notice appears in Nov/Dec). */
export function expandFeeds(feeds: readonly CalendarFeedConfig[], thisYear: number): FeedTarget[] {
  return feeds.flatMap((f) =>
    f.url.includes("{year}") ? [thisYear, thisYear + 1].map((year) => ({ url: f.url.replaceAll("{year}", String(year)), source: f.url, format: f.format, year })) : [{ url: f.url, source: f.url, format: f.format }],
  );
}

function isDue(row: CalendarFeedRow | null, now: Date, force: boolean): boolean {
  if (!row?.checkedAt) return true;
  const sinceCheck = now.getTime() - row.checkedAt.getTime();
  if (force) return sinceCheck >= START_GAP_MS;
  if (sinceCheck < RETRY_MS) return false;
  return !row.fetchedAt || now.getTime() - row.fetchedAt.getTime() >= DAY_MS - RETRY_MS / 2;
}

async function download(fetchImpl: typeof fetch, url: string): Promise<string> {
  let res: Response;
  try {
    res = await fetchImpl(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: "text/calendar, application/json;q=0.9, */*;q=0.1", "user-agent": "ChatDesk holiday feed" } });
  } catch (e) {
    throw new Error(`fetch failed: ${(e as Error).message}`);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new Error(`HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get("content-length") ?? 0);
  if (declared > MAX_BYTES) throw new Error(`too large (${declared} bytes; at most ${MAX_BYTES})`);
  const text = await res.text();
  if (text.length > MAX_BYTES) throw new Error(`too large (more than ${MAX_BYTES} bytes)`);
  return text;
}

/** Why a good-looking parse is still refused, compared with the last good data; undefined when plausible. */
function implausible(days: { off: boolean }[], years: number[], prev: CalendarFeedRow | null, thisYear: number): string | undefined {
  if (!days.length) return "empty: the feed lists no days";
  if (!days.some((d) => d.off)) return "implausible: the feed lists no day off";
  const had = prev?.fetchedAt ? feedYears(prev).filter((y) => y >= thisYear) : [];
  const dropped = had.filter((y) => !years.includes(y));
  if (dropped.length) return `implausible: the feed no longer has ${dropped.join(", ")}, which the last good fetch had`;
  return undefined;
}

async function refreshOne(ctx: AppContext, t: FeedTarget, now: Date, force: boolean, fetchImpl: typeof fetch, thisYear: number): Promise<FeedOutcome> {
  const prev = await feedRow(ctx.db, t.url);
  if (!isDue(prev, now, force) || !(await claimFeedFetch(ctx.db, t, prev, now))) return { url: t.url, outcome: "skipped" };
  const cal = ctx.config.calendar;
  let text: string;
  try {
    text = await download(fetchImpl, t.url);
    const parsed = parseFeed(t.format, text, { workdayMarkers: cal.workdayMarkers, fromYear: thisYear - 1, toYear: thisYear + 2 });
    const why = implausible(parsed.days, parsed.years, prev, thisYear);
    if (why) throw new Error(why);
    const changed = await storeGoodFetch(ctx.db, t.url, prev, { ...parsed, bytes: text.length }, now);
    ctx.log.info("calendar feed fetched", { url: displayUrl(t.url), format: t.format, changed, days: parsed.days.length, years: parsed.years });
    return { url: t.url, outcome: changed ? "stored" : "unchanged" };
  } catch (e) {
    const reason = isChatDeskError(e) ? `unparseable: ${e.message}` : (e as Error).message;
    await recordFeedError(ctx.db, t.url, reason);
    const kept = prev?.fetchedAt ? { keptFrom: prev.fetchedAt.toISOString(), keptDays: prev.offDays + prev.workDays } : { keptDays: 0 };
    // Next year's file of a "{year}" feed is normally missing until the State Council publishes it.
    const expected = t.year !== undefined && t.year > thisYear && /^HTTP 404$/.test(reason);
    (expected ? ctx.log.info : ctx.log.warn)("calendar feed not used; the calendar keeps its last good data", { url: displayUrl(t.url), reason, ...kept });
    return { url: t.url, outcome: "kept", reason };
  }
}

/** Fetch every configured feed that is due (force: at start); reports whether stored days changed. */
export async function refreshFeeds(ctx: AppContext, now: Date, o: { force?: boolean; fetch?: typeof fetch } = {}): Promise<{ changed: boolean; outcomes: FeedOutcome[] }> {
  const thisYear = Number(ctx.calendar.localDate(now).slice(0, 4));
  const outcomes: FeedOutcome[] = [];
  for (const t of expandFeeds(ctx.config.calendar.feeds, thisYear)) {
    try {
      outcomes.push(await refreshOne(ctx, t, now, o.force ?? false, o.fetch ?? fetch, thisYear));
    } catch (e) {
      // The database itself failed: the next run tries again.
      ctx.log.error("calendar feed refresh failed", { url: displayUrl(t.url), error: e });
      outcomes.push({ url: t.url, outcome: "kept", reason: (e as Error).message });
    }
  }
  return { changed: outcomes.some((x) => x.outcome === "stored"), outcomes };
}
