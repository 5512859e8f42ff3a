// Card clicks: answered synchronously with a toast and the card as it is now; the other copies of
// the card and the people who must act are updated through the outbox.
import { fmt, messages } from "../../cards/i18n/index.js";
import { submitFormCard } from "../../cards/submit-form.js";
import { helpCard } from "../../cards/help.js";
import { ChatDeskError, isChatDeskError } from "../core/errors.js";
import { ACTIONS, type TicketAction } from "../core/state-machine.js";
import type { Actor, Locale } from "../core/types.js";
import type { InboundCardAction } from "../platform/inbound.js";
import type { CardActionReply } from "../platform/sink.js";
import { storeInbound, finishInbound } from "../store/inbound.js";
import { findTicketByNumber } from "../store/tickets.js";
import type { AppContext } from "./context.js";
import { errorText } from "./errors-to-text.js";
import { learnNames } from "./names.js";
import { ticketChanged } from "./notify.js";
import { performAction, type ActionArgs } from "./tickets/act.js";
import { submitFeedback } from "./tickets/submit.js";
import { categoryLabel, currentTicketCard } from "./views.js";

const isTicketAction = (a: string): a is TicketAction => (ACTIONS as readonly string[]).includes(a);

export async function handleCardAction(ctx: AppContext, ev: InboundCardAction): Promise<CardActionReply> {
  const locale: Locale = ev.locale ?? ctx.config.locale;
  const m = messages(locale);
  const actor: Actor = { platform: ev.platform, userId: ev.actor.userId, name: ev.actor.name };
  // The clicker's name for later cards: looked up after the answer, never on the callback's 2-3 s path.
  ctx.defer(() => learnNames(ctx, ev.platform, [{ userId: actor.userId, name: actor.name }]));
  const action = ev.value.action;
  const eventId = `${ev.platform}:action:${ev.dedupeId}`;
  const fresh = await storeInbound(ctx.db, { id: eventId, platform: ev.platform, kind: "card_action", payload: ev, at: ctx.now() });
  const ticket = ev.value.ticket ? await findTicketByNumber(ctx.db, ev.value.ticket) : null;
  if (!fresh) {
    return { toast: { kind: "info", text: m.toast.duplicate }, card: ticket ? await currentTicketCard(ctx, ticket) : undefined };
  }
  try {
    if (action === "submit") return await submitFromForm(ctx, ev, actor, locale);
    if (action === "new_form") {
      const cats = ctx.config.categories.map((c) => ({ id: c.id, label: categoryLabel(ctx.config, c.id, null, locale) }));
      return { toast: { kind: "info", text: m.card.formTitle }, card: submitFormCard(locale, cats) };
    }
    if (action === "open_console") return { toast: { kind: "info", text: m.card.viewInConsole } };
    if (!isTicketAction(action)) throw new ChatDeskError("INVALID_INPUT", `unknown action "${action}"`);
    if (!ev.value.ticket) throw new ChatDeskError("INVALID_INPUT", "the card carries no ticket number");

    const expected = ev.value.v !== undefined ? Number(ev.value.v) : undefined;
    const r = await performAction(ctx, ev.value.ticket, action, actor, argsFrom(action, ev), "card", Number.isFinite(expected) ? expected : undefined);
    if (ev.cardRef && ev.platform === "feishu") await rememberClickedCard(ctx, r.ticket.id, ev);
    // Every copy is patched through the outbox, the clicked one too: Feishu applies the card in our
    // reply only if it arrives within 3 s and is never re-pushed (https://open.feishu.cn/document/feishu-cards/card-callback-communication); the patch is retried.
    await ticketChanged(ctx, r.before, r.ticket);
    for (const o of r.related) await ticketChanged(ctx, o.before, o.after);
    return { toast: { kind: "success", text: fmt(m.toast.done, { action: (m.action as Record<string, string>)[action] ?? action }) }, card: await currentTicketCard(ctx, r.ticket) };
  } catch (e) {
    if (!isChatDeskError(e)) ctx.log.error("card action failed", { error: e, action, ticket: ev.value.ticket });
    const now = ticket ? await findTicketByNumber(ctx.db, ticket.number) : null;
    return { toast: errorText(e, locale, action), card: now ? await currentTicketCard(ctx, now) : undefined };
  } finally {
    await finishInbound(ctx.db, eventId, ctx.now());
  }
}

function argsFrom(action: TicketAction, ev: InboundCardAction): ActionArgs {
  const f = ev.form ?? {};
  const opt = ev.option ?? ev.value.option;
  switch (action) {
    case "progress":
    case "plan":
    case "note":
      return { text: f.text ?? f.plan ?? ev.value.text };
    case "resolve":
      return { text: f.result ?? f.text ?? ev.value.result };
    case "reopen":
    case "reject":
    case "block":
    case "unblock":
    case "resume":
      return { text: f.reason ?? f.text ?? ev.value.reason };
    case "wait":
      return { on: f.waiting_on ?? opt ?? ev.value.on, text: f.waiting_reason ?? f.text ?? ev.value.reason };
    case "priority":
      return { priority: opt ?? ev.value.priority };
    case "category":
      return { category: opt ?? ev.value.category, subCategory: ev.value.subCategory };
    case "reassign":
    case "collaborate":
      return { target: opt ?? ev.value.target };
    case "confirm":
    case "rate": {
      const raw = f.score ?? opt ?? ev.value.score;
      return { score: raw !== undefined && raw !== "" ? Number(raw) : undefined, comment: f.comment };
    }
    case "merge":
      return { into: f.into ?? ev.value.into };
    default:
      return {};
  }
}

async function submitFromForm(ctx: AppContext, ev: InboundCardAction, actor: Actor, locale: Locale): Promise<CardActionReply> {
  const f = ev.form ?? {};
  const t = await submitFeedback(ctx, {
    text: f.description ?? "",
    reporter: actor,
    platform: ev.platform,
    chatId: ev.chatId,
    form: { customer: f.customer, contact: f.contact, product: f.product, expected: f.expected, channel: f.channel, category: f.category, priority: f.priority },
    source: "card",
    // The form card turns into the ticket card on Feishu (remembered below); elsewhere the card is posted.
    announce: turnsIntoTicketCard(ev) ? undefined : {},
  });
  // The form card turns into the ticket card: remember it so later changes patch it too.
  if (turnsIntoTicketCard(ev)) await rememberClickedCard(ctx, t.id, ev);
  return { toast: { kind: "success", text: fmt(messages(locale).toast.created, { number: t.number }) }, card: await currentTicketCard(ctx, t) };
}

const turnsIntoTicketCard = (ev: InboundCardAction) => !!ev.cardRef && ev.platform === "feishu";

async function rememberClickedCard(ctx: AppContext, ticketId: number, ev: InboundCardAction): Promise<void> {
  if (!ev.cardRef) return;
  await ctx.db.cardRef.upsert({
    where: { platform_ref: { platform: ev.platform, ref: ev.cardRef } },
    // The age on the bot's clock decides when the card is past its update window (deliver.ts).
    create: { ticketId, platform: ev.platform, chatId: ev.chatId ?? null, ref: ev.cardRef, createdAt: ctx.now() },
    update: {},
  });
}

export { helpCard };
