// Sessions (a signed cookie naming a server-side row), the guards in front of every page (401 not
// signed in, 403 no role), and the CSRF check on every POST.
import type { MiddlewareHandler } from "hono";
import type { Person } from "../config/schema.js";
import { createConsoleSession, revokeConsoleSession } from "../store/console-sessions.js";
import { randomToken, sha256, type Signer } from "./crypto.js";
import { dropCookie, putCookie, readCookie } from "./cookies.js";
import { CSRF_FIELD, CSRF_HEADER, csrfToken, csrfValid, sameOrigin } from "./csrf.js";
import type { ConsoleContext, ConsoleDeps, ConsoleEnv } from "./context.js";
import { texts } from "./i18n.js";
import {
  isOAuthState,
  isSessionRef,
  isSignInVia,
  LANG_COOKIE,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  signedCodec,
  STATE_COOKIE,
  STATE_TTL_MS,
  type OAuthState,
  type Session,
  type SignInVia,
} from "./session.js";
import { mayUseConsole, viewerOf, type Viewer } from "./viewer.js";
import type { Locale } from "../core/types.js";

export const LOGIN_COOKIE = "cd_login";
const isLoginNonce = (v: unknown): v is { nonce: string; exp: number } =>
  typeof v === "object" && v !== null && typeof (v as { nonce?: unknown }).nonce === "string" && typeof (v as { exp?: unknown }).exp === "number";

export const codecs = (signer: Signer) => ({
  session: signedCodec(signer, "session", isSessionRef),
  state: signedCodec<OAuthState>(signer, "oauth-state", isOAuthState),
  login: signedCodec(signer, "login", isLoginNonce),
});

const langOf = (raw: string | undefined): Locale | undefined => (raw === "en" || raw === "zh-CN" ? raw : undefined);

/** Reads the session cookie (if any) and sets viewer, texts and the CSRF token for the request. */
export function loadSession(deps: ConsoleDeps): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const session = await currentSession(c, deps);
    const viewer = session ? viewerOf(deps.ctx.config, session) : undefined;
    if (session && viewer) {
      c.set("session", session);
      c.set("viewer", viewer);
      c.set("csrf", await csrfToken(c.get("signer"), session.sid));
    }
    c.set("tx", texts(langOf(readCookie(c, LANG_COOKIE)) ?? viewer?.locale ?? deps.ctx.config.locale));
    await next();
  };
}

/**
 * The live session the cookie names: its row exists, is neither revoked nor expired, and its person is
 * still configured. One primary-key read, reused for a few seconds (ConsoleState).
 */
async function currentSession(c: ConsoleContext, deps: ConsoleDeps): Promise<Session | undefined> {
  const { ctx, settings } = deps;
  const now = ctx.now();
  const ref = await codecs(c.get("signer")).session.decode(readCookie(c, SESSION_COOKIE), now.getTime());
  if (!ref) return undefined;
  const id = await sha256(ref.sid);
  const row = await settings.state.session(ctx.db, id, now.getTime());
  if (!row || row.revokedAt || row.expiresAt <= now || !isSignInVia(row.via)) return undefined;
  if (row.personId && !ctx.config.people.some((p) => p.id === row.personId)) {
    // Removed from the workflow file since signing in: ended for good, even if they are added back.
    await revokeConsoleSession(ctx.db, id, "removed from the workflow file", now);
    settings.state.forget(id);
    ctx.log.info("console session revoked", { person: row.personId, why: "removed from the workflow file" });
    return undefined;
  }
  return { sid: ref.sid, personId: row.personId, name: row.name, via: row.via, admin: row.admin, exp: row.expiresAt.getTime() };
}

export async function startSession(c: ConsoleContext, deps: ConsoleDeps, who: { person?: Person; via: SignInVia; admin: boolean; name: string }): Promise<Session> {
  const now = deps.ctx.now();
  const session: Session = {
    sid: randomToken(32),
    // The admin token is no one: its sessions never carry a person, so they can never act on tickets.
    personId: who.admin ? "" : (who.person?.id ?? ""),
    name: who.name,
    via: who.via,
    admin: who.admin,
    exp: now.getTime() + SESSION_TTL_MS,
  };
  const { sid: _, exp, ...row } = session;
  await createConsoleSession(deps.ctx.db, { id: await sha256(session.sid), ...row, createdAt: now, expiresAt: new Date(exp) });
  putCookie(c, SESSION_COOKIE, await codecs(c.get("signer")).session.encode({ sid: session.sid, exp }), SESSION_TTL_MS / 1000);
  return session;
}

/** Sign out: the session row is revoked (a copied cookie is worthless from now on) and the cookie dropped. */
export async function endSession(c: ConsoleContext, deps: ConsoleDeps): Promise<void> {
  const session = c.get("session");
  if (session) {
    const id = await sha256(session.sid);
    await revokeConsoleSession(deps.ctx.db, id, "logout", deps.ctx.now());
    deps.settings.state.forget(id);
  }
  dropCookie(c, SESSION_COOKIE);
}

/** A fresh OAuth state bound to this browser by a signed cookie. */
export async function newOAuthState(c: ConsoleContext, deps: ConsoleDeps, provider: OAuthState["provider"], next: string): Promise<string> {
  const state: OAuthState = { nonce: randomToken(), provider, next, exp: deps.ctx.now().getTime() + STATE_TTL_MS };
  putCookie(c, STATE_COOKIE, await codecs(c.get("signer")).state.encode(state), STATE_TTL_MS / 1000);
  return state.nonce;
}

/** The state this browser started, if `returned` is it; the cookie is spent either way. */
export async function takeOAuthState(c: ConsoleContext, deps: ConsoleDeps, provider: OAuthState["provider"], returned: string | undefined): Promise<OAuthState | undefined> {
  const state = await codecs(c.get("signer")).state.decode(readCookie(c, STATE_COOKIE), deps.ctx.now().getTime());
  dropCookie(c, STATE_COOKIE);
  if (!state || state.provider !== provider || !returned || state.nonce !== returned) return undefined;
  return state;
}

/** Login-form nonce (before there is a session to bind the CSRF token to). */
export async function loginCsrf(c: ConsoleContext, deps: ConsoleDeps): Promise<string> {
  const codec = codecs(c.get("signer")).login;
  const now = deps.ctx.now().getTime();
  let cur = await codec.decode(readCookie(c, LOGIN_COOKIE), now);
  if (!cur) {
    cur = { nonce: randomToken(), exp: now + STATE_TTL_MS };
    putCookie(c, LOGIN_COOKIE, await codec.encode(cur), STATE_TTL_MS / 1000);
  }
  return csrfToken(c.get("signer"), `login.${cur.nonce}`);
}

export async function loginCsrfValid(c: ConsoleContext, deps: ConsoleDeps, token: string | undefined): Promise<boolean> {
  const cur = await codecs(c.get("signer")).login.decode(readCookie(c, LOGIN_COOKIE), deps.ctx.now().getTime());
  return !!cur && csrfValid(c.get("signer"), `login.${cur.nonce}`, token);
}

/** The CSRF token sent with a POST: the form field, or the header for scripted clients. */
export async function postedCsrf(c: ConsoleContext): Promise<string | undefined> {
  const header = c.req.header(CSRF_HEADER);
  if (header) return header;
  const ct = c.req.header("content-type") ?? "";
  if (!ct.startsWith("application/x-www-form-urlencoded") && !ct.startsWith("multipart/form-data")) return undefined;
  const body = await c.req.parseBody();
  const v = body[CSRF_FIELD];
  return typeof v === "string" ? v : undefined;
}

/** Refuses a POST from another site or without this session's token (403). */
export function requireCsrf(deps: ConsoleDeps, onFail: (c: ConsoleContext) => Promise<Response>): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (c.req.method !== "POST") return next();
    const session = c.get("session");
    const ok = sameOrigin(c.req.header("origin"), c.req.url, deps.settings.publicUrl) && (await csrfValid(c.get("signer"), session?.sid, await postedCsrf(c)));
    if (!ok) return onFail(c);
    await next();
  };
}

/** Not signed in → 401 with the sign-in page; signed in without a console role → 403. */
export function requireViewer(onUnauthorized: (c: ConsoleContext) => Promise<Response>, onForbidden: (c: ConsoleContext) => Promise<Response>): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const v = c.get("viewer");
    if (!v) return onUnauthorized(c);
    if (!mayUseConsole(v)) return onForbidden(c);
    await next();
  };
}

export const viewer = (c: ConsoleContext): Viewer => {
  const v = c.get("viewer");
  if (!v) throw new Error("viewer missing: route registered before requireViewer");
  return v;
};
