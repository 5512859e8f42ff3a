// The department queue: tickets left unassigned because everyone on duty was at their capacity (or
// nobody was on duty) are handed out, oldest first, as soon as someone on duty has room again.
import { pickHandler } from "../../core/routing.js";
import { SYSTEM_ACTOR } from "../../core/types.js";
import { applyChange, type TicketRow } from "../../store/tickets.js";
import type { AppContext } from "../context.js";
import { capacities, dutyToday, onDutyIn, openLoads } from "../duty.js";
import { ticketChanged } from "../notify.js";
import { personName } from "../views.js";

const BATCH = 20;

/** Assign queued tickets of the department while someone on duty has room; returns how many. */
export async function assignFromQueue(ctx: AppContext, deptId: string): Promise<number> {
  const dept = ctx.config.departments.find((d) => d.id === deptId);
  if (!dept || !dept.handlers.length) return 0;
  const queued = await ctx.db.ticket.findMany({ where: { department: deptId, status: "open", handlerId: null }, orderBy: [{ receivedAt: "asc" }, { id: "asc" }], take: BATCH });
  if (!queued.length) return 0;
  const available = onDutyIn(dept, await dutyToday(ctx));
  const capacity = capacities(ctx, dept.handlers);
  const openLoad = await openLoads(ctx, dept.handlers);
  let n = 0;
  for (const t of queued) {
    const pick = pickHandler(dept, "least_loaded", { cursor: 0, openLoad, available, capacity });
    if (!pick.handlerId) break;
    if (await give(ctx, t, pick.handlerId)) {
      openLoad[pick.handlerId] = (openLoad[pick.handlerId] ?? 0) + 1;
      n++;
    }
  }
  return n;
}

async function give(ctx: AppContext, t: TicketRow, handlerId: string): Promise<boolean> {
  try {
    const after = await applyChange(ctx.db, t, { handlerId, handlerName: personName(ctx.config, handlerId) ?? null }, { kind: "reassigned", actor: SYSTEM_ACTOR, source: "system", at: ctx.now(), payload: { fromHandler: null, to: handlerId, queue: true } });
    await ticketChanged(ctx, t, after);
    return true;
  } catch (e) {
    // Changed meanwhile (someone took it): the next freed place looks again.
    ctx.log.warn("queued ticket not assigned", { error: e, ticket: t.number });
    return false;
  }
}
