// Text search over tickets (/find, the console's search box, exports): a substring of the number,
// title, description, customer name or customer id, every character literal (`%` and `_` too). Served
// by two FTS5 indexes the migration `ticket_search` keeps in step with triggers
// (https://www.sqlite.org/fts5.html): TicketSearch with the trigram tokenizer for 3+ characters, and
// TicketGrams, the CJK character pairs of the same text as words, for 2-character Chinese terms such
// as 登录. Anything shorter or mixed (one character, "ab") is a LIKE with ESCAPE: correct, not indexed.
import type { Db } from "./db.js";
import type { TicketRow } from "./tickets.js";

type Param = string | number;

export interface Sql {
  text: string;
  params: Param[];
}

/** The characters TicketGrams pairs (the migration's U+3400–U+9FFF). */
const CJK = /^[\u3400-\u9fff]$/u;

/** An FTS5 string: the whole term as one phrase, its own quotes doubled, nothing in it is syntax. */
const phrase = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** LIKE's wildcards and the escape character itself, escaped (ESCAPE '\'). */
export const likeLiteral = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const COLUMNS = ["number", "title", "description", "customerName", "customerId"] as const;

/** Which FTS5 index answers `text`, if one does, and its MATCH string. */
function ftsOf(text: string): { table: "TicketSearch" | "TicketGrams"; match: string } | undefined {
  const chars = [...text];
  if (chars.length >= 3) return { table: "TicketSearch", match: phrase(text) };
  if (chars.length === 2 && chars.every((c) => CJK.test(c))) return { table: "TicketGrams", match: phrase(text) };
  return undefined;
}

/** The condition "ticket t contains `text`" (already trimmed, not empty). */
export function textMatchSql(text: string): Sql {
  const fts = ftsOf(text);
  if (fts) return { text: `t.id IN (SELECT rowid FROM "${fts.table}" WHERE "${fts.table}" MATCH ?)`, params: [fts.match] };
  const like = likeLiteral(text);
  return { text: `(${COLUMNS.map((c) => `t."${c}" LIKE ? ESCAPE '\\'`).join(" OR ")})`, params: COLUMNS.map(() => like) };
}

/** The part of a ticket filter that Prisma can say, plus raw conditions it cannot (the text match). */
export interface SearchQuery {
  /** Everything but the text, as SQL over `t` (see whereSql in console-query.ts / ticket-query.ts). */
  where: Sql[];
  text: string;
}

/**
 * Search results come newest first by ticket id (the order tickets were stored, which is the order they
 * were received): an FTS5 index returns its matches in rowid order, so a page of a common term is read
 * from the index alone, without loading and sorting every match.
 */
const ORDER = `ORDER BY t.id DESC`;
/** D1 binds at most 100 parameters per statement; ids are loaded in chunks below that. */
const ID_CHUNK = 50;

const joinWhere = (q: SearchQuery): Sql => {
  const parts = [...q.where, textMatchSql(q.text)];
  return { text: parts.map((p) => `(${p.text})`).join(" AND "), params: parts.flatMap((p) => p.params) };
};

export async function countMatches(db: Db, q: SearchQuery): Promise<number> {
  const fts = q.where.length ? undefined : ftsOf(q.text);
  if (fts) {
    const rows = await db.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT COUNT(*) AS n FROM "${fts.table}" WHERE "${fts.table}" MATCH ?`, fts.match);
    return Number(rows[0]?.n ?? 0);
  }
  const w = joinWhere(q);
  const rows = await db.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT COUNT(*) AS n FROM "Ticket" t WHERE ${w.text}`, ...w.params);
  return Number(rows[0]?.n ?? 0);
}

/** One page of matching tickets, newest first (ORDER), as full rows; `after`: the last id of the previous page. */
export async function pageMatches(db: Db, q: SearchQuery, skip: number, take: number, after?: number): Promise<TicketRow[]> {
  const fts = q.where.length ? undefined : ftsOf(q.text);
  const below: Sql = after === undefined ? { text: "", params: [] } : { text: fts ? ` AND rowid < ?` : ` AND t.id < ?`, params: [after] };
  const w = joinWhere(q);
  const rows = fts
    ? await db.$queryRawUnsafe<{ id: number | bigint }[]>(`SELECT rowid AS id FROM "${fts.table}" WHERE "${fts.table}" MATCH ?${below.text} ORDER BY rowid DESC LIMIT ? OFFSET ?`, fts.match, ...below.params, take, skip)
    : await db.$queryRawUnsafe<{ id: number | bigint }[]>(`SELECT t.id AS id FROM "Ticket" t WHERE ${w.text}${below.text} ${ORDER} LIMIT ? OFFSET ?`, ...w.params, ...below.params, take, skip);
  const ids = rows.map((r) => Number(r.id));
  const byId = new Map<number, TicketRow>();
  for (let i = 0; i < ids.length; i += ID_CHUNK) for (const t of await db.ticket.findMany({ where: { id: { in: ids.slice(i, i + ID_CHUNK) } } })) byId.set(t.id, t);
  return ids.map((id) => byId.get(id)).filter((t): t is TicketRow => t !== undefined);
}

export { sqlTime } from "./db.js";
