// Node's inbox (src/adapter/node/inbox.ts): the HTTP thread's own connection for acknowledged events. While
// another connection holds SQLite's write lock — the processing worker inside a transaction — a store
// gives the event loop back instead of sleeping inside SQLite, and lands once the lock is free.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createNodeInbox } from "../../src/adapter/node/inbox.js";
import { migrateSqlite, readMigrations } from "../../src/adapter/node/migrate.js";

const MIGRATIONS = path.resolve(import.meta.dirname, "../../prisma/migrations");
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

function freshDb(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chatdesk-inbox-"));
  const file = path.join(dir, "chatdesk.db");
  migrateSqlite(file, readMigrations(MIGRATIONS));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return file;
}

const row = (id: string) => ({ id, platform: "feishu", kind: "message", payload: { text: "客户反馈：无法登录" }, at: new Date("2026-12-03T02:00:00Z") });

describe("the Node inbox", () => {
  it("stores once: a second store of the same id says it was seen", async () => {
    const file = freshDb();
    const inbox = createNodeInbox(file);
    cleanup.unshift(() => inbox.close());
    expect(await inbox.store(row("feishu:msg:om_1"))).toBe(true);
    expect(await inbox.store(row("feishu:msg:om_1"))).toBe(false);
    const db = new Database(file, { readonly: true });
    expect(db.prepare(`SELECT id, status, attempts, payload FROM "InboundEvent"`).all()).toEqual([
      { id: "feishu:msg:om_1", status: "pending", attempts: 0, payload: JSON.stringify(row("").payload) },
    ]);
    db.close();
  });

  it("waits for another connection's write transaction without blocking the event loop, then stores", async () => {
    const file = freshDb();
    const inbox = createNodeInbox(file);
    const worker = new Database(file);
    cleanup.unshift(() => (inbox.close(), worker.close()));
    worker.prepare("BEGIN IMMEDIATE").run(); // the write lock, as a processing transaction holds it
    let stored: boolean | undefined;
    const pending = inbox.store(row("feishu:msg:om_2")).then((v) => (stored = v));
    // The loop keeps running while the store waits: timers fire, other requests would be answered.
    let ticks = 0;
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 5)).then(() => ticks++);
    expect(ticks).toBe(5);
    expect(stored).toBeUndefined();
    worker.prepare("COMMIT").run();
    await pending;
    expect(stored).toBe(true);
    expect(worker.prepare(`SELECT COUNT(*) AS n FROM "InboundEvent"`).get()).toEqual({ n: 1 });
  });

  it("claims a webhook signature once, forgets it after its window, and waits out another connection's lock", async () => {
    const file = freshDb();
    const inbox = createNodeInbox(file);
    const worker = new Database(file);
    cleanup.unshift(() => (inbox.close(), worker.close()));
    const t = (iso: string) => new Date(iso);
    expect(await inbox.claimSignature("dingtalk-card:1:sigA", t("2026-12-03T02:10:00Z"), t("2026-12-03T02:00:00Z"))).toBe(true);
    expect(await inbox.claimSignature("dingtalk-card:1:sigA", t("2026-12-03T02:10:00Z"), t("2026-12-03T02:01:00Z"))).toBe(false);
    // Another connection holds the write lock: the claim waits with the loop free, then lands; the
    // first key's window has passed by then, so it is pruned.
    worker.prepare("BEGIN IMMEDIATE").run();
    let claimed: boolean | undefined;
    const pending = inbox.claimSignature("dingtalk-card:2:sigB", t("2026-12-03T02:30:00Z"), t("2026-12-03T02:20:00Z")).then((v) => (claimed = v));
    for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 5));
    expect(claimed).toBeUndefined();
    worker.prepare("COMMIT").run();
    await pending;
    expect(claimed).toBe(true);
    expect(worker.prepare(`SELECT "key" FROM "UsedSignature"`).all()).toEqual([{ key: "dingtalk-card:2:sigB" }]);
  });
});
