// Duplicate detection at intake: is the new ticket's text like a recent one of the same customer or group?
import { mostSimilar } from "../../core/similarity.js";
import { duplicateCandidates } from "../../store/duplicates.js";
import type { AppContext } from "../context.js";

/** Candidates read per check; the newest of a busy group are the ones a duplicate is likely among. */
export const MAX_CANDIDATES = 300;
/** Text compared per ticket: the title and the start of the description carry the problem. */
const TEXT_CHARS = 600;

export interface DuplicateProbe {
  text: string;
  platform: string;
  chatId?: string;
  customerId?: string;
  customerName?: string;
}

export interface DuplicateHit {
  id: number;
  number: string;
  /** What the new ticket's card shows of it. */
  title: string;
  status: string;
  score: number;
}

export async function findDuplicate(ctx: AppContext, p: DuplicateProbe, now: Date): Promise<DuplicateHit | undefined> {
  const cfg = ctx.config.duplicates;
  if (!cfg.enabled) return undefined;
  const since = new Date(now.getTime() - cfg.windowDays * 86_400_000);
  const rows = await duplicateCandidates(ctx.db, { platform: p.platform, chatId: p.chatId, customerId: p.customerId, customerName: p.customerName, since, limit: MAX_CANDIDATES });
  // The IDF is taken over the candidates themselves: words the group's tickets all use weigh less.
  const best = mostSimilar(p.text.slice(0, TEXT_CHARS), rows.map((r) => ({ key: r, text: r.description.slice(0, TEXT_CHARS) })), cfg.threshold)[0];
  return best ? { id: best.key.id, number: best.key.number, title: best.key.title, status: best.key.status, score: Math.round(best.score * 1000) / 1000 } : undefined;
}
