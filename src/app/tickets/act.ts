// Every handler / reporter / lead action on a ticket: check the transition and the actor's roles,
// build the patch, and apply it atomically with its timeline event.
import type { Prisma } from "../../generated/prisma/client.js";
import { ChatDeskError } from "../../core/errors.js";
import { parseTicketNumber, ticketNumber } from "../../core/numbering.js";
import { departmentFor, personByPlatformId } from "../../core/routing.js";
import { dueDates } from "../../core/sla.js";
import { decide, type TicketAction } from "../../core/state-machine.js";
import type { Actor, Priority, Status } from "../../core/types.js";
import { PRIORITIES } from "../../core/types.js";
import { applyChange, requireTicket, type EventSource, type ExtraOp, type TicketRow } from "../../store/tickets.js";
import type { AppContext } from "../context.js";
import { actorRoles, handlerIdOf, parseList } from "../roles.js";
import { announceBlocked } from "../../scheduler/blocked.js";

export interface ActionArgs {
  text?: string;
  priority?: string;
  category?: string;
  subCategory?: string;
  /** Reassign / collaborate target: a person id, or a platform user id of the actor's platform. */
  target?: string;
  score?: number;
  comment?: string;
  into?: string;
}

export interface ActionResult {
  before: TicketRow;
  ticket: TicketRow;
  action: TicketAction;
  statusChanged: boolean;
}

const EVENT_KIND: Record<TicketAction, string> = {
  claim: "claimed",
  progress: "progress",
  note: "note",
  plan: "plan",
  priority: "priority",
  category: "category",
  reassign: "reassigned",
  collaborate: "collaborate",
  block: "blocked",
  unblock: "unblocked",
  resolve: "resolved",
  confirm: "confirmed",
  rate: "rated",
  reopen: "reopened",
  reject: "rejected",
  merge: "merged",
  close: "closed",
};

const need = (v: string | undefined, what: string): string => {
  const s = v?.trim();
  if (!s) throw new ChatDeskError("INVALID_INPUT", `${what} is required`, { field: what });
  if (s.length > 5000) throw new ChatDeskError("INVALID_INPUT", `${what} is too long`, { field: what });
  return s;
};

export async function performAction(
  ctx: AppContext,
  number: string,
  action: TicketAction,
  actor: Actor,
  args: ActionArgs = {},
  source: EventSource = "card",
  expectedVersion?: number,
): Promise<ActionResult> {
  const t = await requireTicket(ctx.db, number);
  // A click on a card older than the ticket's state is answered with the current state.
  if (expectedVersion !== undefined && expectedVersion !== t.version && stale(action)) {
    throw new ChatDeskError("CONFLICT", "the card was out of date", { ticketId: t.id });
  }
  const roles = actorRoles(ctx.config, actor, t);
  const from = t.status as Status;
  const to = decide(from, action, roles);
  const now = ctx.now();
  const cfg = ctx.config;
  const patch: Prisma.TicketUncheckedUpdateManyInput = { status: to };
  const payload: Record<string, unknown> = { from, to };
  const extra: ExtraOp[] = [];
  const firstResponse = () => {
    if (!t.firstResponseAt) patch.firstResponseAt = now;
  };
  const takeIfUnassigned = () => {
    if (!t.handlerId) patch.handlerId = handlerIdOf(cfg, actor);
  };

  switch (action) {
    case "claim":
      patch.handlerId = handlerIdOf(cfg, actor);
      patch.handlerName = actor.name ?? null;
      patch.lastProgressAt = now;
      firstResponse();
      break;
    case "progress":
      payload.text = need(args.text, "text");
      patch.lastProgressAt = now;
      firstResponse();
      takeIfUnassigned();
      break;
    case "note":
      payload.text = need(args.text, "text");
      break;
    case "plan":
      payload.text = patch.plan = need(args.text, "plan");
      patch.lastProgressAt = now;
      firstResponse();
      takeIfUnassigned();
      break;
    case "priority": {
      const p = args.priority;
      if (!p || !(PRIORITIES as readonly string[]).includes(p)) throw new ChatDeskError("INVALID_INPUT", `unknown priority "${p ?? ""}"`);
      if (p === t.priority) throw new ChatDeskError("INVALID_INPUT", "the priority is unchanged");
      // Deadlines follow the new priority's targets, counted from when the ticket arrived.
      const due = dueDates(cfg.sla, p as Priority, t.receivedAt, ctx.calendar);
      // The overdue flags belong to the old deadlines; the scheduler marks the new ones when they pass.
      Object.assign(patch, { priority: p, responseDueAt: due.responseDueAt, resolutionDueAt: due.resolutionDueAt, responseOverdue: false, resolutionOverdue: false });
      Object.assign(payload, { from: t.priority, to: p });
      break;
    }
    case "category": {
      const c = cfg.categories.find((x) => x.id === args.category);
      if (!c) throw new ChatDeskError("INVALID_INPUT", `unknown category "${args.category ?? ""}"`);
      const sub = args.subCategory && c.subCategories.some((s) => s.id === args.subCategory) ? args.subCategory : null;
      const dept = departmentFor(cfg, c.id, sub ?? undefined);
      Object.assign(patch, { category: c.id, subCategory: sub, department: dept.id });
      if (dept.id !== t.department) patch.handlerId = null; // the new department's lead or pool takes over
      Object.assign(payload, { from: t.category, to: c.id, subCategory: sub, department: dept.id });
      break;
    }
    case "reassign": {
      const target = resolvePerson(ctx, actor, need(args.target, "target"));
      // A handler (not a lead) may only hand over a ticket that is theirs.
      if (!roles.has("lead") && !roles.has("manager") && t.handlerId !== handlerIdOf(cfg, actor)) {
        throw new ChatDeskError("FORBIDDEN", "only the ticket's handler or a lead can reassign it", { action, needs: ["lead"] });
      }
      if (target === t.handlerId) throw new ChatDeskError("INVALID_INPUT", "the ticket is already assigned to that person");
      patch.handlerId = target;
      patch.handlerName = cfg.people.find((p) => p.id === target)?.name ?? null;
      Object.assign(payload, { fromHandler: t.handlerId, to: target });
      break;
    }
    case "collaborate": {
      const target = resolvePerson(ctx, actor, need(args.target, "target"));
      const list = parseList(t.collaborators);
      if (list.includes(target)) throw new ChatDeskError("INVALID_INPUT", "already a collaborator");
      patch.collaborators = JSON.stringify([...list, target]);
      payload.to = target;
      break;
    }
    case "block":
    case "unblock": {
      // A handler who is not a lead may only block or unblock a ticket that is theirs (or shared with them).
      if (!roles.has("lead") && !roles.has("manager") && t.handlerId !== handlerIdOf(cfg, actor) && !parseList(t.collaborators).includes(handlerIdOf(cfg, actor))) {
        throw new ChatDeskError("FORBIDDEN", `only the ticket's handler or a lead can ${action} it`, { action, needs: ["handler", "lead"] });
      }
      if (action === "block") {
        if (t.blockedAt) throw new ChatDeskError("ILLEGAL_TRANSITION", "the ticket is blocked already", { status: from, action, blocked: true });
        payload.text = patch.blockedReason = need(args.text, "reason");
        Object.assign(patch, { blockedAt: now, blockedBy: actor.name ?? actor.userId });
        takeIfUnassigned();
      } else {
        if (!t.blockedAt) throw new ChatDeskError("ILLEGAL_TRANSITION", "the ticket is not blocked", { status: from, action, blocked: false });
        if (args.text?.trim()) payload.text = args.text.trim();
        Object.assign(payload, { reason: t.blockedReason, blockedAt: t.blockedAt.toISOString() });
        Object.assign(patch, { blockedAt: null, blockedReason: null, blockedBy: null });
      }
      break;
    }
    case "resolve":
      payload.text = patch.result = need(args.text, "result");
      patch.resolvedAt = now;
      patch.lastProgressAt = now;
      firstResponse();
      takeIfUnassigned();
      break;
    case "confirm":
    case "rate": {
      const score = args.score;
      if (action === "rate" || score !== undefined) {
        if (!Number.isInteger(score) || score! < 1 || score! > 5) throw new ChatDeskError("INVALID_INPUT", "satisfaction must be 1–5");
        patch.satisfaction = score!;
        patch.customerComment = args.comment?.trim() || null;
        payload.score = score;
        if (args.comment?.trim()) payload.comment = args.comment.trim();
        extra.push((db) => db.satisfaction.create({ data: { ticketId: t.id, score: score!, comment: args.comment?.trim() || null, actorId: actor.userId, at: now } }));
      }
      if (action === "confirm") patch.closedAt = now;
      break;
    }
    case "reopen":
      if (args.text?.trim()) payload.reason = args.text.trim();
      Object.assign(patch, { resolvedAt: null, closedAt: null, lastProgressAt: now });
      break;
    case "reject":
      if (args.text?.trim()) payload.reason = args.text.trim();
      patch.closedAt = now;
      break;
    case "merge": {
      const into = parseTicketNumber(need(args.into, "into"));
      if (!into) throw new ChatDeskError("INVALID_INPUT", "not a ticket number");
      const target = await requireTicket(ctx.db, ticketNumber(into.prefix, into.date, into.seq));
      if (target.id === t.id) throw new ChatDeskError("INVALID_INPUT", "cannot merge a ticket into itself");
      Object.assign(patch, { mergedIntoId: target.id, closedAt: now });
      payload.into = target.number;
      break;
    }
    case "close":
      patch.closedAt = now;
      break;
  }

  // Leaving active work ends a blocked episode; the timeline entry says so.
  if (t.blockedAt && CLEARS_BLOCK.has(action)) {
    Object.assign(patch, { blockedAt: null, blockedReason: null, blockedBy: null });
    payload.unblocked = true;
  }

  const ticket = await applyChange(ctx.db, t, patch, { kind: EVENT_KIND[action], actor, source, at: now, payload }, extra);
  // The department's leads hear at once (exactly once per blocked episode; the tick is the safety net).
  if (action === "block") {
    try {
      await announceBlocked(ctx, ticket);
    } catch (e) {
      // The block itself is stored; the next scheduler tick sends the unclaimed lead notice.
      ctx.log.error("blocked notice failed", { error: e, ticket: ticket.number });
    }
  }
  return { before: t, ticket, action, statusChanged: ticket.status !== t.status };
}

const CLEARS_BLOCK: ReadonlySet<TicketAction> = new Set(["resolve", "reject", "close", "merge"]);

// Notes and ratings are safe on any version; state changes must see the state they were shown.
const stale = (a: TicketAction) => a !== "note" && a !== "rate" && a !== "progress";

function resolvePerson(ctx: AppContext, actor: Actor, target: string): string {
  const cfg = ctx.config;
  if (cfg.people.some((p) => p.id === target)) return target;
  if (actor.platform !== "system") {
    const p = personByPlatformId(cfg, actor.platform, target);
    if (p) return p.id;
    return `${actor.platform}:${target}`;
  }
  return target;
}
