// Feishu's message shortcut (消息快捷操作) lands here: the page (pages/shortcut.tsx), the JSAPI
// signature it asks for, the posted message id — stored as an inbound event like a reaction, so the
// message is read and filed after the answer, retried when Feishu fails and kept across a crash —
// and the status page that follows it to its ticket. Mounted behind the console sign-in and CSRF check.
import { Hono } from "hono";
import { createEventSink, inboundId } from "../../app/inbound.js";
import type { InboundMessage } from "../../platform/inbound.js";
import { findTicketByMessage } from "../../store/tickets.js";
import { viewer } from "../auth.js";
import { pageContext, render, type ConsoleContext, type ConsoleDeps, type ConsoleEnv, type Status } from "../context.js";
import { jssdkConfig, jsapiTickets } from "../feishu-jssdk.js";
import { MessagePage } from "../pages/message.js";
import { SHORTCUT_PATH, ShortcutPage, ShortcutStatusPage, type ShortcutOutcome } from "../pages/shortcut.js";

/** Feishu message ids: om_ and hex (https://open.feishu.cn/document/server-docs/im-v1/message/intro). */
const MESSAGE_ID = /^om_[A-Za-z0-9_-]{1,128}$/;

export function shortcutRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const { ctx, settings } = deps;
  const sender = ctx.senders.feishu;
  const fetchTicket = sender?.jsapiTicket;
  const tickets = fetchTicket ? jsapiTickets(() => fetchTicket(), () => new Date()) : undefined;

  const refuse = (c: ConsoleContext, status: Status, text: string) => {
    const { t } = c.get("tx");
    return render(c, <MessagePage page={pageContext(c)} title={t.shortcut.title} message={text} />, status);
  };
  /** The signed-in person's Feishu open_id: the ticket's reporter. */
  const actorOf = (c: ConsoleContext) => viewer(c).person?.feishu;

  app.get("/shortcut", (c) => render(c, <ShortcutPage page={pageContext(c)} />));

  app.post("/shortcut/jssdk", async (c) => {
    if (!tickets || !settings.feishu) return c.json({ error: "feishu not configured" }, 503);
    const body = (await c.req.json().catch(() => ({}))) as { url?: unknown };
    const url = typeof body.url === "string" ? body.url : "";
    // Only this page is signed: the endpoint is no signing service for other addresses.
    let path = "";
    try {
      path = new URL(url).pathname;
    } catch {
      /* not a URL */
    }
    if (path !== SHORTCUT_PATH || url.length > 4096) return c.json({ error: "url must be this shortcut page" }, 400);
    return c.json(await jssdkConfig(settings.feishu.appId, await tickets(), url, new Date()));
  });

  app.post("/shortcut", async (c) => {
    const { t } = c.get("tx");
    const body = await c.req.parseBody();
    const messageId = typeof body.messageId === "string" ? body.messageId.trim() : "";
    if (!MESSAGE_ID.test(messageId)) return refuse(c, 400, t.shortcut.badMessage);
    const openId = actorOf(c);
    if (!openId) return refuse(c, 400, t.shortcut.noFeishu);
    if (!sender?.fetchMessage) return refuse(c, 503, t.shortcut.unavailable);
    const ev = shortcutEvent(messageId, openId, viewer(c).name, ctx.now());
    await createEventSink(ctx).accept(ev);
    return c.redirect(`${SHORTCUT_PATH}/status?message=${encodeURIComponent(messageId)}`, 303);
  });

  app.get("/shortcut/status", async (c) => {
    const { t } = c.get("tx");
    const messageId = c.req.query("message") ?? "";
    const openId = actorOf(c);
    if (!MESSAGE_ID.test(messageId) || !openId) return refuse(c, 404, t.error.notFound);
    const row = await ctx.db.inboundEvent.findUnique({ where: { id: inboundId({ platform: "feishu", dedupeId: shortcutDedupe(messageId, openId) }) } });
    if (!row) return refuse(c, 404, t.error.notFound);
    const ticket = await findTicketByMessage(ctx.db, "feishu", [messageId]);
    const outcome: ShortcutOutcome = ticket
      ? { kind: "ticket", number: ticket.number, title: ticket.title, already: ticket.reporterId !== openId && ticket.reporterId !== `feishu:${openId}` }
      : row.status === "done"
        ? { kind: "skipped" }
        : row.status === "failed"
          ? { kind: "gaveUp", error: (row.lastError ?? "").slice(0, 200) }
          : row.lastError
            ? { kind: "retrying", error: row.lastError.slice(0, 200) }
            : { kind: "pending" };
    return render(c, <ShortcutStatusPage page={pageContext(c)} outcome={outcome} />);
  });

  return app;
}

/** One person's shortcut on one message: choosing it again, or reloading, files nothing new. */
const shortcutDedupe = (messageId: string, openId: string) => `shortcut:${messageId}:${openId}`;

/** The shortcut as the event path sees it: like a reaction, the chosen message and who chose it. */
function shortcutEvent(messageId: string, openId: string, name: string, now: Date): InboundMessage {
  return {
    kind: "message",
    platform: "feishu",
    dedupeId: shortcutDedupe(messageId, openId),
    messageId,
    chatId: "",
    chatType: "group",
    sender: { userId: openId, name },
    text: "",
    mentionedBot: false,
    attachments: [],
    sentAt: now.toISOString(),
    shortcut: true,
  };
}
