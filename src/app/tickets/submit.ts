// Submit feedback: extract fields, classify, route, compute deadlines, number, store — one ticket.
import { classify, extractFields, type ExtractedFields } from "../../core/classify.js";
import { ChatDeskError } from "../../core/errors.js";
import { ticketNumber, sequenceKey } from "../../core/numbering.js";
import { departmentFor, pickHandler, personByPlatformId, type NoPick } from "../../core/routing.js";
import { capacities, dutyToday, onDutyIn, openLoads } from "../duty.js";
import { dueDates } from "../../core/sla.js";
import type { Actor, CustomerChannel, Platform, Priority } from "../../core/types.js";
import { PRIORITIES, CHANNELS } from "../../core/types.js";
import type { InboundAttachment } from "../../platform/inbound.js";
import type { Cut } from "../../platform/limits.js";
import { nextSequence } from "../../store/sequences.js";
import { insertTicket, type TicketRow } from "../../store/tickets.js";
import type { AppContext } from "../context.js";
import { findDuplicate } from "./duplicates.js";

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
  via?: "reaction" | "thread" | "quote";
}

const MAX_DESCRIPTION = 20_000;

export async function submitFeedback(ctx: AppContext, input: SubmitInput): Promise<TicketRow> {
  const cfg = ctx.config;
  const now = ctx.now();
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
  const { handlerId, none: unassigned } = await assignHandler(ctx, dept.id);
  const { responseDueAt, resolutionDueAt } = dueDates(cfg.sla, priority, now, ctx.calendar);

  const duplicate = await findDuplicate(ctx, { text: description || text, platform: input.platform, chatId: input.chatId, customerId: f.customerId, customerName: f.customerName }, now);

  const seq = await nextSequence(ctx.db, sequenceKey(cfg.numberPrefix, today));
  const number = ticketNumber(cfg.numberPrefix, today, seq);
  const reporterPerson = input.reporter.platform !== "system" ? personByPlatformId(cfg, input.reporter.platform, input.reporter.userId) : undefined;

  const ticket = await insertTicket(
    ctx.db,
    {
      number,
      title: title || description.slice(0, 60) || number,
      description: description || text,
      status: "open",
      category,
      subCategory: subCategory ?? null,
      priority,
      department: dept.id,
      handlerId: handlerId ?? null,
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
      attachments: input.attachments?.length
        ? { create: dedupeAttachments(input.attachments).map((a) => ({ platform: input.platform, kind: a.kind, fileKey: a.fileKey, name: a.name ?? null, size: a.size ?? null, messageId: a.messageId ?? input.messageId ?? null })) }
        : undefined,
    },
    {
      kind: "created",
      actor: input.reporter,
      source: input.source ?? "message",
      at: now,
      payload: {
        category,
        subCategory,
        priority,
        department: dept.id,
        handlerId,
        ...(unassigned && unassigned !== "no_pool" ? { unassigned } : {}),
        reasons: cls.reasons,
        ...(duplicate ? { duplicateOf: duplicate.number, similarity: duplicate.score } : {}), ...(input.via ? { via: input.via, author: input.author?.userId } : {}),
        ...(input.cut?.length ? { cut: input.cut, text: input.cutNote } : {}),
      },
    },
  );
  ctx.log.info("ticket created", { number, category, priority, department: dept.id, handlerId });
  return ticket;
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

/**
 * Pick from the department's pool among those on duty and under their capacity: round-robin cursor in
 * the database, or the least open load. Nobody picked says why (the leads are told at once).
 */
export async function assignHandler(ctx: AppContext, deptId: string): Promise<{ handlerId?: string; none?: NoPick }> {
  const dept = ctx.config.departments.find((d) => d.id === deptId);
  if (!dept || dept.handlers.length === 0) return { none: "no_pool" };
  const available = onDutyIn(dept, await dutyToday(ctx));
  const capacity = capacities(ctx, dept.handlers);
  const limited = Object.values(capacity).some((c) => c !== undefined);
  const openLoad = dept.assign === "least_loaded" || limited ? await openLoads(ctx, dept.handlers) : {};
  if (dept.assign === "least_loaded") return pickHandler(dept, "least_loaded", { cursor: 0, openLoad, available, capacity });
  // Atomic bump: concurrent submissions each take their own turn.
  const rows = await ctx.db.$queryRaw<{ cursor: number | bigint }[]>`
    INSERT INTO "PoolCursor" ("pool", "cursor") VALUES (${deptId}, 1)
    ON CONFLICT("pool") DO UPDATE SET "cursor" = "cursor" + 1
    RETURNING "cursor"`;
  const turn = Number(rows[0]?.cursor ?? 1) - 1;
  return pickHandler(dept, "round_robin", { cursor: turn, openLoad, available, capacity });
}
