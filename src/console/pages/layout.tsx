// The page frame: head (viewport for in-app browsers, inline CSS), the top bar with navigation,
// the signed-in person, language switch and sign-out (a POST with its CSRF token).
import type { Child } from "hono/jsx";
import type { Texts } from "../i18n.js";
import type { Viewer } from "../viewer.js";
import { CONSOLE_BASE } from "../settings.js";
import { CSRF_FIELD } from "../csrf.js";
import { CSS } from "./style.js";
import { calendarConsoleTexts } from "../calendar-texts.js";

export interface PageContext {
  tx: Texts;
  nonce: string;
  /** The current path with query, for the language switch to come back to. */
  path: string;
  viewer?: Viewer;
  csrf?: string;
  reports?: boolean;
}

// Asks before dangerous submits (data-confirm), and disables a form's buttons once it is sent so a
// double tap in a slow in-app browser does not post twice.
const SCRIPT = `document.addEventListener("submit",function(e){var f=e.target;var q=f.getAttribute("data-confirm");if(q&&!window.confirm(q)){e.preventDefault();return}setTimeout(function(){f.querySelectorAll("button").forEach(function(b){b.disabled=true})},0)});`;

export function Layout(props: { page: PageContext; title: string; active?: "tickets" | "reports" | "calendar"; children?: Child }) {
  const { tx, viewer, csrf, nonce, path } = props.page;
  const { t } = tx;
  const other = tx.locale === "en" ? "zh-CN" : "en";
  return (
    <html lang={tx.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1,viewport-fit=cover" />
        <meta name="referrer" content="same-origin" />
        <title>{`${props.title} · ChatDesk`}</title>
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <header class="top">
          <a class="brand" href={`${CONSOLE_BASE}/tickets`}>
            ChatDesk
          </a>
          {viewer && (
            <nav>
              <a class={props.active === "tickets" ? "on" : ""} href={`${CONSOLE_BASE}/tickets`}>
                {t.nav.tickets}
              </a>
              {props.page.reports && (
                <a class={props.active === "reports" ? "on" : ""} href={`${CONSOLE_BASE}/reports`}>
                  {t.nav.reports}
                </a>
              )}
              <a class={props.active === "calendar" ? "on" : ""} href={`${CONSOLE_BASE}/calendar`}>
                {calendarConsoleTexts(tx.locale).nav}
              </a>
            </nav>
          )}
          <div class="me">
            {viewer && <span>{viewer.name}</span>}
            <a href={`${CONSOLE_BASE}/lang?to=${other}&next=${encodeURIComponent(path)}`}>{t.nav.lang}</a>
            {viewer && csrf && (
              <form method="post" action={`${CONSOLE_BASE}/logout`}>
                <input type="hidden" name={CSRF_FIELD} value={csrf} />
                <button class="linkbtn" type="submit">
                  {t.nav.signOut}
                </button>
              </form>
            )}
          </div>
        </header>
        <main>{props.children}</main>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: SCRIPT }} />
      </body>
    </html>
  );
}

export function Flash(props: { ok?: string; error?: string }) {
  return (
    <>
      {props.ok && <div class="flash ok">{props.ok}</div>}
      {props.error && (
        <div class="flash err" role="alert">
          {props.error}
        </div>
      )}
    </>
  );
}
