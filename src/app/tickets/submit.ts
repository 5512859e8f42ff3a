// Submit feedback: extract fields, classify, route, compute deadlines, number, store — one ticket.
import { classify, extractFields, type ExtractedFields } from "../../core/classify.js";
import { ChatDeskError } from "../../core/errors.js";
import { ticketNumber, sequenceKey } from "../../core/numbering.js";
import { departmentFor, pickHandler, personByPlatformId, type NoPick } from "../../core/routing.js";
import { capacities, dutyToday, onDutyIn, openLoads } from "../duty.js";
import { dueDates } from "../../core/sla.js";
import type { Actor, CustomerChannel, Platform, Priority, Status } from "../../core/types.js";
import { PRIORITIES, CHANNELS } from "../../core/types.js";
import type { InboundAttachment } from "../../platform/inbound.js";
import type { Cut } from "../../platform/limits.js";
import type { Card } from "../../../cards/model.js";
import type { Prisma } from "../../generated/prisma/client.js";
import type { SendOptions } from "../../platform/port.js";
import { inTransaction, type Queries } from "../../store/db.js";
import { finishInbound } from "../../store/inbound.js";
import { enqueue } from "../../store/outbox.js";
import { nextSequence } from "../../store/sequences.js";
import { insertTicket, type NewAttachment, type NewEvent, type TicketEventRow, type TicketRow } from "../../store/tickets.js";
import type { AppContext } from "../context.js";
import { deliverSoon } from "../deliver.js";
import { namesOf } from "../names.js";
import { announcement } from "../notify.js";
import { downloadJobsFor } from "../attachments/download.js";
import type { NameBook } from "../people.js";
import { ticketCardOf } from "../views.js";
import { findDuplicate, type DuplicateHit } from "./duplicates.js";

export interface SubmitInput {
  text: string;
  reporter: Actor;
  platform: Platform;
  chatId?: string;
  messageId?: string;
  attachments?: InboundAttachment[];
  /** Form card fields, which win over what the text says. */
  form?: Partial<Record<"customer" | "contact" | "product" | "expected" | "channel" | "category" | "priority", string>>;
  source?: "message" | "card" | "web" | "command";
  /** What the inbound message lost to the per-message bounds; recorded on the "created" event. */
  cut?: Cut[];
  /** The timeline's words for `cut` (cut-note.ts). */
  cutNote?: string;
  /** Who wrote the message, when it is not the reporter (a reaction on it, a thread's root, a quote). */
  author?: { userId: string; name?: string };
  /** How a ticket from an existing message came to be; recorded on the "created" event. */
  via?: "reaction" | "shortcut" | "thread" | "quote";
  /** Queue the reply card (and the handler's @ or the leads' notice) with the ticket, sent with these options; unset when the caller shows the ticket another way. */
  announce?: SendOptions;
  /** The stored inbound event the ticket comes from: marked done with the ticket, and `done` set once it is. */
  inbound?: InboundMark;
}

export interface InboundMark {
  id: string;
  done?: boolean;
}

const MAX_DESCRIPTION = 20_000;

/**
 * One new ticket, made in ONE transaction (store/db.ts inTransaction): the pool's turn, the day's number,
 * the ticket with its "created" event and attachments, the reply card's outbox rows and the inbound
 * event's done mark — all or nothing on SQLite, so a crash or an error part-way leaves no half-made
 * ticket and the inbound event is processed again. Everything that only reads runs before it.
 */
export async function submitFeedback(ctx: AppContext, input: SubmitInput): Promise<TicketRow> {
  const now = ctx.now();
  const d = await draft(ctx, input, now);
  const prefix = ctx.config.numberPrefix;
  const { ticket, outbox } = await inTransaction(ctx.db, async (tx) => {
    // Writes come first: the first statement takes SQLite's write lock (a read first could start on an
    // older snapshot and then fail busy when it writes).
    const { handlerId, none } = await d.assign(tx);
    const number = ticketNumber(prefix, d.today, await nextSequence(tx, sequenceKey(prefix, d.today)));
    const made = await insertTicket(tx, { ...d.row, number, title: d.row.title || number, handlerId: handlerId ?? null }, createdEvent(input, d, handlerId, none, now), d.attachments);
    const msgs = input.announce ? announcement(ctx, made.ticket, newTicketCard(ctx, made, d), none, input.announce) : [];
    // The files come after the card (people see the ticket first), downloaded after the ack.
    if (input.platform === "feishu" || input.platform === "dingtalk") msgs.push(...downloadJobsFor(made.ticket.id, input.platform, made.attachmentIds));
    const outbox = msgs.length ? await enqueue(tx, msgs, now) : [];
    if (input.inbound) await finishInbound(tx, input.inbound.id, now);
    return { ticket: made.ticket, outbox };
  });
  if (input.inbound) input.inbound.done = true;
  if (outbox.length) deliverSoon(ctx, outbox);
  ctx.log.info("ticket created", { number: ticket.number, category: ticket.category, priority: ticket.priority, department: ticket.department, handlerId: ticket.handlerId });
  return ticket;
}

/** A new ticket as far as it can be worked out before its transaction: all but its number and handler. */
interface Draft {
  today: string;
  row: Omit<Prisma.TicketUncheckedCreateInput, "number" | "handlerId" | "version" | "events" | "attachments">;
  attachments: NewAttachment[];
  cls: ReturnType<typeof classify>;
  duplicate?: DuplicateHit;
  assign: Assign;
  /** The cached names the new card shows (reporter, author; pool handlers are named by the workflow file). */
  names: NameBook;
}

async function draft(ctx: AppContext, input: SubmitInput, now: Date): Promise<Draft> {
  const cfg = ctx.config;
  const today = ctx.calendar.localDate(now);
  const text = input.text.trim();
  if (!text) throw new ChatDeskError("INVALID_INPUT", "the feedback text is empty");
  if (text.length > MAX_DESCRIPTION) throw new ChatDeskError("INVALID_INPUT", `the feedback text is longer than ${MAX_DESCRIPTION} characters`);

  const { description, title, fields } = extractFields(text, { today, timeZone: cfg.calendar.timeZone });
  const f: ExtractedFields = { ...fields, ...formFields(input.form, today) };
  const cls = classify(text, cfg, { id: f.customerId, name: f.customerName, tier: f.customerTier });
  const category = input.form?.category && cfg.categories.some((c) => c.id === input.form!.category) ? input.form.category : cls.category;
  const subCategory = category === cls.category ? cls.subCategory : undefined;
  const priority = (PRIORITIES as readonly string[]).includes(input.form?.priority ?? "") ? (input.form!.priority as Priority) : cls.priority;
  const dept = departmentFor(cfg, category, subCategory);
  const assign = await prepareAssignment(ctx, dept.id);
  const { responseDueAt, resolutionDueAt } = dueDates(cfg.sla, priority, now, ctx.calendar);
  const duplicate = await findDuplicate(ctx, { text: description || text, platform: input.platform, chatId: input.chatId, customerId: f.customerId, customerName: f.customerName }, now);
  const reporterPerson = input.reporter.platform !== "system" ? personByPlatformId(cfg, input.reporter.platform, input.reporter.userId) : undefined;
  const names = await namesOf(ctx, [input.reporter.userId, input.author?.userId, ...dept.handlers].map((id) => [id, input.platform] as const));
  const row: Draft["row"] = {
    title: title || description.slice(0, 60),
    description: description || text,
    status: "open",
    category,
    subCategory: subCategory ?? null,
    priority,
    department: dept.id,
    reporterId: input.reporter.userId,
    reporterName: input.reporter.name ?? reporterPerson?.name ?? null,
    platform: input.platform,
    chatId: input.chatId ?? null,
    messageId: input.messageId ?? null,
    receivedAt: now,
    ...customerFields(f, cls.tier), sourceUserId: input.author?.userId ?? null, sourceUserName: input.author?.name ?? null,
    channel: f.channel ?? null,
    product: f.product ?? null,
    productVersion: f.productVersion ?? null,
    scene: f.scene ?? null,
    impactScope: f.impactScope ?? null,
    expectation: f.expectation ?? null,
    expectedDate: f.expectedDate ?? null,
    locale: reporterPerson?.locale ?? cfg.locale,
    responseDueAt,
    resolutionDueAt,
    lastProgressAt: now,
    duplicateOfId: duplicate?.id ?? null, duplicateScore: duplicate?.score ?? null,
  };
  const attachments = dedupeAttachments(input.attachments ?? []).map((a) => ({ platform: input.platform, kind: a.kind, fileKey: a.fileKey, name: a.name ?? null, size: a.size ?? null, messageId: a.messageId ?? input.messageId ?? null }));
  return { today, row, attachments, cls, duplicate, assign, names };
}

function createdEvent(input: SubmitInput, d: Draft, handlerId: string | undefined, unassigned: NoPick | undefined, now: Date): NewEvent {
  return {
    kind: "created",
    actor: input.reporter,
    source: input.source ?? "message",
    at: now,
    payload: {
      category: d.row.category,
      subCategory: d.row.subCategory ?? undefined,
      priority: d.row.priority,
      department: d.row.department,
      handlerId,
      ...(unassigned && unassigned !== "no_pool" ? { unassigned } : {}),
      reasons: d.cls.reasons,
      ...(d.duplicate ? { duplicateOf: d.duplicate.number, similarity: d.duplicate.score } : {}), ...(input.via ? { via: input.via, author: input.author?.userId } : {}),
      ...(input.cut?.length ? { cut: input.cut, text: input.cutNote } : {}),
    },
  };
}

/** The new ticket's card from what its creation knows: no read of the rows just written. */
function newTicketCard(ctx: AppContext, made: { ticket: TicketRow; created: TicketEventRow }, d: Draft): Card {
  const dup = d.duplicate;
  const linked = dup ? { duplicate: { number: dup.number, title: dup.title, status: dup.status as Status } } : {};
  const attachments = { count: d.attachments.length, images: d.attachments.filter((a) => a.kind === "image").length };
  return ticketCardOf(ctx, made.ticket, { events: [made.created], attachments, linked, names: d.names });
}

const customerFields = (f: ExtractedFields, tier: string) => ({
  customerName: f.customerName ?? null,
  customerId: f.customerId ?? null,
  customerContact: f.customerContact ?? null,
  customerTier: tier,
  industry: f.industry ?? null,
});

function formFields(form: SubmitInput["form"], today: string): ExtractedFields {
  if (!form) return {};
  const out: ExtractedFields = {};
  if (form.customer?.trim()) out.customerName = form.customer.trim();
  if (form.contact?.trim()) out.customerContact = form.contact.trim();
  if (form.product?.trim()) out.product = form.product.trim();
  if (form.channel && (CHANNELS as readonly string[]).includes(form.channel)) out.channel = form.channel as CustomerChannel;
  if (form.expected?.trim()) {
    const parsed = extractFields(`期望: ${form.expected.trim()}`, { today }).fields.expectedDate;
    if (parsed) out.expectedDate = parsed;
  }
  return out;
}

const dedupeAttachments = (list: InboundAttachment[]) => [...new Map(list.map((a) => [a.fileKey, a])).values()];

/** Who takes the new ticket; run inside the creation's transaction (the round-robin turn is a write). */
type Assign = (db: Queries) => Promise<{ handlerId?: string; none?: NoPick }>;

/**
 * Pick from the department's pool among those on duty and under their capacity: round-robin cursor in
 * the database, or the least open load. Nobody picked says why (the leads are told at once). The reads
 * happen now, the cursor's bump when the returned step runs.
 */
export async function prepareAssignment(ctx: AppContext, deptId: string): Promise<Assign> {
  const dept = ctx.config.departments.find((d) => d.id === deptId);
  if (!dept || dept.handlers.length === 0) return async () => ({ none: "no_pool" });
  const available = onDutyIn(dept, await dutyToday(ctx));
  const capacity = capacities(ctx, dept.handlers);
  const limited = Object.values(capacity).some((c) => c !== undefined);
  const openLoad = dept.assign === "least_loaded" || limited ? await openLoads(ctx, dept.handlers) : {};
  if (dept.assign === "least_loaded") {
    const pick = pickHandler(dept, "least_loaded", { cursor: 0, openLoad, available, capacity });
    return async () => pick;
  }
  return async (db) => {
    // Atomic bump: concurrent submissions each take their own turn.
    const rows = await db.$queryRaw<{ cursor: number | bigint }[]>`
      INSERT INTO "PoolCursor" ("pool", "cursor") VALUES (${deptId}, 1)
      ON CONFLICT("pool") DO UPDATE SET "cursor" = "cursor" + 1
      RETURNING "cursor"`;
    const turn = Number(rows[0]?.cursor ?? 1) - 1;
    return pickHandler(dept, "round_robin", { cursor: turn, openLoad, available, capacity });
  };
}
