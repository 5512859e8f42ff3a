// Acknowledgements first (src/adapter/node/ack-priority.ts): the processing worker's connection asks to
// give way only where it would take SQLite's write lock — an autocommit write or BEGIN — never for a read
// and never inside a transaction (it holds the lock there); and the shared count of waiting inserts goes
// up and down with the inbox's waits.
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { ackPriority, ackPriorityBuffer } from "../../src/adapter/node/ack-priority.js";
import { withStatementCache } from "../../src/adapter/node/statement-cache.js";

type Bound = { run(): unknown; raw(): { all(): unknown[][] } };

describe("the worker's connection gives way before it takes the write lock", () => {
  it("asks before an autocommit write and before BEGIN; not for reads, not inside the transaction", () => {
    const asked: string[] = [];
    let next = "";
    const db = withStatementCache(new Database(":memory:"), undefined, () => asked.push(next));
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
    const run = (sql: string, args: unknown[] = []) => ((next = sql), (db.prepare(sql) as unknown as { bind(a: unknown[]): Bound }).bind(args));
    run("INSERT INTO t (id, name) VALUES (?, ?)", [1, "张三"]).run();
    run("SELECT name FROM t WHERE id = ?", [1]).raw().all();
    ((next = "BEGIN"), db.prepare("BEGIN")).run();
    run("INSERT INTO t (id, name) VALUES (?, ?)", [2, "李四"]).run();
    run("UPDATE t SET name = ? WHERE id = ?", ["王五", 1]).run();
    ((next = "COMMIT"), db.prepare("COMMIT")).run();
    run("DELETE FROM t WHERE id = ?", [2]).run();
    expect(asked).toEqual(["INSERT INTO t (id, name) VALUES (?, ?)", "BEGIN", "DELETE FROM t WHERE id = ?"]);
  });
});

describe("the count of waiting acknowledgements", () => {
  it("counts each waiting insert once, however often it is done, and lets the worker on when none waits", () => {
    const buffer = ackPriorityBuffer();
    const http = ackPriority(buffer);
    const worker = ackPriority(buffer);
    const word = new Int32Array(buffer);
    const a = http.waiting();
    const b = http.waiting();
    expect(Atomics.load(word, 0)).toBe(2);
    a();
    a();
    expect(Atomics.load(word, 0)).toBe(1);
    worker.giveWay(); // bounded: returns even while one still waits
    b();
    expect(Atomics.load(word, 0)).toBe(0);
    worker.giveWay();
  });
});
