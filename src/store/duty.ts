// Leave and swaps (DutyLeave rows) as the duty rules read them.
import type { Leave } from "../core/duty.js";
import type { Db } from "./db.js";

/** Leaves covering `date` (YYYY-MM-DD). */
export async function leavesOn(db: Db, date: string): Promise<Leave[]> {
  const rows = await db.dutyLeave.findMany({ where: { toDate: { gte: date }, fromDate: { lte: date } }, orderBy: { id: "asc" } });
  return rows.map((r) => ({ personId: r.personId, from: r.fromDate, to: r.toDate, coverId: r.coverId }));
}

export async function addLeave(db: Db, l: Leave & { createdBy: string }): Promise<void> {
  await db.dutyLeave.create({ data: { personId: l.personId, fromDate: l.from, toDate: l.to, coverId: l.coverId ?? null, createdBy: l.createdBy } });
}
