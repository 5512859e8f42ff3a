// The statement cache under Prisma's better-sqlite3 adapter: each SQL text is prepared once, arguments
// go to every call (a statement can be bound only once), the cache stays bounded, and the real server
// path (createSqliteDb + Prisma) reads and writes correctly through it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { createSqliteDb } from "../../src/adapter/node/db.js";
import { migrateSqlite, readMigrations } from "../../src/adapter/node/migrate.js";
import { MIGRATIONS_DIR } from "../../src/adapter/node/server.js";
import { withStatementCache } from "../../src/adapter/node/statement-cache.js";

/** A connection that counts the statements it really prepares. */
function counted() {
  const db = new Database(":memory:");
  let prepared = 0;
  const real = db.prepare.bind(db);
  (db as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
    prepared++;
    return real(sql);
  };
  return { db, prepared: () => prepared };
}

describe("statement cache", () => {
  it("prepares a statement once and passes each call its own arguments (as the adapter calls it)", () => {
    const c = counted();
    const db = withStatementCache(c.db);
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
    for (const [id, name] of [[1, "张三"], [2, "李四"], [3, "王五"]] as const) db.prepare("INSERT INTO t (id, name) VALUES (?, ?)").bind([id, name]).run();
    const select = (id: number) => db.prepare("SELECT name FROM t WHERE id = ?").bind([id]) as unknown as { reader: boolean; columns(): { name: string }[]; raw(): { all(): unknown[][] } };
    expect(select(2).reader).toBe(true);
    expect(select(2).columns().map((x) => x.name)).toEqual(["name"]);
    expect(select(2).raw().all()).toEqual([["李四"]]);
    expect(select(3).raw().all()).toEqual([["王五"]]);
    expect(c.prepared()).toBe(2); // the INSERT once and the SELECT once (CREATE went through exec), none per call
  });

  it("keeps at most `max` statements, dropping the least recently used", () => {
    const c = counted();
    const db = withStatementCache(c.db, 2);
    db.prepare("SELECT 1").bind([]);
    db.prepare("SELECT 2").bind([]);
    db.prepare("SELECT 1").bind([]); // SELECT 1 is now the newest
    db.prepare("SELECT 3").bind([]); // evicts SELECT 2
    db.prepare("SELECT 1").bind([]);
    expect(c.prepared()).toBe(3);
    db.prepare("SELECT 2").bind([]);
    expect(c.prepared()).toBe(4);
  });

  it("Prisma through createSqliteDb: repeated queries with different arguments read the right rows", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chatdesk-stmt-"));
    const file = path.join(dir, "chatdesk.db");
    migrateSqlite(file, readMigrations(MIGRATIONS_DIR));
    const db = createSqliteDb(file);
    try {
      for (let i = 0; i < 20; i++) await db.inboundEvent.create({ data: { id: `e${i}`, platform: "feishu", kind: "message", payload: `{"n":${i}}`, receivedAt: new Date(1_700_000_000_000 + i) } });
      for (let i = 0; i < 20; i++) expect((await db.inboundEvent.findUnique({ where: { id: `e${i}` } }))?.payload).toBe(`{"n":${i}}`);
      await db.$transaction(async (tx) => {
        await tx.inboundEvent.update({ where: { id: "e3" }, data: { attempts: 2 } });
        expect((await tx.inboundEvent.findUnique({ where: { id: "e3" } }))?.attempts).toBe(2);
      });
      expect(await db.inboundEvent.count({ where: { attempts: 2 } })).toBe(1);
    } finally {
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
