// Ticket numbers (反馈编号): prefix + local date + daily sequence, e.g. FB20241123001.
// The sequence itself lives in the store (DaySequence keyed by sequenceKey); this is formatting only.
import { ChatDeskError } from "./errors.js";

export interface ParsedTicketNumber {
  prefix: string;
  /** Local date, YYYY-MM-DD. */
  date: string;
  seq: number;
}

const PREFIX = /^[A-Z]{1,6}$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isValidYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

function compactDate(localDate: string): string {
  const m = LOCAL_DATE.exec(localDate);
  if (!m || !isValidYmd(Number(m[1]), Number(m[2]), Number(m[3])))
    throw new ChatDeskError("INVALID_INPUT", `expected a local date YYYY-MM-DD, got "${localDate}"`);
  return `${m[1]}${m[2]}${m[3]}`;
}

function checkPrefix(prefix: string): string {
  const p = prefix.toUpperCase();
  if (!PREFIX.test(p)) throw new ChatDeskError("INVALID_INPUT", `ticket number prefix must be 1–6 letters, got "${prefix}"`);
  return p;
}

/** Key of the per-day counter, e.g. FB20241123. */
export function sequenceKey(prefix: string, localDate: string): string {
  return `${checkPrefix(prefix)}${compactDate(localDate)}`;
}

/** FB + 20241123 + 001; the sequence is zero-padded to 3 digits and simply grows past 999. */
export function ticketNumber(prefix: string, localDate: string, seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new ChatDeskError("INVALID_INPUT", `ticket sequence must be a positive integer, got ${seq}`);
  return `${sequenceKey(prefix, localDate)}${String(seq).padStart(3, "0")}`;
}

// Prefix is letters only, so the 8 date digits and the 3+ sequence digits split unambiguously.
const NUMBER_BODY = "([A-Za-z]{1,6})(\\d{4})(\\d{2})(\\d{2})(\\d{3,})";
const WHOLE = new RegExp(`^[#＃]?${NUMBER_BODY}$`);

function fromMatch(m: RegExpExecArray | RegExpMatchArray): ParsedTicketNumber | null {
  const [, prefix, y, mo, d, seqText] = m;
  if (!prefix || !y || !mo || !d || !seqText) return null;
  if (!isValidYmd(Number(y), Number(mo), Number(d))) return null;
  const seq = Number(seqText);
  if (!Number.isSafeInteger(seq) || seq < 1) return null;
  return { prefix: prefix.toUpperCase(), date: `${y}-${mo}-${d}`, seq };
}

/** "FB20241123001", "#fb20241123001" → parts; anything else (bad date, seq 0, junk) → null. */
export function parseTicketNumber(s: string): ParsedTicketNumber | null {
  const m = WHOLE.exec(s.trim());
  return m ? fromMatch(m) : null;
}

/**
 * Ticket numbers mentioned in free text ("FB20241123001 已处理", "#FB20241123002进展"), in order, without duplicates,
 * normalised to upper case. With a prefix, only numbers with that prefix count.
 */
export function findTicketNumbers(text: string, prefix?: string): string[] {
  // Not preceded by a letter/digit, so "ABCFB2024…" or an order id does not yield a partial match.
  const re = new RegExp(`(?<![A-Za-z0-9])${NUMBER_BODY}(?![0-9])`, "g");
  const want = prefix?.toUpperCase();
  const out: string[] = [];
  for (const m of text.matchAll(re)) {
    const p = fromMatch(m);
    if (!p || (want && p.prefix !== want)) continue;
    const n = m[0].toUpperCase();
    if (!out.includes(n)) out.push(n);
  }
  return out;
}
