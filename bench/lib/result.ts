// What every bench returns, and the three report tables their rows go into.
import type { Summary } from "./summary.js";
import type { Table } from "./table.js";

export type Kind = "load" | "scale" | "faults";

export const HEADS: Record<Kind, { title: string; head: string[] }> = {
  load: {
    title: "Webhook load (server in its own process, SQLite, loopback, fake platforms)",
    head: ["scenario", "requests", "req/s", "ack p50", "ack p99", "card p50", "card p99", "tickets/s e2e", "server RSS peak", "vs bare Hono"],
  },
  scale: {
    title: "Data path at scale (SQLite file, Prisma as the server runs it)",
    head: ["query", "data", "result", "time (median)", "plan"],
  },
  faults: {
    title: "Fault injection",
    head: ["scenario", "sent", "acknowledged", "tickets", "cards delivered", "lost", "dup tickets", "dup cards", "recovered", "notes"],
  },
};

export interface Row {
  kind: Kind;
  cells: string[];
}

export interface BenchResult {
  rows: Row[];
  /** Free text printed after the tables (query plans, findings). */
  details?: string[];
  /** Findings: a bug or a missing index this bench exposed. */
  findings?: string[];
  data: unknown;
  /** This bench's keys of bench/out/summary.json (summary.ts). */
  summary?: Partial<Summary>;
}

export interface BenchContext {
  quick: boolean;
  /** Scratch directory for this run's databases and logs. */
  workDir: string;
  log: (msg: string) => void;
}

export interface Bench {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}

export function tablesOf(rows: Row[], notes: Partial<Record<Kind, string[]>> = {}): Table[] {
  return (Object.keys(HEADS) as Kind[])
    .map((k) => ({ ...HEADS[k], rows: rows.filter((r) => r.kind === k).map((r) => r.cells), notes: notes[k] }))
    .filter((t) => t.rows.length > 0);
}
