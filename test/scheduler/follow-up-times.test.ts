// The tick reads only what is due (Ticket.nextFollowUpAt, src/core/follow-up.ts): with 100,000 open
// tickets and nothing due, day and night, it runs the very statements it runs with one ticket, none of
// them scans the Ticket table, and none returns a ticket. Statements and rows are counted, not time.
import path from "node:path";
import Database from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PrismaClient } from "../../src/generated/prisma/client.js";
import { tick } from "../../src/scheduler/tick.js";
import type { Db } from "../../src/store/db.js";
import { STALE } from "../../src/store/follow-up-times.js";
import { sqlTime } from "../../src/store/reports.js";
import { startFakeFeishu, type FakeFeishuServer } from "../fakes/feishu-server.js";
import type { TestServer } from "../support/server.js";
import { performAction } from "../../src/app/tickets/act.js";
import { clock, newTicket, sh, startRig, type Clock } from "./support.js";

let fake: FakeFeishuServer;
beforeAll(async () => {
  fake = await startFakeFeishu();
});
afterAll(() => fake.close());

let s: TestServer;
let c: Clock;
afterEach(() => s?.close());

interface Stmt {
  sql: string;
  params: unknown[];
}

/** A second connection to the server's file that records every statement (raw SQL included). */
function recording(file: string) {
  const client = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${file}` }), log: [{ emit: "event", level: "query" }] });
  let sink: Stmt[] | undefined;
  client.$on("query", (e) => sink?.push({ sql: e.query, params: JSON.parse(e.params) as unknown[] }));
  return {
    db: client as unknown as Db,
    async run<T>(fn: () => Promise<T>): Promise<{ result: T; stmts: Stmt[] }> {
      const stmts: Stmt[] = [];
      sink = stmts;
      try {
        return { result: await fn(), stmts };
      } finally {
        sink = undefined;
      }
    },
    close: () => client.$disconnect(),
  };
}

const READS_TICKETS = /FROM [`"]?(main[`"]?\.[`"]?)?Ticket[`"]?(\s|$)/;
const isControl = (sql: string) => /^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA)/i.test(sql.trim());

describe("the tick reads only what is due", () => {
  it("with 100,000 open tickets and nothing due, day and night: the statements of a one-ticket backlog, no Ticket scan, no ticket row", async () => {
    c = clock("2025-10-20 10:00"); // Monday
    s = await startRig({ clock: c, feishu: fake });
    const file = path.join(s.dir, "chatdesk.db");
    // Nobody answers: reminded at 14:00, breached at 15:00 (4 working hours, lunch excluded).
    const t = await newTicket(s, "客户反馈系统报错无法登录", { priority: "high" });
    expect((await tick(s.ctx, c.now)).followUpTimes).toBe(1); // new since the last tick: its time computed
    expect(await tick(s.ctx, c.set("2025-10-20 14:00"))).toMatchObject({ reminders: 1 });
    expect(await tick(s.ctx, c.set("2025-10-20 15:00"))).toMatchObject({ escalations: 1 });
    await s.idle();
    const next = (await s.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).nextFollowUpAt!;
    // Next: the second level 4 working hours after the breach, Tuesday 10:00 (stored a minute early,
    // see FOLLOW_UP_MARGIN_MS). Until then every tick used to read this breached ticket again.
    expect(next.toISOString()).toBe(new Date(c.set("2025-10-21 10:00").getTime() - 60_000).toISOString());

    const rec = recording(file);
    try {
      const day = c.set("2025-10-20 16:30");
      const night = c.set("2025-10-20 23:00");
      const measure = async (at: Date) => {
        const r = await rec.run(() => tick({ ...s.ctx, db: rec.db, now: () => at }, at));
        return { summary: r.result, stmts: r.stmts.filter((q) => !isControl(q.sql)) };
      };
      const small = { day: await measure(day), night: await measure(night) };

      // 99,999 more open tickets like it (its times, its follow-up time), straight into the file.
      const raw = new Database(file);
      raw.pragma("busy_timeout = 10000");
      const cols = raw.prepare(`SELECT name FROM pragma_table_info('Ticket') WHERE name NOT IN ('id', 'number')`).all() as { name: string }[];
      const list = cols.map((x) => `"${x.name}"`).join(", ");
      raw.exec(`WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 99999)
        INSERT INTO "Ticket" ("number", ${list}) SELECT 'FBCLONE' || x, ${list} FROM n, "Ticket" WHERE "Ticket"."id" = ${t.id}`);
      expect(raw.prepare(`SELECT COUNT(*) AS n FROM "Ticket" WHERE "nextFollowUpAt" = ?`).get(STALE)).toEqual({ n: 99_999 }); // the insert trigger
      raw.prepare(`UPDATE "Ticket" SET "nextFollowUpAt" = ? WHERE "nextFollowUpAt" = ?`).run(sqlTime(next), STALE);
      expect(raw.prepare(`SELECT COUNT(*) AS n FROM "Ticket" WHERE status = 'open'`).get()).toEqual({ n: 100_000 });

      const big = { day: await measure(day), night: await measure(night) };
      for (const k of ["day", "night"] as const) {
        const { summary, stmts } = big[k];
        expect(summary).toMatchObject({ reminders: 0, escalations: 0, nudges: 0, autoClosed: 0, waiting: 0, alreadyClaimed: 0, followUpTimes: 0, errors: [] });
        // The same statements as with one ticket: nothing grows with the backlog.
        expect(stmts.map((q) => q.sql)).toEqual(small[k].stmts.map((q) => q.sql));
        // None scans Ticket, and none of those reading Ticket rows returns one.
        for (const q of stmts.filter((x) => READS_TICKETS.test(x.sql) && /^\s*SELECT/i.test(x.sql))) {
          const sql = q.sql.replace(/`/g, '"');
          const plan = (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(q.params as never[])) as { detail: string }[]).map((p) => p.detail);
          expect(plan.filter((d) => /^SCAN (t|Ticket)\b/.test(d)), `${sql}\n${plan.join("\n")}`).toEqual([]);
          // (An aggregate through an index, e.g. the oldest quiet ticket for the nudge levels, is one row.)
          if (!/^\s*SELECT (MIN|MAX|COUNT)\(/i.test(sql)) expect(raw.prepare(sql).all(...(q.params as never[])), sql).toEqual([]);
        }
      }
      expect(big.day.stmts.length).toBeLessThan(40);
      raw.close();
    } finally {
      await rec.close();
    }
  }, 240_000); // inserting 100,000 tickets (indexes, triggers) takes 10 s idle, a minute on a busy machine

  it("other reminder rules (a restart with another workflow file) make every stored time be computed again", async () => {
    c = clock("2025-10-20 10:00"); // Monday
    s = await startRig({ clock: c, feishu: fake });
    const t = await newTicket(s, "数据同步失败", { priority: "low" });
    await performAction(s.ctx, t.number, "claim", { platform: "feishu", userId: "ou_handler_zhang", name: "张三" });
    await s.idle();
    await tick(s.ctx, c.now);
    const stored = async () => (await s.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).nextFollowUpAt!.toISOString();
    const minuteBefore = (local: string) => new Date(sh(local).getTime() - 60_000).toISOString();
    expect(await stored()).toBe(minuteBefore("2025-10-21 10:00")); // nudge after one quiet working day
    const quicker = { ...s.ctx, config: { ...s.ctx.config, reminders: { ...s.ctx.config.reminders, progressNudgeAfter: "4h" } } };
    expect(await tick(quicker, c.set("2025-10-20 10:05"))).toMatchObject({ nudges: 0, followUpTimes: 1 });
    expect(await stored()).toBe(minuteBefore("2025-10-20 15:00")); // 4 working hours, lunch excluded
    expect((await tick(quicker, c.set("2025-10-20 15:00"))).nudges).toBe(1);
  });
});
