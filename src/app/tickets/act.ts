// Every handler / reporter / lead action on a ticket: check the transition and the actor's roles,
// build the patch, and apply it atomically with its timeline event.
import type { Prisma } from "../../generated/prisma/client.js";
import { ChatDeskError } from "../../core/errors.js";
import { parseTicketNumber, ticketNumber } from "../../core/numbering.js";
import { departmentFor, personByPlatformId } from "../../core/routing.js";
import { dueDates } from "../../core/sla.js";
import { decide, type TicketAction } from "../../core/state-machine.js";
import { closedPauses } from "../../core/waiting.js";
import type { Actor, Priority, Status } from "../../core/types.js";
import { PRIORITIES } from "../../core/types.js";
import { applyChange, requireTicket, type EventSource, type ExtraOp, type TicketRow } from "../../store/tickets.js";
import type { AppContext } from "../context.js";
import { actorRoles, handlerIdOf, parseList } from "../roles.js";
import { assignFromQueue } from "./queue.js";
import { endWaiting, startWaiting } from "./waiting.js";

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
  /** Waiting on whom: "customer" | "third_party" (also 客户 / 第三方). */
  on?: string;
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
  wait: "waiting",
  resume: "resumed",
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

/** One action being turned into a patch of the ticket and a timeline entry. */
interface Draft {
  ctx: AppContext;
  t: TicketRow;
  action: TicketAction;
  actor: Actor;
  args: ActionArgs;
  roles: ReturnType<typeof actorRoles>;
  from: Status;
  now: Date;
  patch: Prisma.TicketUncheckedUpdateManyInput;
  payload: Record<string, unknown>;
  extra: ExtraOp[];
}

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
  const d: Draft = { ctx, t, action, actor, args, roles, from, now: ctx.now(), patch: { status: to }, payload: { from, to }, extra: [] };
  await BUILD[action](d);

  // Leaving active work ends a blocked episode; the timeline entry says so.
  if (t.blockedAt && CLEARS_BLOCK.has(action)) {
    Object.assign(d.patch, { blockedAt: null, blockedReason: null, blockedBy: null });
    d.payload.unblocked = true;
  }
  // ...and a waiting stretch (kept in the list), as does the reporter's reply: the customer answered.
  if (t.waitingSince && (CLEARS_BLOCK.has(action) || (action === "note" && roles.has("reporter")))) {
    Object.assign(d.payload, endWaiting(ctx, t, d.now, d.patch), { resumed: true });
  }

  const ticket = await applyChange(ctx.db, t, d.patch, { kind: EVENT_KIND[action], actor, source, at: d.now, payload: d.payload }, d.extra);
  // The department's leads hear at once (exactly once per blocked episode; the tick is the safety net).
  if (action === "block" && ctx.onBlocked) {
    try {
      await ctx.onBlocked(ticket);
    } catch (e) {
      // The block itself is stored; the next scheduler tick sends the unclaimed lead notice.
      ctx.log.error("blocked notice failed", { error: e, ticket: ticket.number });
    }
  }
  if (freesPlace(t, ticket)) await refillQueue(ctx, t.department);
  return { before: t, ticket, action, statusChanged: ticket.status !== t.status };
}

const ACTIVE_STATUSES = new Set(["open", "in_progress"]);
/** The handler had one open ticket fewer: it left active work or went to someone else. */
const freesPlace = (t: TicketRow, after: TicketRow) => !!t.handlerId && ACTIVE_STATUSES.has(t.status) && (!ACTIVE_STATUSES.has(after.status) || after.handlerId !== t.handlerId);

async function refillQueue(ctx: AppContext, department: string): Promise<void> {
  try {
    await assignFromQueue(ctx, department);
  } catch (e) {
    // The action itself is stored; the next freed place tries the queue again.
    ctx.log.error("queue assignment failed", { error: e, department });
  }
}

const firstResponse = (d: Draft) => {
  if (!d.t.firstResponseAt) d.patch.firstResponseAt = d.now;
};
const takeIfUnassigned = (d: Draft) => {
  if (!d.t.handlerId) d.patch.handlerId = handlerIdOf(d.ctx.config, d.actor);
};
/** Work on the ticket: it counts as progress and as the first response, and an unassigned ticket is taken. */
const worked = (d: Draft) => {
  d.patch.lastProgressAt = d.now;
  firstResponse(d);
  takeIfUnassigned(d);
};
const isLead = (d: Draft) => d.roles.has("lead") || d.roles.has("manager");

/** What each action writes, beyond the status the state machine decided. */
const BUILD: Record<TicketAction, (d: Draft) => void | Promise<void>> = {
  claim(d) {
    d.patch.handlerId = handlerIdOf(d.ctx.config, d.actor);
    d.patch.handlerName = d.actor.name ?? null;
    d.patch.lastProgressAt = d.now;
    firstResponse(d);
  },
  progress(d) {
    d.payload.text = need(d.args.text, "text");
    worked(d);
  },
  note(d) {
    d.payload.text = need(d.args.text, "text");
  },
  plan(d) {
    d.payload.text = d.patch.plan = need(d.args.text, "plan");
    worked(d);
  },
  priority({ ctx, t, args, patch, payload }) {
    const p = args.priority;
    if (!p || !(PRIORITIES as readonly string[]).includes(p)) throw new ChatDeskError("INVALID_INPUT", `unknown priority "${p ?? ""}"`);
    if (p === t.priority) throw new ChatDeskError("INVALID_INPUT", "the priority is unchanged");
    // Deadlines follow the new priority's targets applied to the time worked since the ticket arrived
    // (paused stretches left out; a stretch still open applies when it ends).
    const due = dueDates(ctx.config.sla, p as Priority, t.receivedAt, ctx.calendar, closedPauses(t));
    // The overdue flags belong to the old deadlines; the scheduler marks the new ones when they pass.
    Object.assign(patch, { priority: p, responseDueAt: due.responseDueAt, resolutionDueAt: due.resolutionDueAt, responseOverdue: false, resolutionOverdue: false });
    Object.assign(payload, { from: t.priority, to: p });
  },
  category({ ctx, t, args, patch, payload }) {
    const c = ctx.config.categories.find((x) => x.id === args.category);
    if (!c) throw new ChatDeskError("INVALID_INPUT", `unknown category "${args.category ?? ""}"`);
    const sub = args.subCategory && c.subCategories.some((s) => s.id === args.subCategory) ? args.subCategory : null;
    const dept = departmentFor(ctx.config, c.id, sub ?? undefined);
    Object.assign(patch, { category: c.id, subCategory: sub, department: dept.id });
    if (dept.id !== t.department) patch.handlerId = null; // the new department's lead or pool takes over
    Object.assign(payload, { from: t.category, to: c.id, subCategory: sub, department: dept.id });
  },
  reassign(d) {
    const { ctx, t, action, actor, patch } = d;
    const target = resolvePerson(ctx, actor, need(d.args.target, "target"));
    // A handler (not a lead) may only hand over a ticket that is theirs.
    if (!isLead(d) && t.handlerId !== handlerIdOf(ctx.config, actor)) {
      throw new ChatDeskError("FORBIDDEN", "only the ticket's handler or a lead can reassign it", { action, needs: ["lead"] });
    }
    if (target === t.handlerId) throw new ChatDeskError("INVALID_INPUT", "the ticket is already assigned to that person");
    patch.handlerId = target;
    patch.handlerName = ctx.config.people.find((p) => p.id === target)?.name ?? null;
    Object.assign(d.payload, { fromHandler: t.handlerId, to: target });
  },
  collaborate({ ctx, t, actor, args, patch, payload }) {
    const target = resolvePerson(ctx, actor, need(args.target, "target"));
    const list = parseList(t.collaborators);
    if (list.includes(target)) throw new ChatDeskError("INVALID_INPUT", "already a collaborator");
    patch.collaborators = JSON.stringify([...list, target]);
    payload.to = target;
  },
  block(d) {
    mayBlock(d);
    if (d.t.blockedAt) throw new ChatDeskError("ILLEGAL_TRANSITION", "the ticket is blocked already", { status: d.from, action: d.action, blocked: true });
    d.payload.text = d.patch.blockedReason = need(d.args.text, "reason");
    Object.assign(d.patch, { blockedAt: d.now, blockedBy: d.actor.name ?? d.actor.userId });
    takeIfUnassigned(d);
  },
  unblock(d) {
    mayBlock(d);
    const { t, args, payload } = d;
    if (!t.blockedAt) throw new ChatDeskError("ILLEGAL_TRANSITION", "the ticket is not blocked", { status: d.from, action: d.action, blocked: false });
    if (args.text?.trim()) payload.text = args.text.trim();
    Object.assign(payload, { reason: t.blockedReason, blockedAt: t.blockedAt.toISOString() });
    Object.assign(d.patch, { blockedAt: null, blockedReason: null, blockedBy: null });
  },
  wait(d) {
    mayBlock(d);
    const reason = need(d.args.text, "reason");
    const by = d.actor.platform === "system" ? undefined : personByPlatformId(d.ctx.config, d.actor.platform, d.actor.userId)?.name;
    const on = startWaiting(d.t, d.args.on, reason, by ?? d.actor.name ?? d.actor.userId, d.now, d.patch);
    Object.assign(d.payload, { text: reason, on });
    worked(d);
  },
  resume(d) {
    // The reporter may resume (the customer answered); a plain handler only their own ticket.
    if (!d.roles.has("reporter")) mayBlock(d);
    if (d.args.text?.trim()) d.payload.text = d.args.text.trim();
    Object.assign(d.payload, endWaiting(d.ctx, d.t, d.now, d.patch));
    d.patch.lastProgressAt = d.now;
  },
  resolve(d) {
    d.payload.text = d.patch.result = need(d.args.text, "result");
    d.patch.resolvedAt = d.now;
    worked(d);
  },
  confirm(d) {
    if (d.args.score !== undefined) rate(d);
    d.patch.closedAt = d.now;
  },
  rate: (d) => rate(d),
  reopen({ args, patch, payload, now }) {
    if (args.text?.trim()) payload.reason = args.text.trim();
    Object.assign(patch, { resolvedAt: null, closedAt: null, lastProgressAt: now });
  },
  reject({ args, patch, payload, now }) {
    if (args.text?.trim()) payload.reason = args.text.trim();
    patch.closedAt = now;
  },
  async merge({ ctx, t, args, patch, payload, now }) {
    const into = parseTicketNumber(need(args.into, "into"));
    if (!into) throw new ChatDeskError("INVALID_INPUT", "not a ticket number");
    const target = await requireTicket(ctx.db, ticketNumber(into.prefix, into.date, into.seq));
    if (target.id === t.id) throw new ChatDeskError("INVALID_INPUT", "cannot merge a ticket into itself");
    Object.assign(patch, { mergedIntoId: target.id, closedAt: now });
    payload.into = target.number;
  },
  close({ patch, now }) {
    patch.closedAt = now;
  },
};

/** A handler who is not a lead may only block or unblock a ticket that is theirs (or shared with them). */
function mayBlock(d: Draft): void {
  const me = handlerIdOf(d.ctx.config, d.actor);
  if (!isLead(d) && d.t.handlerId !== me && !parseList(d.t.collaborators).includes(me)) {
    throw new ChatDeskError("FORBIDDEN", `only the ticket's handler or a lead can ${d.action} it`, { action: d.action, needs: ["handler", "lead"] });
  }
}

/** Satisfaction 1–5 with an optional comment, on the ticket and as its own row. */
function rate({ t, actor, args, patch, payload, extra, now }: Draft): void {
  const score = args.score;
  if (score === undefined || !Number.isInteger(score) || score < 1 || score > 5) throw new ChatDeskError("INVALID_INPUT", "satisfaction must be 1–5");
  const comment = args.comment?.trim() || null;
  patch.satisfaction = score;
  patch.customerComment = comment;
  payload.score = score;
  if (comment) payload.comment = comment;
  extra.push((db) => db.satisfaction.create({ data: { ticketId: t.id, score, comment, actorId: actor.userId, at: now } }));
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
