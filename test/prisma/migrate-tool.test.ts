// The project's own migration tool (prisma/tools/migrate.mjs, offline through the wasm schema engine):
// prisma/migrations produce exactly prisma/schema.prisma (so two branches' migrations still add up after a
// merge), drift is reported with the missing SQL, and `migrate:dev` writes a new migration folder.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

function tool(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const p = spawn(process.execPath, ["prisma/tools/migrate.mjs", ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("exit", (code) => resolve({ code, out, err }));
  });
}

describe("prisma/tools/migrate.mjs", () => {
  it("diff: prisma/migrations add up to prisma/schema.prisma; a schema change no migration holds is reported", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "chatdesk-migrate-"));
    const changed = path.join(tmp, "schema.prisma");
    fs.writeFileSync(changed, fs.readFileSync(path.join(ROOT, "prisma/schema.prisma"), "utf8").replace(/^model Ticket \{\n/m, "model Ticket {\n  probeColumn String?\n"));
    const [inSync, drift] = await Promise.all([
      tool(["diff"], { DATABASE_URL: `file:${path.join(tmp, "a.db")}` }),
      tool(["diff"], { DATABASE_URL: `file:${path.join(tmp, "b.db")}`, PRISMA_SCHEMA: changed }),
    ]);
    expect(inSync.code, inSync.err).toBe(0);
    expect(inSync.out).toContain("is in sync with prisma/schema.prisma");
    expect(drift.code, drift.err).toBe(2);
    expect(drift.out).toMatch(/ALTER TABLE "Ticket" ADD COLUMN "probeColumn" TEXT/);
    expect(drift.err).toContain("npm run migrate:dev -- <name>");
  });

  it("dev <name> --create-only writes <timestamp>_<name>/migration.sql; status lists it as not applied", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "chatdesk-migrate-"));
    const migrations = path.join(tmp, "migrations");
    fs.cpSync(path.join(ROOT, "prisma/migrations"), migrations, { recursive: true });
    const env = { DATABASE_URL: `file:${path.join(tmp, "dev.db")}`, PRISMA_MIGRATIONS: migrations };
    const r = await tool(["dev", "custom_step", "--create-only"], env);
    expect(r.code, r.err).toBe(0);
    const created = fs.readdirSync(migrations).filter((d) => /^\d{14}_custom_step$/.test(d));
    expect(created).toHaveLength(1);
    expect(fs.readFileSync(path.join(migrations, created[0]!, "migration.sql"), "utf8")).toContain("empty migration");
    const status = await tool(["status"], env);
    expect(status.code, status.err).toBe(0);
    expect(status.out).toContain(`pending: ${created[0]}`);
    expect((await tool(["dev", "bad name!"], env)).code).toBe(2);
  });
});
