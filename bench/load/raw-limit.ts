// The raw limit: what SQLite itself allows for one ticket's writes on this machine. The statements a
// Feishu message runs from webhook to delivered reply card (store the inbound row, lease it, pool turn,
// day sequence, ticket, "created" event, the card and @handler outbox rows, finish the event, lease and
// mark both rows sent, the card reference), run directly on better-sqlite3 with cached prepared
// statements, one transaction per ticket, WAL — no HTTP, no crypto, no rendering, no ORM.
// The end-to-end figure of the load bench divided by this one is `ratio_to_raw`.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { migrateSqlite, readMigrations } from "../../src/adapter/node/migrate.js";
import { projectRoot } from "../../src/adapter/node/project-root.js";

export interface RawLimit {
  tickets: number;
  seconds: number;
  ticketsPerSec: number;
  statementsPerTicket: number;
}

const STATEMENTS = {
  storeInbound: `INSERT INTO "InboundEvent" (id, platform, kind, payload, receivedAt) VALUES (?, 'feishu', 'message', ?, ?)`,
  leaseInbound: `UPDATE "InboundEvent" SET lockedUntil = ?, attempts = attempts + 1 WHERE id = ? AND status = 'pending' AND (lockedUntil IS NULL OR lockedUntil < ?) RETURNING payload, attempts`,
  poolTurn: `INSERT INTO "PoolCursor" (pool, cursor) VALUES (?, 1) ON CONFLICT(pool) DO UPDATE SET cursor = cursor + 1 RETURNING cursor`,
  daySequence: `INSERT INTO "DaySequence" (key, last) VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET last = last + 1 RETURNING last`,
  ticket: `INSERT INTO "Ticket" (number, title, description, status, category, priority, department, handlerId, reporterId, reporterName, platform, chatId, messageId, receivedAt, customerTier, locale, responseDueAt, resolutionDueAt, lastProgressAt, version, updatedAt)
           VALUES (?, ?, ?, 'open', 'bug', 'medium', 'support', 'u_handler', 'ou_reporter', '报告人', 'feishu', ?, ?, ?, 'normal', 'zh-CN', ?, ?, ?, 1, ?) RETURNING id`,
  event: `INSERT INTO "TicketEvent" (ticketId, at, actorId, actorName, kind, source, payload, ticketVersion) VALUES (?, ?, 'ou_reporter', '报告人', 'created', 'message', ?, 1)`,
  outbox: `INSERT INTO "OutboundMessage" (platform, kind, target, ticketId, payload, dedupeKey, nextAttemptAt) VALUES ('feishu', ?, ?, ?, ?, ?, ?) RETURNING id`,
  finishInbound: `UPDATE "InboundEvent" SET status = 'done', processedAt = ?, lockedUntil = NULL, lastError = NULL WHERE id = ?`,
  leaseOutbox: `UPDATE "OutboundMessage" SET lockedUntil = ?, attempts = attempts + 1 WHERE id = ? AND status = 'pending' AND (lockedUntil IS NULL OR lockedUntil < ?) RETURNING kind, target, payload`,
  markSent: `UPDATE "OutboundMessage" SET status = 'sent', sentAt = ?, resultRef = ?, lockedUntil = NULL, lastError = NULL WHERE id = ?`,
  cardRef: `INSERT INTO "CardRef" (ticketId, platform, chatId, ref) VALUES (?, 'feishu', ?, ?) ON CONFLICT(platform, ref) DO NOTHING`,
};

/** Realistic sizes: a decrypted Feishu event (~1.5 KB JSON), a rendered ticket card (~4 KB JSON). */
const INBOUND_PAYLOAD = JSON.stringify({ platform: "feishu", text: "登录页面一直转圈，客户：客户公司42，联系人 张三 13800000000。".repeat(8), sender: { id: "ou_reporter", name: "报告人" }, chatId: "oc_x", messageId: "om_x", pad: "x".repeat(800) });
const CARD_PAYLOAD = JSON.stringify({ card: { header: { title: "FB-20261202-0001" }, elements: Array.from({ length: 24 }, (_, i) => ({ tag: "div", text: { tag: "lark_md", content: `字段 ${i}: ${"值".repeat(40)}` } })) } });

export function rawLimit(dir: string, tickets: number): RawLimit {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "raw-limit.db");
  migrateSqlite(file, readMigrations(path.join(projectRoot(), "prisma/migrations")));
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL"); // what WAL databases run with; better-sqlite3's and the server's default
  const s = Object.fromEntries(Object.entries(STATEMENTS).map(([k, sql]) => [k, db.prepare(sql)])) as Record<keyof typeof STATEMENTS, Database.Statement>;
  const one = db.transaction((i: number) => {
    const at = new Date(Date.UTC(2026, 11, 2, 2, 0, 0) + i).toISOString();
    const id = `feishu:msg:om_raw_${i}`;
    s.storeInbound.run(id, INBOUND_PAYLOAD, at);
    s.leaseInbound.get(at, id, at);
    s.poolTurn.get("support");
    const seq = (s.daySequence.get("FB20261202") as { last: number }).last;
    const number = `FB-20261202-${String(seq).padStart(5, "0")}`;
    const { id: ticketId } = s.ticket.get(number, "登录页面一直转圈", INBOUND_PAYLOAD.slice(0, 400), `oc_${i}`, `om_raw_${i}`, at, at, at, at, at) as { id: number };
    s.event.run(ticketId, at, JSON.stringify({ category: "bug", priority: "medium", department: "support", handlerId: "u_handler", reasons: ["关键词: 登录"] }));
    const card = (s.outbox.get("send_card", `om_raw_${i}`, ticketId, CARD_PAYLOAD, `card:${ticketId}`, at) as { id: number }).id;
    const text = (s.outbox.get("send_text", `oc_${i}`, ticketId, JSON.stringify({ text: "<at user_id=\"ou_h\"></at> 新工单" }), `mention:${ticketId}`, at) as { id: number }).id;
    s.finishInbound.run(at, id);
    for (const row of [card, text]) {
      s.leaseOutbox.get(at, row, at);
      s.markSent.run(at, `om_sent_${row}`, row);
    }
    s.cardRef.run(ticketId, `oc_${i}`, `om_sent_${card}`);
  });
  // Warm-up (page cache, statement plans), then the measured run.
  for (let i = 0; i < 200; i++) one(-1 - i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < tickets; i++) one(i);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  db.close();
  return { tickets, seconds, ticketsPerSec: tickets / seconds, statementsPerTicket: 15 };
}
