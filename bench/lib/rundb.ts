// Read-only look into a server child's SQLite file (WAL lets us read while it writes): what became
// a ticket, and the state of the inbound and outbox queues.
import Database from "better-sqlite3";

export interface RunDb {
  /** Tickets per source message id (Ticket.messageId). */
  ticketsByMessage(): Map<string, number>;
  counts(): { tickets: number; inboundPending: number; inboundFailed: number; outboxPending: number; outboxDead: number; outboxSent: number };
  all<T>(sql: string, ...params: unknown[]): T[];
  close(): void;
}

export function openRunDb(file: string): RunDb {
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 15_000 });
  return {
    ticketsByMessage() {
      const rows = db.prepare(`SELECT messageId AS m, COUNT(*) AS n FROM "Ticket" WHERE messageId IS NOT NULL GROUP BY messageId`).all() as { m: string; n: number }[];
      return new Map(rows.map((r) => [r.m, r.n]));
    },
    counts() {
      const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      return {
        tickets: one(`SELECT COUNT(*) AS n FROM "Ticket"`),
        inboundPending: one(`SELECT COUNT(*) AS n FROM "InboundEvent" WHERE status = 'pending'`),
        inboundFailed: one(`SELECT COUNT(*) AS n FROM "InboundEvent" WHERE status = 'failed'`),
        outboxPending: one(`SELECT COUNT(*) AS n FROM "OutboundMessage" WHERE status = 'pending'`),
        outboxDead: one(`SELECT COUNT(*) AS n FROM "OutboundMessage" WHERE status = 'dead'`),
        outboxSent: one(`SELECT COUNT(*) AS n FROM "OutboundMessage" WHERE status = 'sent'`),
      };
    },
    all: <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[],
    close: () => db.close(),
  };
}
