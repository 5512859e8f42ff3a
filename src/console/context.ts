// What every console handler shares: per-request values (viewer, texts, CSP nonce, CSRF token),
// the app context and settings, and rendering a page to a response.
import type { Context } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { AppContext } from "../app/context.js";
import type { NameBook } from "../app/people.js";
import type { ClientInfo } from "./client.js";
import type { Signer } from "./crypto.js";
import type { Texts } from "./i18n.js";
import { labelsFor, type Labels } from "./labels.js";
import type { PageContext } from "./pages/layout.js";
import type { Session } from "./session.js";
import type { ConsoleSettings } from "./settings.js";
import { mayViewReports, type Viewer } from "./viewer.js";

export interface ConsoleVars {
  nonce: string;
  /** The client's address and whether it reached us over https. */
  client: ClientInfo;
  tx: Texts;
  signer: Signer;
  session?: Session;
  viewer?: Viewer;
  /** CSRF token of the signed-in session. */
  csrf?: string;
}

export type ConsoleEnv = { Variables: ConsoleVars };
export type ConsoleContext = Context<ConsoleEnv>;

export interface ConsoleDeps {
  ctx: AppContext;
  settings: ConsoleSettings;
}

export function pageContext(c: ConsoleContext): PageContext {
  const url = new URL(c.req.url);
  const viewer = c.get("viewer");
  return {
    tx: c.get("tx"),
    nonce: c.get("nonce"),
    path: `${url.pathname}${url.search}`,
    viewer,
    csrf: c.get("csrf"),
    reports: viewer ? mayViewReports(viewer) : false,
  };
}

export const labelsOf = (c: ConsoleContext, deps: ConsoleDeps, names?: NameBook): Labels => labelsFor(deps.ctx.config, c.get("tx"), names);

export type Status = 200 | 400 | 401 | 403 | 404 | 409 | 429 | 500 | 501 | 502 | 503;

export async function render(c: ConsoleContext, page: JSX.Element, status: Status = 200): Promise<Response> {
  return c.html(`<!DOCTYPE html>${String(await page)}`, status);
}

/** The console's own origin for OAuth redirect URIs: PUBLIC_URL when set (behind a proxy), else the request's. */
export const originOf = (c: ConsoleContext, deps: ConsoleDeps) => deps.settings.publicUrl ?? new URL(c.req.url).origin;
