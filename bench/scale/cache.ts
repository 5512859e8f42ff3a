// The seeded database is kept in bench/out/cache and reused while the migrations, the seeder and the
// spec are unchanged (a million tickets take a minute or more to build on a small machine). Every run
// works on a copy, so what a tick writes never leaks into the next run.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readMigrations } from "../../src/adapter/node/migrate.js";
import type { WorkCalendar } from "../../src/core/calendar.js";
import { ROOT } from "../lib/proc.js";
import { seedClaims } from "./claims.js";
import { benchContext } from "./context.js";
import { seedDatabase, type SeedResult, type SeedSpec } from "./seed.js";

const CACHE = path.join(ROOT, "bench/out/cache");
const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface Seeded {
  file: string;
  now: Date;
  spec: Omit<SeedSpec, "now">;
  seed: SeedResult["ms"] & { claims: number; claimsMs: number; bytes: number };
  reused: boolean;
}

function keyOf(spec: Omit<SeedSpec, "now">): string {
  const h = createHash("sha256");
  for (const m of readMigrations(path.join(ROOT, "prisma/migrations"))) h.update(m.name).update(m.sql);
  for (const f of ["seed.ts", "claims.ts"]) h.update(fs.readFileSync(path.join(HERE, f)));
  h.update(JSON.stringify(spec));
  return h.digest("hex").slice(0, 16);
}

/**
 * The seed's "now": 10:30 of the latest working day that has reached it, so the steady-state tick is a
 * daytime one whatever the hour the bench runs (the night tick is measured at 23:30 the same day).
 */
function workingMorning(cal: WorkCalendar, at: Date): Date {
  let day = cal.localDate(at);
  for (let i = 0; i < 60 && (!cal.isWorkingDay(day) || cal.atLocalTime(day, "10:30") > at); i++) day = cal.addLocalDays(day, -1);
  return cal.atLocalTime(day, "10:30");
}

export async function seededCopy(spec: Omit<SeedSpec, "now">, workDir: string, o: { fresh?: boolean; log: (m: string) => void }): Promise<Seeded> {
  const key = keyOf(spec);
  const file = path.join(CACHE, `scale-${key}.db`);
  const metaFile = path.join(CACHE, `scale-${key}.json`);
  let meta: Omit<Seeded, "file" | "reused"> | undefined;
  if (!o.fresh && fs.existsSync(file) && fs.existsSync(metaFile)) {
    const m = JSON.parse(fs.readFileSync(metaFile, "utf8")) as Omit<Seeded, "file" | "reused" | "now"> & { now: string };
    meta = { ...m, now: new Date(m.now) };
  }
  const reused = meta !== undefined;
  if (!meta) {
    fs.mkdirSync(CACHE, { recursive: true });
    // One cached database at a time: they are large.
    for (const f of fs.readdirSync(CACHE)) if (f.startsWith("scale-")) fs.rmSync(path.join(CACHE, f), { force: true });
    const now = workingMorning(benchContext(undefined as never, new Date()).calendar, new Date());
    o.log(`seeding ${spec.tickets.toLocaleString("en-US")} tickets (cached in ${path.relative(ROOT, CACHE)} for later runs)`);
    const r = seedDatabase(CACHE, { ...spec, now });
    fs.renameSync(r.file, file);
    // The claims are computed with a Prisma-free connection; the context only supplies config and calendar.
    const c = seedClaims(file, benchContext(undefined as never, now), now);
    meta = { now, spec, seed: { ...r.ms, claims: c.claims, claimsMs: c.ms, bytes: fs.statSync(file).size } };
    fs.writeFileSync(metaFile, JSON.stringify(meta, null, 2));
  }
  const copy = path.join(workDir, "scale.db");
  fs.mkdirSync(workDir, { recursive: true });
  fs.copyFileSync(file, copy);
  return { ...meta, file: copy, reused };
}
