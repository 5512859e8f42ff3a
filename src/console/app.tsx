// The web console, mounted at /console by the runtime composition (Node and Worker alike): security
// headers, server-side sessions named by a signed cookie, the sign-in routes, then everything else
// behind the guards.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppContext } from "../app/context.js";
import { isChatDeskError } from "../core/errors.js";
import { loadSession, requireCsrf, requireViewer } from "./auth.js";
import { clientInfo } from "./client.js";
import { randomToken } from "./crypto.js";
import { pageContext, render, type ConsoleContext, type ConsoleDeps, type ConsoleEnv, type Status } from "./context.js";
import { texts } from "./i18n.js";
import { FEISHU_H5SDK_URL } from "./feishu-jssdk.js";
import { DINGTALK_JSAPI_URL } from "./oauth/dingtalk.js";
import { MessagePage } from "./pages/message.js";
import { attachmentRoutes } from "./routes/attachments.js";
import { authRoutes, loginPage } from "./routes/auth.js";
import { calendarRoutes } from "./routes/calendar.js";
import { exportRoutes } from "./routes/exports.js";
import { reportRoutes } from "./routes/reports.js";
import { shortcutRoutes } from "./routes/shortcut.js";
import { ticketRoutes } from "./routes/tickets.js";
import { CONSOLE_BASE, type ConsoleSettings } from "./settings.js";

/** Form posts are small; anything bigger is not ours. */
const BODY_LIMIT = 64 * 1024;

export function createConsole(ctx: AppContext, settings: ConsoleSettings): Hono<ConsoleEnv> {
  const deps: ConsoleDeps = { ctx, settings };
  const app = new Hono<ConsoleEnv>();
  const jsapiOrigins = `${new URL(DINGTALK_JSAPI_URL).origin} ${new URL(FEISHU_H5SDK_URL).origin}`;

  app.use("*", async (c, next) => {
    const nonce = randomToken(16);
    c.set("nonce", nonce);
    c.set("client", clientInfo(c, settings.client));
    await next();
    // Scripts only with this response's nonce (plus DingTalk's JSAPI for in-app sign-in and Feishu's H5 SDK for the message shortcut); styles are
    // inline by design; only pages of this origin may frame the console (the playground's side panel):
    // they could read it with fetch anyway, so that admits nobody new. An attachment brings its own,
    // stricter policy (routes/attachments.tsx).
    if (!c.res.headers.has("content-security-policy")) {
      c.header(
        "content-security-policy",
        `default-src 'self'; script-src 'nonce-${nonce}' ${jsapiOrigins}; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'self'; base-uri 'none'`,
      );
    }
    c.header("x-content-type-options", "nosniff");
    c.header("referrer-policy", "same-origin");
    c.header("cache-control", "no-store");
  });
  app.use("*", bodyLimit({ maxSize: BODY_LIMIT, onError: (c) => c.text("request body too large", 413) }));

  const message = (c: ConsoleContext, status: Status, text: (t: ReturnType<typeof texts>["t"]) => string, signIn = false) => {
    const { t } = c.get("tx");
    return render(c, <MessagePage page={pageContext(c)} title={t.error.title} message={text(t)} signIn={signIn} />, status);
  };

  app.use("*", async (c, next) => {
    c.set("signer", await settings.state.signer(ctx.db));
    await next();
  });
  app.use("*", loadSession(deps));

  const forbidden = (c: ConsoleContext) => message(c, 403, (t) => t.error.forbidden);
  const unauthorized = (c: ConsoleContext) =>
    c.req.method === "GET" ? loginPage(c, deps, { status: 401 }) : message(c, 401, (t) => t.error.unauthorized, true);

  app.route("/", authRoutes(deps));
  app.get("/", (c) => c.redirect(`${CONSOLE_BASE}/tickets`, 302));

  // Everything below needs a signed-in person with a console role, and a valid CSRF token to post.
  app.use("*", requireViewer(unauthorized, forbidden));
  app.use("*", requireCsrf(deps, (c) => message(c, 403, (t) => t.error.csrf)));
  app.route("/", exportRoutes(deps, forbidden));
  app.route("/", ticketRoutes(deps));
  app.route("/", attachmentRoutes(deps));
  app.route("/", reportRoutes(deps, forbidden));
  app.route("/", calendarRoutes(deps));
  app.route("/", shortcutRoutes(deps));
  app.all("*", (c) => message(c, 404, (t) => t.error.notFound));

  app.onError((err, c) => {
    if (isChatDeskError(err) && err.code === "NOT_FOUND") return message(c, 404, (t) => t.error.notFound);
    ctx.log.error("console error", { error: err, path: c.req.path });
    if (!c.get("tx")) c.set("tx", texts(ctx.config.locale));
    return message(c, 500, (t) => t.error.internal);
  });
  return app;
}
