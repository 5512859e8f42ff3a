// The digest rollups (migration digest_rollups) against the scans they replace: on the fixed digest data
// set, every report figure read through the rollups equals the old one-scan-per-figure SQL (rollup-scan.ts)
// for whole-day, partial-day, UTC-day and sub-day ranges, several "now"s and department scopes — before and
// after tickets change, move, get rated and are deleted (the triggers keep the rollups in step).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { breakdown, handlerLoad, reportCounts, reportSummary, topProblems, type BreakdownColumn } from "../../src/store/reports.js";
import type { Db } from "../../src/store/db.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { seedDataset } from "../scheduler/dataset.js";
import { sh } from "../scheduler/support.js";
import { oldBreakdown, oldHandlerLoad, oldSummary, oldTopProblems, type Range } from "./rollup-scan.js";

let s: TestServer;
let db: Db;
beforeAll(async () => {
  s = await startTestServer({ now: () => sh("2025-10-20 09:00") });
  db = s.db;
  await seedDataset(db);
});
afterAll(() => s.close());

const RANGES: [string, Date, Date][] = [
  ["the week (Shanghai days)", sh("2025-10-13 00:00"), sh("2025-10-20 00:00")],
  ["partial days at both ends", sh("2025-10-13 10:30"), sh("2025-10-19 15:00")],
  ["UTC days", new Date("2025-10-13T00:00:00Z"), new Date("2025-10-20T00:00:00Z")],
  ["two months", sh("2025-09-01 00:00"), sh("2025-11-01 00:00")],
  ["inside one day", sh("2025-10-13 09:00"), sh("2025-10-13 18:00")],
];
// 10-17 17:30: 17001 went past its 17:00 response deadline earlier that same day (read from "Ticket").
const NOWS = ["2025-10-20 09:00", "2025-10-17 12:00", "2025-10-17 17:30", "2025-10-15 16:30", "2025-11-30 09:00"].map(sh);
const SCOPES: (string[] | undefined)[] = [undefined, ["tech"], ["tech", "product"]];
const COLUMNS: BreakdownColumn[] = ["category", "department", "channel", "priority", "status", "customerTier", "platform"];

function* cases(): Generator<[string, Range]> {
  for (const [name, start, end] of RANGES)
    for (const now of NOWS) for (const departments of SCOPES) yield [`${name}, now ${now.toISOString()}, ${departments?.join("+") ?? "all"}`, { start, end, now, departments }];
}

async function expectSameFigures(): Promise<number> {
  let checked = 0;
  for (const [name, r] of cases()) {
    const [now, old] = [await reportSummary(db, r), await oldSummary(db, r)];
    const { avgResponseMinutes, avgResolutionMinutes, p90ResponseMinutes, p90ResolutionMinutes, ...counts } = now;
    const { avgResponseMinutes: oa, avgResolutionMinutes: ob, p90ResponseMinutes: oc, p90ResolutionMinutes: od, ...oldCounts } = old;
    expect(counts, name).toEqual(oldCounts);
    // What a digest reads for the previous period: the same counts, without the histograms.
    expect(await reportCounts(db, r), `${name}: counts alone`).toEqual(oldCounts);
    for (const [a, b] of [[avgResponseMinutes, oa], [avgResolutionMinutes, ob]] as const) {
      if (b === null) expect(a, name).toBeNull();
      else expect(a, name).toBeCloseTo(b, 6);
    }
    // The histogram gives the lower edge of a 3-significant-digit bucket: at most 1% below.
    for (const [a, b] of [[p90ResponseMinutes, oc], [p90ResolutionMinutes, od]] as const) {
      if (b === null) expect(a, name).toBeNull();
      else expect(b - a!, name).toBeGreaterThanOrEqual(-1e-6), expect(b - a!, name).toBeLessThan(Math.max(1, b / 100));
    }
    for (const c of COLUMNS) expect(await breakdown(db, r, c), `${name} by ${c}`).toEqual(await oldBreakdown(db, r, c));
    for (const limit of [3, 5]) expect(await topProblems(db, r, limit), `${name} top ${limit}`).toEqual(await oldTopProblems(db, r, limit));
    const [load, oldLoad] = [await handlerLoad(db, r), await oldHandlerLoad(db, r)];
    expect(load.map(({ avgSatisfaction: _, ...x }) => x), name).toEqual(oldLoad.map(({ avgSatisfaction: _, ...x }) => x));
    load.forEach((x, i) => (oldLoad[i]!.avgSatisfaction === null ? expect(x.avgSatisfaction).toBeNull() : expect(x.avgSatisfaction).toBeCloseTo(oldLoad[i]!.avgSatisfaction!, 9)));
    checked++;
  }
  return checked;
}

describe("digest rollups", () => {
  it("give the old scans' figures on the digest data set", async () => {
    expect(await expectSameFigures()).toBe(RANGES.length * NOWS.length * SCOPES.length);
    // The week's own figures, as digests.test.ts computes them by hand.
    const week = await reportSummary(db, { start: sh("2025-10-13 00:00"), end: sh("2025-10-20 00:00"), now: sh("2025-10-20 09:00") });
    expect([week.received, week.responseDue, week.responseOnTime, week.p90ResponseMinutes, week.p90ResolutionMinutes]).toEqual([7, 6, 4, 300, 4320]);
  });

  it("are what a whole-day range reads (a changed rollup row changes the figure)", async () => {
    const r = { start: sh("2025-10-13 00:00"), end: sh("2025-10-20 00:00"), now: sh("2025-10-20 09:00") };
    const before = await reportSummary(db, r);
    await db.$executeRawUnsafe(`UPDATE "RollupDay" SET "n" = "n" + 100 WHERE "day" = '2025-10-14'`);
    try {
      expect((await reportSummary(db, r)).received).toBe(before.received + 100);
    } finally {
      await db.$executeRawUnsafe(`UPDATE "RollupDay" SET "n" = "n" - 100 WHERE "day" = '2025-10-14'`);
    }
  });

  it("follow tickets that change, move, are rated, answered, resolved and deleted", async () => {
    const t = (number: string) => db.ticket.findUniqueOrThrow({ where: { number } });
    await db.ticket.update({ where: { id: (await t("FB20251017001")).id }, data: { status: "in_progress", firstResponseAt: sh("2025-10-17 18:00"), handlerId: "li" } });
    await db.ticket.update({ where: { id: (await t("FB20251016001")).id }, data: { status: "resolved", resolvedAt: sh("2025-10-19 23:30"), satisfaction: 2 } });
    await db.ticket.update({ where: { id: (await t("FB20251014001")).id }, data: { department: "service", category: "question", subCategory: "usage", channel: null, receivedAt: sh("2025-10-13 23:59") } });
    await db.ticket.update({ where: { id: (await t("FB20251019001")).id }, data: { status: "merged" } });
    await db.ticket.delete({ where: { id: (await t("FB20251011001")).id } });
    await db.ticket.update({ where: { id: (await t("FB20251013001")).id }, data: { status: "open", firstResponseAt: null, resolvedAt: null, satisfaction: null } });
    expect(await expectSameFigures()).toBe(RANGES.length * NOWS.length * SCOPES.length);
  });
});
