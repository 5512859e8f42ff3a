#!/usr/bin/env node
// Create and check Prisma migrations without Prisma's native schema engine: drives the WebAssembly
// engine (@prisma/schema-engine-wasm) through a Prisma 7 driver adapter, so it works on machines that
// reach only the npm registry (the Prisma 7.10 CLI downloads a native engine for every migrate command
// and never loads the wasm one it ships). A dev-time tool: the server applies migrations itself on start.
//
//   npm run migrate:dev -- <name> [--create-only] [--force]   new migration from schema.prisma, applied to the dev DB
//   npm run migrate:diff      SQL that would bring prisma/migrations up to schema.prisma (prints nothing when in sync)
//   npm run migrate:status    migration history of the dev DB vs prisma/migrations
//   node prisma/tools/migrate.mjs deploy | push [--force] | reset --force
//
// Env: DATABASE_URL (default file:./data/dev.db — never the server's ./data/chatdesk.db unless you say so),
// PRISMA_SCHEMA, PRISMA_MIGRATIONS, SCHEMA_ENGINE_WASM (e.g. node_modules/prisma/build/schema_engine_bg.wasm),
// DEBUG=1 for the engine's log. Where the native engine can be downloaded, `npx prisma migrate dev` reads and
// writes the same folders (normal <timestamp>_<name>/migration.sql, sha256 checksums in _prisma_migrations).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const require = createRequire(import.meta.url);
const SCHEMA = process.env.PRISMA_SCHEMA ?? "prisma/schema.prisma";
const MIGRATIONS = path.resolve(process.env.PRISMA_MIGRATIONS ?? "prisma/migrations");
const DB_URL = process.env.DATABASE_URL || "file:./data/dev.db";
const [cmd = "status", ...rest] = process.argv.slice(2);
const flags = new Set(rest.filter((a) => a.startsWith("--")));
const migName = rest.find((a) => !a.startsWith("--")) ?? "migration";

const USAGE = "usage: migrate.mjs dev <name> [--create-only] [--force] | diff | status | deploy | push [--force] | reset --force";
const COMMANDS = new Set(["dev", "diff", "status", "deploy", "push", "reset"]);
if (!COMMANDS.has(cmd)) {
  console.error(`unknown command "${cmd}"\n${USAGE}`);
  process.exit(2);
}
if (cmd === "dev" && !/^[A-Za-z0-9_]+$/.test(migName)) {
  console.error(`migration name "${migName}": use letters, digits and _ only (it becomes <timestamp>_${migName})`);
  process.exit(2);
}

const schemaFiles = [[path.resolve(SCHEMA), fs.readFileSync(SCHEMA, "utf8")]];
const provider = /datasource\s+\w+\s*{[^}]*provider\s*=\s*"(\w+)"/s.exec(schemaFiles[0][1])?.[1];
// ChatDesk's schema is SQLite (embedded on Node, D1 on Workers); other providers need their own adapter here.
if (provider !== "sqlite") throw new Error(`${SCHEMA}: provider "${provider}" is not supported by this tool (sqlite only)`);
const sqliteFile = path.resolve(DB_URL.replace(/^file:/, ""));
fs.mkdirSync(path.dirname(sqliteFile), { recursive: true });

async function makeAdapter() {
  const { PrismaBetterSqlite3 } = await import("@prisma/adapter-better-sqlite3");
  const f = new PrismaBetterSqlite3({ url: `file:${sqliteFile}` });
  // Engine bug (7.10): it replays migration.sql files on the in-memory shadow DB through executeRaw, and
  // better-sqlite3's prepare() rejects multi-statement SQL (P3006). Send argument-less SQL as a script.
  const connectShadow = f.connectToShadowDb.bind(f);
  f.connectToShadowDb = async () => {
    const a = await connectShadow();
    const executeRaw = a.executeRaw.bind(a);
    a.executeRaw = async (q) => (q.args?.length ? executeRaw(q) : (await a.executeScript(q.sql), 0));
    return a;
  };
  return f;
}

async function loadEngine() {
  const glue = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  const wasmFile = process.env.SCHEMA_ENGINE_WASM ?? path.join(dir, "schema_engine_bg.wasm");
  // Node 20 cannot import a .wasm module: instantiate it by hand with the package's glue.
  const mod = new WebAssembly.Module(fs.readFileSync(wasmFile));
  const inst = new WebAssembly.Instance(mod, { "./schema_engine_bg.js": glue });
  glue.__wbg_set_wasm(inst.exports);
  inst.exports.__wbindgen_start();
  return glue.SchemaEngine;
}

function migrationsList() {
  const lock = path.join(MIGRATIONS, "migration_lock.toml");
  const dirs = fs.existsSync(MIGRATIONS)
    ? fs.readdirSync(MIGRATIONS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  return {
    baseDir: MIGRATIONS,
    lockfile: { path: "migration_lock.toml", content: fs.existsSync(lock) ? fs.readFileSync(lock, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((d) => {
      const f = path.join(MIGRATIONS, d, "migration.sql");
      return {
        path: d,
        migrationFile: {
          path: "migration.sql",
          content: fs.existsSync(f) ? { tag: "ok", value: fs.readFileSync(f, "utf8") } : { tag: "error", value: "missing" },
        },
      };
    }),
  };
}

// Tables the migrations create that Prisma must not manage: FTS5 virtual tables (ticket search), the
// shadow tables SQLite keeps for them and the search's helper table, which the engine would drop as drift;
// the digest rollups, written only by their triggers (migration digest_rollups).
const FTS5_TABLES = ["TicketSearch", "TicketGrams"];
const FTS5_SHADOWS = ["data", "idx", "content", "docsize", "config"];
const ROLLUP_TABLES = ["RollupDay", "RollupCount", "RollupHistogram", "RollupPending", "RollupSolved"];
const filters = { externalTables: [...FTS5_TABLES.flatMap((t) => [t, ...FTS5_SHADOWS.map((s) => `${t}_${s}`)]), "SearchPosition", ...ROLLUP_TABLES], externalEnums: [] };
const schema = { files: schemaFiles.map(([p, content]) => ({ path: p, content })) };

const openAdapters = [];
const rawFactory = await makeAdapter();
for (const m of ["connect", "connectToShadowDb"]) {
  const orig = rawFactory[m].bind(rawFactory);
  rawFactory[m] = async () => {
    const a = await orig();
    openAdapters.push(a);
    return a;
  };
}
const factory = bindMigrationAwareSqlAdapterFactory(rawFactory);
const SchemaEngine = await loadEngine();
const log = (m) => process.env.DEBUG && console.error("[engine]", m);
const engine = await SchemaEngine.new({ datamodels: schemaFiles }, log, factory);

async function run(method, input) {
  try {
    return await engine[method](input);
  } catch (e) {
    // "External error id#N": the original driver error is kept in the adapter's error registry.
    const m = /External error id#(\d+)/.exec(String(e?.message));
    if (m) e.message += `\n  driver error: ${JSON.stringify(factory.errorRegistry.consumeError(Number(m[1])))}`;
    throw e;
  }
}

// Engine bugs (7.10): reset() is a no-op on SQLite, dropping tables leaves sqlite_sequence (P3005), and a
// second SchemaEngine in one process loses the shadow factory. So: delete the file, re-run in a fresh process.
async function resetDb() {
  for (const f of [sqliteFile, `${sqliteFile}-wal`, `${sqliteFile}-shm`, `${sqliteFile}-journal`]) fs.rmSync(f, { force: true });
  if (cmd !== "reset") await reexec();
}

/** Re-run this command in a fresh process (fresh SchemaEngine) and exit with its status. */
async function reexec() {
  for (const a of openAdapters) await a.dispose().catch(() => {}); // release SQLite locks
  const r = spawnSync(process.execPath, process.argv.slice(1), { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

function writeMigration(out) {
  const dir = path.join(MIGRATIONS, out.generatedMigrationName);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `migration.${out.extension}`), out.migrationScript);
  fs.writeFileSync(
    path.join(MIGRATIONS, "migration_lock.toml"),
    `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${out.connectorType}"\n`,
  );
  return dir;
}

async function devDiagnostic() {
  try {
    return await run("devDiagnostic", { migrationsList: migrationsList(), filters });
  } catch (e) {
    // Engine bug (7.10): a missing _prisma_migrations table surfaces as P1014 instead of "not initialised".
    // Create it (apply an empty migration list), then retry.
    if (e.code !== "P1014" || !String(e.message).includes("_prisma_migrations")) throw e;
    try {
      await run("applyMigrations", { migrationsList: { ...migrationsList(), migrationDirectories: [] }, filters });
      return await run("devDiagnostic", { migrationsList: migrationsList(), filters });
    } catch (e2) {
      if (e2.code !== "P3005") throw e2; // a non-empty database without migration history
      return { action: { tag: "reset", reason: "Database is not empty and has no _prisma_migrations table." } };
    }
  }
}

async function dev() {
  const diag = await devDiagnostic();
  if (diag.action.tag === "reset") {
    if (!flags.has("--force")) throw new Error(`Drift/reset needed: ${diag.action.reason}\n(re-run with --force to reset ${sqliteFile})`);
    await resetDb();
  }
  const applied = await run("applyMigrations", { migrationsList: migrationsList(), filters });
  if (applied.appliedMigrationNames.length) {
    console.log("applied:", applied.appliedMigrationNames);
    // Engine bug (7.10): once applyMigrations applied something, the instance loses the shadow-DB factory.
    await reexec();
  }
  const loss = await run("evaluateDataLoss", { migrationsList: migrationsList(), schema, filters });
  for (const w of loss.warnings) console.warn("WARNING:", w.message);
  if (loss.unexecutableSteps.length) throw new Error(loss.unexecutableSteps.map((s) => s.message).join("\n"));
  const out = await run("createMigration", {
    draft: flags.has("--create-only"),
    migrationName: migName,
    migrationsList: migrationsList(),
    schema,
    filters,
  });
  if (!out.migrationScript) {
    console.log("Already in sync, no migration created.");
    return;
  }
  console.log("created:", path.relative(process.cwd(), writeMigration(out)));
  if (!flags.has("--create-only")) {
    const r = await run("applyMigrations", { migrationsList: migrationsList(), filters });
    console.log("applied:", r.appliedMigrationNames);
  }
}

async function status() {
  const all = migrationsList().migrationDirectories.map((d) => d.path);
  let h;
  try {
    h = await run("diagnoseMigrationHistory", { migrationsList: migrationsList(), optInToShadowDatabase: false, filters });
  } catch (e) {
    if (e.code !== "P1014") throw e; // no _prisma_migrations table yet (same engine bug as in devDiagnostic)
    h = { hasMigrationsTable: false, failedMigrationNames: [], editedMigrationNames: [], history: { diagnostic: "databaseIsBehind", unappliedMigrationNames: all } };
  }
  const pending = h.history?.unappliedMigrationNames ?? [];
  console.log(`${path.relative(process.cwd(), sqliteFile)}: ${all.length} migration(s) in ${path.relative(process.cwd(), MIGRATIONS)}, ${pending.length} not applied`);
  for (const n of pending) console.log(`  pending: ${n}`);
  for (const n of h.failedMigrationNames) console.log(`  failed:  ${n}`);
  for (const n of h.editedMigrationNames) console.log(`  edited after it was applied: ${n}`);
  if (h.history && h.history.diagnostic !== "databaseIsBehind") console.log(`  history: ${JSON.stringify(h.history)}`);
  if (h.failedMigrationNames.length || h.editedMigrationNames.length) process.exitCode = 1;
}

/** prisma/migrations replayed on a shadow DB vs schema.prisma. Exit 0 in sync, 2 with the SQL that is missing (like prisma's --exit-code). */
async function diff() {
  const r = await run("diff", {
    from: { tag: "migrations", ...migrationsList() },
    to: { tag: "schemaDatamodel", ...schema },
    script: true,
    exitCode: null,
    filters,
  });
  const sql = (r.stdout ?? "").replace(/^--.*$/gm, "").trim();
  if (!sql) {
    console.log(`${path.relative(process.cwd(), MIGRATIONS)} is in sync with ${SCHEMA}.`);
    return;
  }
  process.stdout.write(r.stdout);
  console.error(`\n${SCHEMA} has changes no migration holds: run \`npm run migrate:dev -- <name>\`.`);
  process.exitCode = 2;
}

switch (cmd) {
  case "dev":
    await dev();
    break;
  case "deploy": {
    const r = await run("applyMigrations", { migrationsList: migrationsList(), filters });
    console.log(r.appliedMigrationNames.length ? `applied: ${r.appliedMigrationNames.join(", ")}` : "No pending migrations.");
    break;
  }
  case "status":
    await status();
    break;
  case "diff":
    await diff();
    break;
  case "push":
    console.log(await run("schemaPush", { force: flags.has("--force"), schema, filters }));
    break;
  case "reset":
    if (!flags.has("--force")) throw new Error("reset drops all data: pass --force");
    await resetDb();
    console.log("reset done");
    break;
}
engine.free?.();
process.exit(process.exitCode ?? 0);
