// `npm run bench:duplicates [-- --tickets 100000]`: the duplicate check at intake (src/app/tickets/duplicates.ts)
// against a database holding that many open tickets, all inside the window (the seed's 300 groups per
// platform and 5000 customers). Times one check — the candidate query plus the TF-IDF scoring — as a new
// ticket's submission runs it, for a new message in a busy group with a known customer.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findDuplicate, MAX_CANDIDATES } from "../../src/app/tickets/duplicates.js";
import { createSqliteDb } from "../../src/adapter/node/db.js";
import { mostSimilar } from "../../src/core/similarity.js";
import { duplicateCandidates } from "../../src/store/duplicates.js";
import { benchContext } from "./context.js";
import { seedDatabase } from "./seed.js";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const tickets = arg("tickets", 100_000);
const checks = arg("checks", 200);
const now = new Date("2026-03-02T06:00:00Z");
const TEXTS = ["系统登录一直报错，提示密码错误", "导出的报表打不开，一直转圈", "订单页面加载很慢要二十秒", "验证码一直收不到", "两边数据同步失败对不上", "APP 打开就闪退"];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chatdesk-dup-bench-"));
try {
  const seeded = seedDatabase(dir, { tickets, active: tickets, resolved: 0, now, days: 13 });
  const db = createSqliteDb(seeded.file);
  const ctx = benchContext(db, now);
  const open = await db.ticket.count({ where: { status: { in: ["open", "in_progress"] } } });
  const ms: number[] = [];
  const read: number[] = [];
  let hits = 0;
  for (let i = 0; i < checks + 10; i++) {
    const probe = { text: TEXTS[i % TEXTS.length]!, platform: "feishu", chatId: `oc_group_${i % 300}`, customerId: `C${(i * 37) % 5000}`, customerName: `客户公司${(i * 37) % 5000}` };
    const t0 = performance.now();
    const hit = await findDuplicate(ctx, probe, now);
    const dt = performance.now() - t0;
    if (i < 10) continue; // warm-up: statement cache, page cache
    ms.push(dt);
    if (hit) hits++;
    if (i < 30) read.push((await duplicateCandidates(db, { ...probe, since: new Date(now.getTime() - ctx.config.duplicates.windowDays * 86_400_000), limit: MAX_CANDIDATES })).length);
  }
  ms.sort((a, b) => a - b);
  const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!.toFixed(1);
  const plan = await db.$queryRawUnsafe<{ detail: string }[]>(
    `EXPLAIN QUERY PLAN SELECT id FROM "Ticket" WHERE "chatId" = ? AND "platform" = ? AND "receivedAt" >= ? ORDER BY "receivedAt" DESC LIMIT 300`,
    "oc_group_1", "feishu", now.toISOString(),
  );
  console.log(`seeded ${seeded.rows.tickets} tickets (${open} open) in ${(seeded.ms.total / 1000).toFixed(1)} s`);
  console.log(`duplicate check, ${ms.length} checks: p50 ${q(0.5)} ms  p95 ${q(0.95)} ms  max ${q(1)} ms; candidates read per check: ${Math.min(...read)}–${Math.max(...read)} (cap ${MAX_CANDIDATES}); suggestions made: ${hits}`);
  // Scoring alone (no database): the same candidates, the TF-IDF and cosine of src/core/similarity.ts.
  const rows = await duplicateCandidates(db, { platform: "feishu", chatId: "oc_group_1", customerId: "C1", customerName: "客户公司1", since: new Date(now.getTime() - 14 * 86_400_000), limit: MAX_CANDIDATES });
  const s0 = performance.now();
  for (let i = 0; i < 50; i++) mostSimilar(TEXTS[i % TEXTS.length]!, rows.map((r) => ({ key: r.id, text: r.description.slice(0, 600) })), ctx.config.duplicates.threshold);
  console.log(`scoring ${rows.length} candidates: ${((performance.now() - s0) / 50).toFixed(2)} ms per check`);
  console.log(`candidate query plan (group key): ${plan.map((p) => p.detail).join(" | ")}`);
  await db.$disconnect();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
