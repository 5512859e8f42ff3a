// A year of tickets in a migrated SQLite file, fast: raw multi-row INSERTs in one transaction with the
// Ticket indexes dropped during the load and rebuilt after (same definitions, read back from the
// schema). Deterministic (seeded PRNG). The newest tickets are the open backlog.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { migrateSqlite, readMigrations } from "../../src/adapter/node/migrate.js";
import { defaultWorkflow } from "../../src/config/defaults.js";
import { sqlTime } from "../../src/store/reports.js";
import { ROOT } from "../lib/proc.js";
import { BENCH_CONFIG } from "../lib/platforms.js";

export interface SeedSpec {
  tickets: number;
  /** open + in_progress, the newest tickets. */
  active: number;
  /** resolved and waiting for confirmation (the auto-close queue), just older than the active ones. */
  resolved: number;
  now: Date;
  /** Days the tickets span, ending at `now`. */
  days: number;
}

export interface SeedResult {
  file: string;
  ms: { insert: number; indexes: number; total: number };
  rows: { tickets: number; satisfaction: number };
  bytes: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Calendar approximations of the default SLA (working-clock targets stretched over nights and weekends). */
const SLA: Record<string, { response: number; resolution: number }> = {
  urgent: { response: 2 * HOUR, resolution: 24 * HOUR },
  high: { response: 8 * HOUR, resolution: 4 * DAY },
  medium: { response: 16 * HOUR, resolution: 6 * DAY },
  low: { response: 2 * DAY, resolution: 12 * DAY },
};

const PROBLEMS = [
  "系统报错无法登录",
  "验证码收不到",
  "订单页面加载缓慢",
  "导出报表超时失败",
  "数据同步失败，两边不一致",
  "希望增加批量导入功能",
  "界面按钮样式错位",
  "请问发票怎么开",
  "物流三天没有更新",
  "账单扣费有误",
  "客服态度差要求退款",
  "建议延长售后时间",
  "APP 闪退",
  "接口返回 500",
  "打印模板缺字段",
];
const DETAILS = ["影响全部门店", "只影响部分用户", "昨天开始出现", "升级后出现", "客户很着急", "已截图", "今天上午", "VIP 客户"];

const q = (v: string | null) => (v === null ? "NULL" : `'${v.replace(/'/g, "''")}'`);

/** CASE over cumulative weights of a uniform in [0,1). */
function weighted(u: string, choices: [string | null, number][]): string {
  if (choices.length === 1) return q(choices[0]![0]);
  const total = choices.reduce((n, [, w]) => n + w, 0);
  let acc = 0;
  const whens = choices.slice(0, -1).map(([v, w]) => `WHEN ${u} < ${((acc += w) / total).toFixed(6)} THEN ${q(v)}`);
  return `(CASE ${whens.join(" ")} ELSE ${q(choices[choices.length - 1]![0])} END)`;
}

/** Uniform pick among `xs` by a uniform in [0,1). */
const pickSql = (u: string, xs: string[]) => weighted(u, xs.map((x) => [x, 1]));

/** Row i's k-th pseudo-random uniform: a multiplicative hash (MINSTD), deterministic and cheap in SQL. */
const MULT = [16807, 48271, 69621, 39373, 40692, 40014, 62089911, 630360016, 742938285, 950706376, 1226874159, 1343714438, 397204094, 2027812808, 1483524899, 1870044993, 1131816963];
const hash = (k: number) => `((((i + 1) * ${MULT[k]}) % 2147483647) * 48271 % 2147483647 / 2147483647.0)`;
/** Uniform k as a column of the materialized `r` CTE (inlining the hash into every CASE branch costs 10×). */
const u = (k: number) => `u${k}`;
/**
 * Prisma's DateTime text ("2026-01-02T03:04:00.000+00:00") by lookup in a table of minutes: strftime
 * per value costs more than everything else in the load together. Seeded times are whole minutes.
 */
const iso = (ms: string) => `(SELECT s FROM temp.minutes WHERE m = (${ms}) / 60000)`;

export function minutesTable(db: Database.Database, from: number, to: number): void {
  db.exec(`CREATE TEMP TABLE minutes (m INTEGER PRIMARY KEY, s TEXT NOT NULL)`);
  const [a, b] = [Math.floor(from / 60_000), Math.ceil(to / 60_000)];
  db.exec(`WITH RECURSIVE k(m) AS (SELECT ${a} UNION ALL SELECT m + 1 FROM k WHERE m < ${b})
    INSERT INTO temp.minutes SELECT m, strftime('%Y-%m-%dT%H:%M:00.000+00:00', m * 60, 'unixepoch') FROM k`);
}

export function ticketSql(spec: SeedSpec): string {
  const now = spec.now.getTime();
  const span = spec.days * DAY;
  const start = now - span;
  // Category, sub-category and department together, with their shares of the tickets.
  const shares: Record<string, number> = { bug: 0.4, feature: 0.2, question: 0.15, suggestion: 0.05, complaint: 0.05, other: 0.15 };
  const combos: { cat: string; sub: string | null; dept: string; w: number }[] = [];
  for (const c of defaultWorkflow.categories) {
    const share = shares[c.id] ?? 0.05;
    const subs = c.subCategories as readonly { id: string; department?: string }[];
    if (!subs.length) combos.push({ cat: c.id, sub: null, dept: c.department, w: share });
    else {
      combos.push({ cat: c.id, sub: null, dept: c.department, w: share * 0.2 });
      for (const sub of subs) combos.push({ cat: c.id, sub: sub.id, dept: sub.department ?? c.department, w: (share * 0.8) / subs.length });
    }
  }
  const byCombo = (f: (x: (typeof combos)[number]) => string | null) => weighted(u(1), combos.map((x) => [f(x), x.w]));
  const handler = `(CASE department ${BENCH_CONFIG.departments.map((d) => `WHEN ${q(d.id)} THEN ${pickSql(u(3), [...d.handlers])}`).join(" ")} END)`;
  const names = `(CASE hid ${BENCH_CONFIG.people.map((p) => `WHEN ${q(p.id)} THEN ${q(p.name)}`).join(" ")} END)`;
  const sla = (k: "response" | "resolution") => `(CASE priority ${Object.entries(SLA).map(([p, v]) => `WHEN '${p}' THEN ${v[k]}`).join(" ")} END)`;
  return `
WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ${spec.tickets - 1}),
r AS MATERIALIZED (SELECT i, ${MULT.map((_, k) => `${hash(k)} AS u${k}`).join(", ")} FROM seq),
a AS MATERIALIZED (
  SELECT i, ${start} + (${span} * i) / ${spec.tickets} AS recv, ${spec.tickets - 1} - i AS newest,
    ${weighted(u(0), [["urgent", 0.05], ["high", 0.2], ["medium", 0.5], ["low", 0.25]])} AS priority,
    ${byCombo((x) => x.cat)} AS category, ${byCombo((x) => x.sub)} AS sub, ${byCombo((x) => x.dept)} AS department,
    u3, u4, u5, u6, u7, u8, u9, u10,
    CAST(${u(11)} * 5000 AS INTEGER) AS customer, CAST(${u(12)} * 20000 AS INTEGER) AS reporter, ${u(13)} < 0.6 AS feishu,
    ${pickSql(u(14), PROBLEMS)} AS problem, ${pickSql(u(15), DETAILS)} AS detail, ${pickSql(u(16), ["wechat", "phone", "email", "onsite", "other"])} AS channel
  FROM r
),
b AS MATERIALIZED (
  SELECT *,
    CASE WHEN newest < ${spec.active} THEN (CASE WHEN recv > ${now - DAY} THEN (CASE WHEN u4 < 0.5 THEN 'open' ELSE 'in_progress' END)
                                                ELSE (CASE WHEN u4 < 0.15 THEN 'open' ELSE 'in_progress' END) END)
         WHEN newest < ${spec.active + spec.resolved} THEN 'resolved'
         ELSE (CASE WHEN u4 < 0.9 THEN 'closed' WHEN u4 < 0.96 THEN 'rejected' ELSE 'merged' END) END AS status,
    ${handler} AS h,
    recv + ${sla("response")} AS respDue, recv + ${sla("resolution")} AS resDue
  FROM a
),
c AS MATERIALIZED (
  SELECT *, CASE WHEN status = 'open' AND u5 < 0.3 THEN NULL ELSE h END AS hid,
    CASE WHEN status = 'open' THEN NULL ELSE MIN(${now}, recv + 300000 + CAST(u6 * ${10 * HOUR} AS INTEGER)) END AS first
  FROM b
),
d AS MATERIALIZED (
  SELECT *, CASE status WHEN 'resolved' THEN MAX(first, ${now} - CAST(u7 * ${2 * DAY} AS INTEGER))
                        WHEN 'closed' THEN MIN(${now - DAY}, first + ${HOUR} + CAST(u7 * ${8 * DAY} AS INTEGER)) END AS resolved
  FROM c
),
e AS MATERIALIZED (
  SELECT *, CASE WHEN status = 'closed' THEN MIN(${now}, resolved + CAST(u8 * ${3 * DAY} AS INTEGER))
                 WHEN status IN ('rejected', 'merged') THEN MIN(${now}, COALESCE(first, recv) + CAST(u8 * ${DAY} AS INTEGER)) END AS closed
  FROM d
),
f AS MATERIALIZED (
  SELECT *, CASE WHEN status = 'in_progress' THEN recv + CAST(u9 * (${now} - recv) AS INTEGER) ELSE COALESCE(closed, resolved, first, recv) END AS progress,
    CASE WHEN status = 'closed' AND u10 < 0.4 THEN ${weighted("((u10 * 1000) - CAST(u10 * 1000 AS INTEGER))", [["5", 0.5], ["4", 0.3], ["3", 0.1], ["2", 0.06], ["1", 0.04]])} END AS score,
    strftime('%Y%m%d', (recv + ${8 * HOUR}) / 1000, 'unixepoch') AS day
  FROM e
)
INSERT INTO "Ticket" (id, number, title, description, status, category, subCategory, priority, department, handlerId, handlerName,
  reporterId, reporterName, platform, chatId, messageId, receivedAt, customerName, customerId, customerTier, channel, product, locale,
  responseDueAt, resolutionDueAt, firstResponseAt, resolvedAt, closedAt, lastProgressAt, responseOverdue, resolutionOverdue,
  satisfaction, version, createdAt, updatedAt)
SELECT i + 1, 'FB' || day || printf('%03d', ROW_NUMBER() OVER (PARTITION BY day ORDER BY i)), problem,
  '客户公司' || customer || '反馈：' || problem || '，' || detail || '。联系人 ' || reporter || ' 号，希望尽快处理。',
  status, category, sub, priority, department, hid, ${names},
  CASE WHEN feishu THEN 'ou_customer_' || reporter ELSE 'staff_' || reporter END, '客户' || reporter,
  CASE WHEN feishu THEN 'feishu' ELSE 'dingtalk' END,
  CASE WHEN feishu THEN 'oc_group_' || (reporter % 300) ELSE 'group:cidGroup' || (reporter % 300) || '==' END,
  'msg_seed_' || (i + 1), ${iso("recv")}, '客户公司' || customer, 'C' || customer,
  CASE WHEN customer % 500 = 0 THEN 'strategic' WHEN customer % 50 = 0 THEN 'vip' ELSE 'normal' END,
  channel, ${pickSql("u9", ["ERP", "CRM", "POS", "APP"])}, 'zh-CN',
  ${iso("respDue")}, ${iso("resDue")}, CASE WHEN first IS NULL THEN NULL ELSE ${iso("first")} END,
  CASE WHEN resolved IS NULL THEN NULL ELSE ${iso("resolved")} END, CASE WHEN closed IS NULL THEN NULL ELSE ${iso("closed")} END,
  ${iso("progress")}, COALESCE(first, ${now}) > respDue,
  status NOT IN ('rejected', 'merged') AND COALESCE(resolved, ${now}) > resDue,
  CAST(score AS INTEGER), CASE WHEN status = 'open' THEN 1 ELSE 2 + CAST(u8 * 5 AS INTEGER) END, ${iso("recv")}, ${iso("progress")}
FROM f ORDER BY i`;
}

/**
 * What the search triggers would have written: the trigram index rebuilt from Ticket, and the CJK
 * pairs with the very expression of the insert trigger (read back from it, NEW → the row).
 */
function fillSearch(db: Database.Database, triggers: { name: string; sql: string }[]): void {
  db.exec(`INSERT INTO "TicketSearch" ("TicketSearch") VALUES ('rebuild')`);
  const insert = triggers.find((t) => t.name === "Ticket_search_insert")?.sql ?? "";
  const grams = /INSERT INTO "TicketGrams" \(rowid, "grams"\) VALUES \(NEW\."id", ([\s\S]*)\);\s*END/.exec(insert)?.[1];
  if (!grams) throw new Error("seed: the TicketGrams expression of trigger Ticket_search_insert was not found");
  db.exec(`INSERT INTO "TicketGrams" (rowid, "grams") SELECT t."id", ${grams.replace(/NEW\./g, "t.")} FROM "Ticket" t`);
}

/** What the rollup triggers would have written: the backfill of migration digest_rollups, run again. */
function fillRollups(db: Database.Database): void {
  const m = readMigrations(path.join(ROOT, "prisma/migrations")).find((x) => x.name.endsWith("_digest_rollups"));
  const at = m?.sql.indexOf("-- Tickets already stored") ?? -1;
  if (!m || at < 0) throw new Error("seed: the backfill of migration digest_rollups was not found");
  for (const t of ["RollupDay", "RollupCount", "RollupHistogram", "RollupPending", "RollupSolved"]) db.exec(`DELETE FROM "${t}"`);
  db.exec(m.sql.slice(at));
}

export function seedDatabase(dir: string, spec: SeedSpec): SeedResult {
  const t0 = performance.now();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "scale.db");
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  migrateSqlite(file, readMigrations(path.join(ROOT, "prisma/migrations")));
  const db = new Database(file);
  db.pragma("journal_mode = OFF");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -262144");
  db.pragma("temp_store = MEMORY");

  const indexes = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Ticket' AND sql IS NOT NULL`).all() as { name: string; sql: string }[];
  for (const i of indexes) db.exec(`DROP INDEX "${i.name}"`);
  // The triggers (follow-up times, search indexes) would run per row: dropped too, their work done in bulk after.
  const triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'Ticket'`).all() as { name: string; sql: string }[];
  for (const t of triggers) db.exec(`DROP TRIGGER "${t.name}"`);

  const tInsert = performance.now();
  let satRows = 0;
  minutesTable(db, spec.now.getTime() - spec.days * DAY - DAY, spec.now.getTime() + 20 * DAY);
  db.transaction(() => {
    db.exec(ticketSql(spec));
    satRows = db
      .prepare(`INSERT INTO "Satisfaction" ("ticketId", "score", "comment", "actorId", "at")
        SELECT id, satisfaction, CASE WHEN satisfaction <= 2 THEN '处理太慢' END, reporterId, closedAt FROM "Ticket" WHERE satisfaction IS NOT NULL`)
      .run().changes;
    db.exec(`INSERT INTO "DaySequence" ("key", "last") SELECT substr(number, 1, 10), MAX(CAST(substr(number, 11) AS INTEGER)) FROM "Ticket" GROUP BY 1`);
  })();
  const insertMs = performance.now() - tInsert;

  const tIdx = performance.now();
  for (const i of indexes) db.exec(i.sql);
  fillSearch(db, triggers);
  fillRollups(db);
  for (const t of triggers) db.exec(t.sql);
  const indexMs = performance.now() - tIdx;
  db.pragma("journal_mode = WAL");
  db.close();
  return { file, ms: { insert: insertMs, indexes: indexMs, total: performance.now() - t0 }, rows: { tickets: spec.tickets, satisfaction: satRows }, bytes: fs.statSync(file).size };
}
