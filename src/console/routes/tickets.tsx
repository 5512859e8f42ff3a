// The ticket list, one ticket, and actions taken on the page — through the same use case as the card
// buttons, so the timeline and every copy of the card in the chats change the same way.
import { Hono } from "hono";
import { fmt } from "../../../cards/i18n/index.js";
import { errorText } from "../../app/errors-to-text.js";
import { ticketChanged } from "../../app/notify.js";
import { namesOf, ticketPeople } from "../../app/names.js";
import { parseList } from "../../app/roles.js";
import { waitingView } from "../../app/views.js";
import { performAction, type ActionArgs } from "../../app/tickets/act.js";
import { isChatDeskError, type ErrorCode } from "../../core/errors.js";
import { ACTIONS, type TicketAction } from "../../core/state-machine.js";
import { pageTickets } from "../../store/console-query.js";
import { allEvents, findTicketById, findTicketByNumber, type TicketRow } from "../../store/tickets.js";
import { viewer } from "../auth.js";
import { labelsOf, pageContext, render, type ConsoleContext, type ConsoleDeps, type ConsoleEnv, type Status } from "../context.js";
import { parseListQuery, toFilter } from "../filters.js";
import { DetailPage } from "../pages/detail.js";
import { ListPage } from "../pages/list.js";
import { MessagePage } from "../pages/message.js";
import { CONSOLE_BASE } from "../settings.js";
import { actorFor, maySeeContact, rolesOn } from "../viewer.js";

export const PAGE_SIZE = 20;

const isAction = (a: string): a is TicketAction => (ACTIONS as readonly string[]).includes(a);

const HTTP_STATUS: Partial<Record<ErrorCode, Status>> = {
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ILLEGAL_TRANSITION: 409,
  INVALID_INPUT: 400,
};

function argsFrom(action: TicketAction, body: Record<string, string | File | (string | File)[]>): ActionArgs {
  const s = (k: string) => (typeof body[k] === "string" ? (body[k] as string) : undefined);
  switch (action) {
    case "progress":
    case "plan":
    case "note":
    case "resolve":
    case "reopen":
    case "reject":
    case "block":
    case "resume":
      return { text: s("text") };
    case "wait":
      return { on: s("on"), text: s("text") };
    case "priority":
      return { priority: s("priority") };
    case "category": {
      const [category, subCategory] = (s("category") ?? "").split("/");
      return { category, subCategory: subCategory || undefined };
    }
    case "reassign":
    case "collaborate":
      return { target: s("target") };
    case "confirm":
    case "rate": {
      const raw = s("score");
      return { score: raw ? Number(raw) : undefined, comment: s("comment") };
    }
    case "merge":
      return { into: s("into") };
    default:
      return {};
  }
}

export function ticketRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const { ctx } = deps;

  const notFound = (c: ConsoleContext) => {
    const { t } = c.get("tx");
    return render(c, <MessagePage page={pageContext(c)} title={t.error.title} message={t.error.notFound} />, 404);
  };

  app.get("/tickets", async (c) => {
    const v = viewer(c);
    const query = parseListQuery((k) => c.req.query(k), ctx.config);
    const now = ctx.now();
    const result = await pageTickets(ctx.db, toFilter(query, ctx.calendar, v.person?.id), now, query.page, PAGE_SIZE);
    const names = await namesOf(ctx, result.rows.map((r) => [r.handlerId, r.platform] as const));
    return render(
      c,
      <ListPage page={pageContext(c)} cfg={ctx.config} labels={labelsOf(c, deps, names)} query={query} result={result} now={now} handles={v.handlerOf.length > 0} />,
    );
  });

  const detail = (c: ConsoleContext, t: TicketRow, flash: { ok?: string; error?: string } = {}, status: Status = 200) => renderDetail(deps, c, t, flash, status);

  app.get("/tickets/:number", async (c) => {
    const t = await findTicketByNumber(ctx.db, c.req.param("number"));
    if (!t) return notFound(c);
    const done = c.req.query("done");
    const m = c.get("tx").m;
    const ok = done && isAction(done) ? fmt(c.get("tx").t.detail.done, { action: (m.action as Record<string, string>)[done] ?? done }) : undefined;
    return detail(c, t, { ok });
  });

  app.post("/tickets/:number/actions/:action", async (c) => {
    const action = c.req.param("action");
    const t = await findTicketByNumber(ctx.db, c.req.param("number"));
    if (!t || !isAction(action)) return notFound(c);
    const v = viewer(c);
    const tx = c.get("tx");
    const actor = actorFor(v, t);
    if (!actor) return detail(c, t, { error: tx.t.detail.adminReadOnly }, 403);
    const body = await c.req.parseBody();
    const version = Number(body.v);
    try {
      const r = await performAction(ctx, t.number, action, actor, argsFrom(action, body), "web", Number.isInteger(version) ? version : undefined);
      // Every copy of the card in the chats is patched, and the people who must act are told.
      await ticketChanged(ctx, r.before, r.ticket);
      ctx.log.info("console action", { ticket: t.number, action, person: v.person?.id });
      return c.redirect(`${CONSOLE_BASE}/tickets/${t.number}?done=${action}`, 303);
    } catch (e) {
      if (!isChatDeskError(e)) throw e;
      const now = (await findTicketByNumber(ctx.db, t.number)) ?? t;
      return detail(c, now, { error: errorText(e, tx.locale, action).text }, HTTP_STATUS[e.code] ?? 400);
    }
  });

  return app;
}

/** The ticket page, with a flash message after an action. */
async function renderDetail(deps: ConsoleDeps, c: ConsoleContext, t: TicketRow, flash: { ok?: string; error?: string }, status: Status) {
  const { ctx } = deps;
  const v = viewer(c);
  const [events, attachments, merged] = await Promise.all([
    allEvents(ctx.db, t.id),
    ctx.db.attachment.findMany({ where: { ticketId: t.id }, select: { id: true, kind: true, name: true, status: true, size: true, contentType: true, error: true }, orderBy: { id: "asc" } }),
    t.mergedIntoId ? findTicketById(ctx.db, t.mergedIntoId) : Promise.resolve(null),
  ]);
  const names = await namesOf(ctx, ticketPeople(t, events));
  return render(
    c,
    <DetailPage
      page={pageContext(c)}
      cfg={ctx.config}
      labels={labelsOf(c, deps, names)}
      ticket={t}
      events={[...events].reverse()}
      attachments={attachments}
      collaborators={parseList(t.collaborators)}
      mergedInto={merged?.number}
      showContact={maySeeContact(ctx.config, v, t)}
      roles={rolesOn(ctx.config, v, t)}
      now={ctx.now()}
      waiting={waitingView(ctx, t)}
      flash={flash}
    />,
    status,
  );
}
