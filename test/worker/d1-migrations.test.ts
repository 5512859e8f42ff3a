// prisma/migrations laid out for `wrangler d1 migrations apply`: one flat <ts>_<name>.sql per migration.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { d1Sql, PRISMA_MIGRATIONS, writeD1Migrations } from "../../src/adapter/worker/d1-migrations.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "chatdesk-d1mig-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("writeD1Migrations", () => {
  it("writes one .sql file per Prisma migration, in wrangler's order, with the same SQL", () => {
    const out = path.join(tmp, "out");
    const dirs = fs.readdirSync(PRISMA_MIGRATIONS).filter((d) => fs.existsSync(path.join(PRISMA_MIGRATIONS, d, "migration.sql"))).sort();
    expect(dirs.length).toBeGreaterThan(0);
    const files = writeD1Migrations(PRISMA_MIGRATIONS, out);
    expect(files).toEqual(dirs.map((d) => `${d}.sql`));
    expect(fs.readdirSync(out).sort()).toEqual(files);
    const first = dirs[0]!;
    expect(fs.readFileSync(path.join(out, `${first}.sql`), "utf8")).toBe(fs.readFileSync(path.join(PRISMA_MIGRATIONS, first, "migration.sql"), "utf8"));
    // wrangler orders by the number before the first "_": Prisma's timestamps sort the same way.
    const byNumber = [...files].sort((a, b) => Number(a.split("_")[0]) - Number(b.split("_")[0]));
    expect(byNumber).toEqual(files);
  });

  it("removes files of migrations that no longer exist, and keeps other files", () => {
    const from = path.join(tmp, "prisma");
    const out = path.join(tmp, "flat");
    fs.mkdirSync(path.join(from, "20250101000000_init"), { recursive: true });
    fs.writeFileSync(path.join(from, "20250101000000_init", "migration.sql"), 'CREATE TABLE "A" ("id" INTEGER);\n');
    fs.writeFileSync(path.join(from, "migration_lock.toml"), 'provider = "sqlite"\n');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "20240101000000_gone.sql"), "SELECT 1;");
    fs.writeFileSync(path.join(out, "notes.txt"), "mine");
    expect(writeD1Migrations(from, out)).toEqual(["20250101000000_init.sql"]);
    expect(fs.readdirSync(out).sort()).toEqual(["20250101000000_init.sql", "notes.txt"]);
  });

  it("refuses a folder that is not <timestamp>_<name>", () => {
    const from = path.join(tmp, "bad");
    fs.mkdirSync(path.join(from, "init"), { recursive: true });
    fs.writeFileSync(path.join(from, "init", "migration.sql"), "SELECT 1;");
    expect(() => writeD1Migrations(from, path.join(tmp, "bad-out"))).toThrow(/init: expected Prisma's <timestamp>_<name>/);
  });
});

describe("d1Sql", () => {
  const redefine = 'PRAGMA foreign_keys=OFF;\nCREATE TABLE "new_A" ("id" INTEGER);\nDROP TABLE "A";\nALTER TABLE "new_A" RENAME TO "A";\nPRAGMA foreign_keys=ON;\n';

  it("defers foreign-key checks around a table redefinition (D1 ignores foreign_keys=OFF)", () => {
    const sql = d1Sql("m", redefine);
    expect(sql.startsWith("PRAGMA defer_foreign_keys=ON;\n")).toBe(true);
    expect(sql.trimEnd().endsWith("PRAGMA defer_foreign_keys=OFF;")).toBe(true);
    expect(sql).toContain(redefine);
  });

  it("leaves SQL alone that needs nothing (plain DDL, or Prisma's own defer_foreign_keys)", () => {
    const plain = 'CREATE TABLE "B" ("id" INTEGER);\n';
    expect(d1Sql("m", plain)).toBe(plain);
    const deferred = `PRAGMA defer_foreign_keys=ON;\n${redefine}PRAGMA defer_foreign_keys=OFF;\n`;
    expect(d1Sql("m", deferred)).toBe(deferred);
  });

  it("refuses explicit transactions, which D1 rejects, but not a trigger body", () => {
    expect(() => d1Sql("m1", "BEGIN;\nCREATE TABLE x (id int);\nCOMMIT;")).toThrow(/m1: D1 runs each migration in its own transaction/);
    expect(() => d1Sql("m2", "BEGIN TRANSACTION;\nSELECT 1;")).toThrow(/m2/);
    const trigger = "CREATE TRIGGER t AFTER INSERT ON x\nBEGIN\n  UPDATE y SET a = 1;\nEND;\n";
    expect(d1Sql("m3", trigger)).toBe(trigger);
  });
});
