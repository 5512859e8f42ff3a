// Sign-in and sign-out: the login page, the admin token, Feishu and DingTalk OAuth (web and in-app),
// and the language switch.
import { Hono } from "hono";
import { fmt } from "../../../cards/i18n/index.js";
import { personByPlatformId } from "../../core/routing.js";
import { secretEquals } from "../crypto.js";
import { putCookie } from "../cookies.js";
import { endSession, loginCsrf, loginCsrfValid, newOAuthState, postedCsrf, requireCsrf, startSession, takeOAuthState } from "../auth.js";
import { signInFailed, signInSucceeded, throttled } from "../throttle.js";
import { originOf, pageContext, render, type ConsoleContext, type ConsoleDeps, type ConsoleEnv, type Status } from "../context.js";
import { dingtalkAuthorizeUrl, dingtalkInAppIdentity, dingtalkWebIdentity } from "../oauth/dingtalk.js";
import { feishuAuthorizeUrl, feishuIdentity } from "../oauth/feishu.js";
import { SignInError, type PlatformIdentity } from "../oauth/identity.js";
import { LoginPage, type InApp } from "../pages/login.js";
import { MessagePage } from "../pages/message.js";
import { LANG_COOKIE, safeNext } from "../session.js";
import { CONSOLE_BASE } from "../settings.js";
import { mayUseConsole, viewerOf } from "../viewer.js";

const IN_FEISHU = /\b(Lark|Feishu)\//i;
const IN_DINGTALK = /DingTalk/i;
const CORP_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The login page, with the status the situation calls for (401 when a page needed a session). */
export async function loginPage(c: ConsoleContext, deps: ConsoleDeps, opts: { status?: Status; next?: string; error?: string } = {}): Promise<Response> {
  const { settings } = deps;
  const url = new URL(c.req.url);
  const next = safeNext(opts.next ?? (c.req.method === "GET" && url.pathname !== `${CONSOLE_BASE}/login` ? `${url.pathname}${url.search}` : c.req.query("next")), CONSOLE_BASE);
  const ua = c.req.header("user-agent") ?? "";
  let inApp: InApp | undefined;
  // 免登 only on a clean visit: after a failure the page waits for the person instead of looping.
  if (!opts.error && settings.feishu && IN_FEISHU.test(ua)) {
    inApp = { platform: "feishu", href: `${CONSOLE_BASE}/auth/feishu?next=${encodeURIComponent(next)}` };
  } else if (!opts.error && settings.dingtalk && IN_DINGTALK.test(ua)) {
    const q = c.req.query("corpId") ?? c.req.query("corpid");
    const corpId = q && CORP_ID.test(q) ? q : settings.dingtalk.corpId;
    if (corpId) inApp = { platform: "dingtalk", corpId, clientId: settings.dingtalk.clientId, state: await newOAuthState(c, deps, "dingtalk", next), next };
  }
  const page = (
    <LoginPage
      page={pageContext(c)}
      next={next}
      feishu={!!settings.feishu}
      dingtalk={!!settings.dingtalk}
      admin={!!settings.adminToken}
      loginCsrf={settings.adminToken ? await loginCsrf(c, deps) : undefined}
      error={opts.error}
      inApp={inApp}
    />
  );
  return render(c, page, opts.status ?? 200);
}

export function authRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const { ctx, settings } = deps;

  const message = (c: ConsoleContext, status: Status, title: string, text: string, signIn = false) =>
    render(c, <MessagePage page={pageContext(c)} title={title} message={text} signIn={signIn} />, status);

  /** 429: too many failed sign-ins from this address or for this account; says when to come back. */
  const tooMany = (c: ConsoleContext, retryAfter: number, next?: string) => {
    c.header("retry-after", String(retryAfter));
    return loginPage(c, deps, { status: 429, next, error: fmt(c.get("tx").t.login.throttled, { minutes: Math.ceil(retryAfter / 60) }) });
  };

  /** A platform identity → a session, if the person is configured and has a console role. */
  const signIn = async (c: ConsoleContext, who: PlatformIdentity, next: string) => {
    const { t } = c.get("tx");
    const account = `${who.platform}:${who.userId}` as const;
    const wait = await throttled(c, deps, account);
    if (wait) return tooMany(c, wait, next);
    const person = personByPlatformId(ctx.config, who.platform, who.userId);
    if (!person) {
      await signInFailed(c, deps, "not in the people list", account);
      return message(c, 403, t.error.title, fmt(t.login.unknownUser, { name: who.name }));
    }
    const v = viewerOf(ctx.config, { sid: "", personId: person.id, name: person.name, via: who.platform, admin: false, exp: 0 });
    if (!v || !mayUseConsole(v)) {
      await signInFailed(c, deps, "no console role", account);
      return message(c, 403, t.error.title, t.login.noRole);
    }
    await signInSucceeded(deps, account);
    await startSession(c, deps, { person, via: who.platform, admin: false, name: person.name });
    ctx.log.info("console sign-in", { via: who.platform, person: person.id, address: c.get("client").address });
    return c.redirect(safeNext(next, CONSOLE_BASE), 303);
  };

  /**
   * An OAuth return (web or in-app): the state this browser started, the platform's code, then who it
   * names. Locked clients are turned away before the platform is asked anything.
   */
  const oauthReturn = async (c: ConsoleContext, provider: "feishu" | "dingtalk", code: string | undefined, identify: (code: string) => Promise<PlatformIdentity>) => {
    const { t } = c.get("tx");
    const state = await takeOAuthState(c, deps, provider, c.req.query("state"));
    const wait = await throttled(c, deps);
    if (wait) return tooMany(c, wait, state?.next);
    if (!state) {
      await signInFailed(c, deps, `${provider} sign-in state mismatch`);
      return loginPage(c, deps, { status: 400, error: t.login.stateMismatch });
    }
    // No code: the person cancelled on the platform's page (not a guess, so not counted).
    if (!code) return loginPage(c, deps, { status: 401, next: state.next, error: fmt(t.login.failed, { reason: c.req.query("error") ?? "no code" }) });
    try {
      return await signIn(c, await identify(code), state.next);
    } catch (e) {
      if (!(e instanceof SignInError)) throw e;
      await signInFailed(c, deps, e.message);
      return loginPage(c, deps, { status: 401, next: state.next, error: fmt(t.login.failed, { reason: e.message }) });
    }
  };

  app.get("/login", async (c) => {
    if (c.get("viewer")) return c.redirect(safeNext(c.req.query("next"), CONSOLE_BASE), 303);
    return loginPage(c, deps);
  });

  app.post("/login", async (c) => {
    const { t } = c.get("tx");
    const body = await c.req.parseBody();
    const next = typeof body.next === "string" ? body.next : undefined;
    if (!settings.adminToken) return message(c, 404, t.error.title, t.error.notFound);
    if (!(await loginCsrfValid(c, deps, await postedCsrf(c)))) return loginPage(c, deps, { status: 403, next, error: t.error.csrf });
    const wait = await throttled(c, deps, "admin");
    if (wait) return tooMany(c, wait, next);
    const token = typeof body.token === "string" ? body.token : "";
    if (!token || !(await secretEquals(token, settings.adminToken))) {
      await signInFailed(c, deps, "wrong admin token", "admin");
      return loginPage(c, deps, { status: 401, next, error: t.login.badToken });
    }
    await signInSucceeded(deps, "admin");
    await startSession(c, deps, { via: "admin", admin: true, name: "Admin" });
    ctx.log.info("console sign-in", { via: "admin", address: c.get("client").address });
    return c.redirect(safeNext(next, CONSOLE_BASE), 303);
  });

  app.post("/logout", requireCsrf(deps, (c) => message(c, 403, c.get("tx").t.error.title, c.get("tx").t.error.csrf)), async (c) => {
    await endSession(c, deps);
    return c.redirect(`${CONSOLE_BASE}/login`, 303);
  });

  app.get("/lang", (c) => {
    const to = c.req.query("to") === "en" ? "en" : "zh-CN";
    putCookie(c, LANG_COOKIE, to, 365 * 86_400);
    return c.redirect(safeNext(c.req.query("next"), CONSOLE_BASE), 303);
  });

  // Feishu: web login, and in-app (the Feishu client passes the authorize page without a prompt).
  const feishuCallback = () => `${CONSOLE_BASE}/auth/feishu/callback`;
  app.get("/auth/feishu", async (c) => {
    if (!settings.feishu) return message(c, 404, c.get("tx").t.error.title, c.get("tx").t.login.none);
    const state = await newOAuthState(c, deps, "feishu", safeNext(c.req.query("next"), CONSOLE_BASE));
    return c.redirect(feishuAuthorizeUrl(settings.feishu, `${originOf(c, deps)}${feishuCallback()}`, state), 302);
  });
  app.get("/auth/feishu/callback", async (c) => {
    const feishu = settings.feishu;
    if (!feishu) return message(c, 404, c.get("tx").t.error.title, c.get("tx").t.login.none);
    return oauthReturn(c, "feishu", c.req.query("code"), (code) => feishuIdentity(feishu, code, `${originOf(c, deps)}${feishuCallback()}`));
  });

  // DingTalk: web login (login page → authCode), and in-app 免登 (JSAPI code on the login page).
  app.get("/auth/dingtalk", async (c) => {
    if (!settings.dingtalk) return message(c, 404, c.get("tx").t.error.title, c.get("tx").t.login.none);
    const state = await newOAuthState(c, deps, "dingtalk", safeNext(c.req.query("next"), CONSOLE_BASE));
    return c.redirect(dingtalkAuthorizeUrl(settings.dingtalk, `${originOf(c, deps)}${CONSOLE_BASE}/auth/dingtalk/callback`, state), 302);
  });
  app.get("/auth/dingtalk/callback", async (c) => {
    const dingtalk = settings.dingtalk;
    if (!dingtalk) return message(c, 404, c.get("tx").t.error.title, c.get("tx").t.login.none);
    return oauthReturn(c, "dingtalk", c.req.query("authCode") ?? c.req.query("code"), (code) => dingtalkWebIdentity(dingtalk, code));
  });
  app.get("/auth/dingtalk/inapp", async (c) => {
    const dingtalk = settings.dingtalk;
    if (!dingtalk) return message(c, 404, c.get("tx").t.error.title, c.get("tx").t.login.none);
    return oauthReturn(c, "dingtalk", c.req.query("code"), (code) => dingtalkInAppIdentity(dingtalk, code));
  });

  return app;
}
