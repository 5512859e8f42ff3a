#!/usr/bin/env node
// Writes the SQL of migration digest_rollups (its tables, triggers and backfill) to stdout: the triggers
// repeat one row shape per rollup for NEW (+1), OLD (-1) and the backfill, so they are generated, not typed.
//   node prisma/tools/digest-rollups.mjs > prisma/migrations/20261203080000_digest_rollups/migration.sql
// (Only while that migration is unreleased; later changes go into a new migration.)
const DAY = (c) => `date(${c}, '+8 hours')`;
const MS = (a, b) => `CAST(round((julianday(${a}) - julianday(${b})) * 86400000) AS INTEGER)`;
// 3 significant digits of whole minutes: the histogram bucket's lower edge.
const LO = (a, b) => {
  const x = `(max(0, ${MS(a, b)}) / 60000)`;
  const p = `CAST(substr('1000000000000', 1, max(length(CAST(${x} AS TEXT)) - 2, 1)) AS INTEGER)`;
  return `(${x} / ${p}) * ${p}`;
};
const DROPPED = `('rejected', 'merged')`;
const ACTIVE = `('open', 'in_progress')`;
const b = (e) => `(CASE WHEN ${e} THEN 1 ELSE 0 END)`;

// Each rollup as: rows of one ticket R (alias prefix) with sign s, as a SELECT list + optional WHERE.
function dayRow(R, s) {
  return { x: [DAY(`${R}."receivedAt"`), `${R}."department"`, `${R}."status"`, `${s}`,
    `${s} * ${b(`${R}."firstResponseAt" IS NOT NULL`)}`, `${s} * ${b(`${R}."firstResponseAt" IS NOT NULL AND ${R}."firstResponseAt" <= ${R}."responseDueAt"`)}`,
    `${s} * ${b(`${R}."resolvedAt" IS NOT NULL`)}`, `${s} * ${b(`${R}."resolvedAt" IS NOT NULL AND ${R}."resolvedAt" <= ${R}."resolutionDueAt"`)}`,
    `${s} * coalesce(${MS(`${R}."firstResponseAt"`, `${R}."receivedAt"`)}, 0)`, `${s} * coalesce(${MS(`${R}."resolvedAt"`, `${R}."receivedAt"`)}, 0)`] };
}
const DAY_COLS = `("day", "department", "status", "n", "answered", "answeredOnTime", "resolved", "resolvedOnTime", "responseMs", "resolutionMs")`;
const DAY_SET = `"n" = "n" + excluded."n", "answered" = "answered" + excluded."answered", "answeredOnTime" = "answeredOnTime" + excluded."answeredOnTime",
    "resolved" = "resolved" + excluded."resolved", "resolvedOnTime" = "resolvedOnTime" + excluded."resolvedOnTime",
    "responseMs" = "responseMs" + excluded."responseMs", "resolutionMs" = "resolutionMs" + excluded."resolutionMs"`;

const DIMS = [
  ["category", `"category"`, `coalesce("subCategory", '')`],
  ["channel", `coalesce("channel", '')`, `''`],
  ["priority", `"priority"`, `''`],
  ["customerTier", `"customerTier"`, `''`],
  ["platform", `"platform"`, `''`],
  ["handlerId", `coalesce("handlerId", '')`, `''`],
];
const col = (R, e) => e.replace(/"(\w+)"/g, `${R}."$1"`);
function countRows(R, s) {
  return DIMS.map(([d, k, sub]) => ({ x: [DAY(`${R}."receivedAt"`), `${R}."department"`, `'${d}'`, col(R, k), col(R, sub), `${s}`, `${s} * ${b(`${R}."status" IN ${ACTIVE}`)}`] }));
}
const COUNT_COLS = `("day", "department", "dim", "key", "sub", "n", "active")`;
const COUNT_SET = `"n" = "n" + excluded."n", "active" = "active" + excluded."active"`;

function histRows(R, s) {
  return [
    { x: [DAY(`${R}."receivedAt"`), `${R}."department"`, `'response'`, LO(`${R}."firstResponseAt"`, `${R}."receivedAt"`), `${s}`], w: `${R}."firstResponseAt" IS NOT NULL` },
    { x: [DAY(`${R}."receivedAt"`), `${R}."department"`, `'resolution'`, LO(`${R}."resolvedAt"`, `${R}."receivedAt"`), `${s}`], w: `${R}."resolvedAt" IS NOT NULL` },
  ];
}
const HIST_COLS = `("day", "department", "kind", "lo", "n")`;
function pendingRows(R, s) {
  return [
    { x: [DAY(`${R}."receivedAt"`), `${R}."department"`, `'response'`, DAY(`${R}."responseDueAt"`), `${s}`], w: `${R}."firstResponseAt" IS NULL AND ${R}."status" NOT IN ${DROPPED}` },
    { x: [DAY(`${R}."receivedAt"`), `${R}."department"`, `'resolution'`, DAY(`${R}."resolutionDueAt"`), `${s}`], w: `${R}."resolvedAt" IS NULL AND ${R}."status" NOT IN ${DROPPED}` },
  ];
}
const PENDING_COLS = `("day", "department", "kind", "dueDay", "n")`;
function solvedRow(R, s) {
  return { x: [DAY(`${R}."resolvedAt"`), `${R}."department"`, `coalesce(${R}."handlerId", '')`, `${s}`, `${s} * coalesce(${R}."satisfaction", 0)`, `${s} * ${b(`${R}."satisfaction" IS NOT NULL`)}`], w: `${R}."resolvedAt" IS NOT NULL` };
}
const SOLVED_COLS = `("day", "department", "handlerId", "n", "satisfactionSum", "satisfactionCount")`;
const SOLVED_SET = `"n" = "n" + excluded."n", "satisfactionSum" = "satisfactionSum" + excluded."satisfactionSum", "satisfactionCount" = "satisfactionCount" + excluded."satisfactionCount"`;

// In a trigger a SELECT without FROM needs "WHERE true" before ON CONFLICT (https://www.sqlite.org/lang_upsert.html, parsing ambiguity).
const sel = (r) => `SELECT ${r.x.join(", ")} WHERE ${r.w ?? "true"}`;
const up = (table, cols, rows, conflict, set) => `INSERT INTO "${table}" ${cols}\n    ${rows.length > 1 ? `SELECT * FROM (${rows.map(sel).join("\n      UNION ALL ")}) WHERE true` : sel(rows[0])}\n    ON CONFLICT (${conflict}) DO UPDATE SET ${set};`;
const TABLES = {
  day: (R, s) => [up("RollupDay", DAY_COLS, [dayRow(R, s)], `"day", "department", "status"`, DAY_SET)],
  // One statement per column: D1 caps the terms of a compound SELECT (UNION ALL).
  count: (R, s) => countRows(R, s).map((x) => up("RollupCount", COUNT_COLS, [x], `"day", "department", "dim", "key", "sub"`, COUNT_SET)),
  hist: (R, s) => histRows(R, s).map((x) => up("RollupHistogram", HIST_COLS, [x], `"day", "department", "kind", "lo"`, `"n" = "n" + excluded."n"`)),
  pending: (R, s) => pendingRows(R, s).map((x) => up("RollupPending", PENDING_COLS, [x], `"day", "department", "kind", "dueDay"`, `"n" = "n" + excluded."n"`)),
  solved: (R, s) => [up("RollupSolved", SOLVED_COLS, [solvedRow(R, s)], `"day", "department", "handlerId"`, SOLVED_SET)],
};
const UPDATE_OF = {
  day: ["receivedAt", "department", "status", "firstResponseAt", "responseDueAt", "resolvedAt", "resolutionDueAt"],
  count: ["receivedAt", "department", "status", "category", "subCategory", "channel", "priority", "customerTier", "platform", "handlerId"],
  hist: ["receivedAt", "department", "firstResponseAt", "resolvedAt"],
  pending: ["receivedAt", "department", "status", "firstResponseAt", "responseDueAt", "resolvedAt", "resolutionDueAt"],
  solved: ["department", "resolvedAt", "handlerId", "satisfaction"],
};
const NAME = { day: "Day", count: "Count", hist: "Histogram", pending: "Pending", solved: "Solved" };
const ind = (xs) => xs.map((x) => `  ${x}`).join("\n");

let out = `-- Digest rollups (src/store/rollups.ts): per-day counts and sums of the tickets, so a month's digest reads
-- a few thousand small rows instead of every ticket. Kept in step with "Ticket" by the triggers below (every
-- writer: use cases, scheduler, raw SQL), in plain SQLite that D1 runs too; filled from the stored tickets
-- at the end. Not Prisma models (prisma/tools/migrate.mjs lists them as external): only these triggers
-- write them, only raw SQL aggregates read them.
--
-- "day" is the date at UTC+8 (China Standard Time, the default calendar.timeZone): a report range is read
-- from the rollups for the whole such days it contains and from "Ticket" for the rest, so any zone gets
-- exact figures; ranges of Chinese local days are read from the rollups alone.
-- Durations are whole milliseconds (integer sums: no floating drift as triggers add and subtract).

-- Tickets by the day they were received, department and status.
CREATE TABLE "RollupDay" (
    "day" TEXT NOT NULL, "department" TEXT NOT NULL, "status" TEXT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,
    "answered" INTEGER NOT NULL DEFAULT 0, "answeredOnTime" INTEGER NOT NULL DEFAULT 0,
    "resolved" INTEGER NOT NULL DEFAULT 0, "resolvedOnTime" INTEGER NOT NULL DEFAULT 0,
    "responseMs" INTEGER NOT NULL DEFAULT 0, "resolutionMs" INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY ("day", "department", "status")
) WITHOUT ROWID;

-- Received tickets counted by one more column ("dim": category with sub-category in "sub", channel,
-- priority, customerTier, platform, handlerId; NULL stored as ''), with how many of them are active.
CREATE TABLE "RollupCount" (
    "day" TEXT NOT NULL, "department" TEXT NOT NULL, "dim" TEXT NOT NULL, "key" TEXT NOT NULL, "sub" TEXT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0, "active" INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY ("day", "department", "dim", "key", "sub")
) WITHOUT ROWID;

-- Minutes from receipt to the first response / the resolution, in buckets of 3 significant digits ("lo" is
-- the bucket's lower edge: 0…999 exact minutes, then 1000, 1010, …): the p90 to within 1%.
CREATE TABLE "RollupHistogram" (
    "day" TEXT NOT NULL, "department" TEXT NOT NULL, "kind" TEXT NOT NULL, "lo" INTEGER NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY ("day", "department", "kind", "lo")
) WITHOUT ROWID;

-- Tickets still owing a response / a resolution (not rejected or merged), by the day that deadline falls
-- on: whether they count as due depends on the reader's "now".
CREATE TABLE "RollupPending" (
    "day" TEXT NOT NULL, "department" TEXT NOT NULL, "kind" TEXT NOT NULL, "dueDay" TEXT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY ("day", "department", "kind", "dueDay")
) WITHOUT ROWID;

-- Tickets by the day they were resolved, department and handler ('' = none), with their satisfaction.
CREATE TABLE "RollupSolved" (
    "day" TEXT NOT NULL, "department" TEXT NOT NULL, "handlerId" TEXT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0, "satisfactionSum" INTEGER NOT NULL DEFAULT 0, "satisfactionCount" INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY ("day", "department", "handlerId")
) WITHOUT ROWID;
`;
for (const k of Object.keys(TABLES)) {
  out += `\nCREATE TRIGGER "Ticket_rollup${NAME[k]}_insert" AFTER INSERT ON "Ticket"\nBEGIN\n${ind(TABLES[k]("NEW", 1))}\nEND;\n`;
  out += `\nCREATE TRIGGER "Ticket_rollup${NAME[k]}_delete" AFTER DELETE ON "Ticket"\nBEGIN\n${ind(TABLES[k]("OLD", -1))}\nEND;\n`;
  const changed = UPDATE_OF[k].map((c) => `OLD."${c}" IS NOT NEW."${c}"`).join(" OR ");
  out += `\nCREATE TRIGGER "Ticket_rollup${NAME[k]}_update" AFTER UPDATE OF ${UPDATE_OF[k].map((c) => `"${c}"`).join(", ")} ON "Ticket"\nWHEN ${changed}\nBEGIN\n${ind([...TABLES[k]("OLD", -1), ...TABLES[k]("NEW", 1)])}\nEND;\n`;
}
// Backfill: the same rows over every stored ticket, summed per key.
out += `\n-- Tickets already stored: the rows the insert triggers would have written, summed per key.\n`;
function backfill(table, colsStr, rows) {
  const cols = colsStr.slice(1, -1).split(", ").map((c) => c.replace(/"/g, ""));
  const nkeys = { RollupDay: 3, RollupCount: 5, RollupHistogram: 4, RollupPending: 4, RollupSolved: 3 }[table];
  const body = rows.map((r) => `SELECT ${r.x.map((e, i) => `${e} AS "${cols[i]}"`).join(", ")} FROM "Ticket" t${r.w ? ` WHERE ${r.w}` : ""}`).join("\n  UNION ALL ");
  const keys = cols.slice(0, nkeys).map((c) => `"${c}"`).join(", ");
  return `INSERT INTO "${table}" ${colsStr}\nSELECT ${keys}, ${cols.slice(nkeys).map((c) => `SUM("${c}")`).join(", ")} FROM (\n  ${body}\n) GROUP BY ${keys};\n`;
}
out += backfill("RollupDay", DAY_COLS, [dayRow("t", 1)]);
for (const x of countRows("t", 1)) out += backfill("RollupCount", COUNT_COLS, [x]);
for (const x of histRows("t", 1)) out += backfill("RollupHistogram", HIST_COLS, [x]);
for (const x of pendingRows("t", 1)) out += backfill("RollupPending", PENDING_COLS, [x]);
out += backfill("RollupSolved", SOLVED_COLS, [solvedRow("t", 1)]);
process.stdout.write(out);
