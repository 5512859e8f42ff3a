// Build step (Node, never bundled): lay prisma/migrations/<ts>_<name>/migration.sql out the way
// `wrangler d1 migrations apply` reads them — flat <ts>_<name>.sql files in wrangler.toml's
// migrations_dir. The name keeps Prisma's timestamp, which wrangler orders by (numeric prefix).
//   npm run worker:migrations   (then: npx wrangler d1 migrations apply DB --local|--remote)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const PRISMA_MIGRATIONS = path.join(ROOT, "prisma/migrations");
export const D1_MIGRATIONS = path.join(ROOT, "dist/d1-migrations");

/**
 * D1 enforces foreign keys and ignores `PRAGMA foreign_keys=OFF`; Prisma's table redefinitions
 * rely on it. Deferring the checks to the end of the migration is D1's documented substitute.
 */
export function d1Sql(name: string, sql: string): string {
  // Statement-level only: a trigger body's BEGIN … END is not a transaction.
  if (/^\s*(BEGIN(\s+(DEFERRED|IMMEDIATE|EXCLUSIVE))?(\s+TRANSACTION)?|(COMMIT|ROLLBACK)(\s+TRANSACTION)?|END\s+TRANSACTION|SAVEPOINT\s+\w+|RELEASE(\s+SAVEPOINT)?\s+\w+)\s*;/im.test(sql)) {
    throw new Error(`${name}: D1 runs each migration in its own transaction and rejects explicit BEGIN/COMMIT`);
  }
  if (!/PRAGMA\s+foreign_keys\s*=\s*OFF/i.test(sql) || /PRAGMA\s+defer_foreign_keys\s*=\s*ON/i.test(sql)) return sql;
  return `PRAGMA defer_foreign_keys=ON;\n${sql}\nPRAGMA defer_foreign_keys=OFF;\n`;
}

/** Rewrites `to` so it holds exactly one .sql file per Prisma migration; returns the file names. */
export function writeD1Migrations(from = PRISMA_MIGRATIONS, to = D1_MIGRATIONS): string[] {
  const dirs = fs
    .readdirSync(from, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(from, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort();
  for (const name of dirs) {
    if (!/^\d+_[A-Za-z0-9_]+$/.test(name)) throw new Error(`${name}: expected Prisma's <timestamp>_<name> folder name`);
  }
  fs.mkdirSync(to, { recursive: true });
  const files = dirs.map((d) => `${d}.sql`);
  // Stale files would be applied too: the folder mirrors prisma/migrations exactly.
  for (const f of fs.readdirSync(to)) if (f.endsWith(".sql") && !files.includes(f)) fs.rmSync(path.join(to, f));
  for (const d of dirs) fs.writeFileSync(path.join(to, `${d}.sql`), d1Sql(d, fs.readFileSync(path.join(from, d, "migration.sql"), "utf8")));
  return files;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = writeD1Migrations();
  console.log(`${files.length} D1 migration(s) in ${path.relative(process.cwd(), D1_MIGRATIONS) || "."}: ${files.join(", ")}`);
}
