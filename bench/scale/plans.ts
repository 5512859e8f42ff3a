// The SQL the store really runs (captured from Prisma's query log, raw queries included) and SQLite's
// EXPLAIN QUERY PLAN for each, so a report shows which index a query used or that it scanned.
import Database from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../../src/generated/prisma/client.js";
import type { Db } from "../../src/store/db.js";

export interface Query {
  sql: string;
  params: unknown[];
}

export interface CapturingDb {
  db: Db;
  /** Run `fn`, returning what it returned and every statement it sent. */
  capture<T>(fn: () => Promise<T>): Promise<{ result: T; queries: Query[] }>;
  close(): Promise<void>;
}

export function capturingDb(file: string): CapturingDb {
  const client = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: file, timeout: 15_000 }), log: [{ emit: "event", level: "query" }] });
  let sink: Query[] | undefined;
  client.$on("query", (e) => {
    if (!sink) return;
    let params: unknown[] = [];
    try {
      params = JSON.parse(e.params) as unknown[];
    } catch {
      /* not JSON */
    }
    sink.push({ sql: e.query, params });
  });
  return {
    db: client as unknown as Db,
    async capture(fn) {
      const queries: Query[] = [];
      sink = queries;
      try {
        return { result: await fn(), queries };
      } finally {
        sink = undefined;
      }
    },
    close: () => client.$disconnect(),
  };
}

export interface Plan {
  sql: string;
  /** How many times this statement ran. */
  runs: number;
  lines: string[];
  /** A table read without an index (SCAN <table> with no USING clause). */
  fullScans: string[];
}

const SKIP = /^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA)/i;

/** EXPLAIN QUERY PLAN of each distinct statement (write statements included: their WHERE is planned too). */
export function explain(file: string, queries: Query[]): Plan[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const bySql = new Map<string, { q: Query; runs: number }>();
  for (const q of queries) {
    if (SKIP.test(q.sql.trim())) continue;
    const e = bySql.get(q.sql);
    if (e) e.runs++;
    else bySql.set(q.sql, { q, runs: 1 });
  }
  try {
    return [...bySql.values()].map(({ q, runs }) => {
      let rows: { id: number; parent: number; detail: string }[];
      try {
        rows = db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.params as unknown[]).map(bindable)) as typeof rows;
      } catch (e) {
        return { sql: q.sql, runs, lines: [`(cannot explain: ${(e as Error).message})`], fullScans: [] };
      }
      const depth = new Map<number, number>([[0, -1]]);
      const lines = rows.map((r) => {
        const d = (depth.get(r.parent) ?? -1) + 1;
        depth.set(r.id, d);
        return `${"  ".repeat(d)}${r.detail}`;
      });
      const fullScans = rows.map((r) => r.detail).filter(isTableScan);
      return { sql: q.sql, runs, lines, fullScans };
    });
  } finally {
    db.close();
  }
}

/** Tables and the aliases the store's raw SQL gives them; sub-queries, CTEs and json_each are not tables. */
const TABLES = new Set(["Ticket", "TicketEvent", "Attachment", "Satisfaction", "CardRef", "DaySequence", "PoolCursor", "InboundEvent", "OutboundMessage", "Notice", "t", "x", "s", "s2", "n"]);

/** "SCAN main.Ticket" or "SCAN t": every row read, no index (a "SCAN … USING INDEX" walks an index in order instead). */
function isTableScan(detail: string): boolean {
  const m = /^SCAN (?:main\.)?[`"]?(\w+)[`"]?$/.exec(detail);
  return m !== null && TABLES.has(m[1]!);
}

const bindable = (v: unknown) => (typeof v === "boolean" ? Number(v) : v === undefined ? null : typeof v === "object" && v !== null ? JSON.stringify(v) : v);

/** The table reads of a set of plans in one line: "SEARCH t USING INDEX x (status=?) | SCAN Notice". */
export function planSummary(plans: Plan[], max = 160): string {
  const reads = new Set<string>();
  for (const p of plans) for (const l of p.lines) if (/^\s*(SCAN|SEARCH)/.test(l) && !/CONSTANT ROW/.test(l)) reads.add(abbreviate(l.trim()));
  const s = [...reads].join(" · ");
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const abbreviate = (l: string) =>
  l
    .replace(/`main`\./g, "")
    .replace(/USING COVERING INDEX/g, "covering")
    .replace(/USING INTEGER PRIMARY KEY/g, "by rowid")
    .replace(/USING INDEX/g, "idx")
    .replace(/USING PRIMARY KEY/g, "by pk")
    .replace(/ \(~\d+ rows\)/g, "");

export function planDetails(name: string, plans: Plan[]): string[] {
  const out = [`**${name}** — ${plans.reduce((n, p) => n + p.runs, 0)} statements, ${plans.length} distinct:`, "", "```"];
  for (const p of plans) {
    out.push(`${p.runs > 1 ? `[${p.runs}×] ` : ""}${oneLine(p.sql)}`);
    out.push(...p.lines.map((l) => `    ${l}`));
  }
  out.push("```", "");
  return out;
}

const oneLine = (sql: string) => {
  const s = sql.replace(/\s+/g, " ").replace(/`main`\./g, "").replace(/`/g, "");
  // Prisma lists every column: keep the statement readable.
  const compact = s.replace(/^SELECT (Ticket\.\w+, ){5,}Ticket\.\w+ FROM/, "SELECT Ticket.* FROM");
  return compact.length > 400 ? `${compact.slice(0, 399)}…` : compact;
};
