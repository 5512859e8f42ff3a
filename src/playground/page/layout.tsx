// The playground page, server-rendered: top bar (persona, clock, reset, tour, language), chat list,
// the open chat with its composer, and the side panel (raw JSON, the ticket's console page). The
// client script (client.ts) fills the chat and keeps it current.
import type { PgLocale, PgTexts } from "./i18n.js";
import { userIdOn, type Persona } from "../personas.js";
import type { Chat } from "../world.js";

const fmtClock = (now: Date, tz: string, lang: string) =>
  new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "zh-CN", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", weekday: "short", hour: "2-digit", minute: "2-digit", hour12: false }).format(now);

function ago(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 60) return `+${m}m`;
  const h = Math.floor(m / 60);
  return h < 48 ? `+${h}h${m % 60 ? `${m % 60}m` : ""}` : `+${Math.floor(h / 24)}d${h % 24 ? `${h % 24}h` : ""}`;
}

export function clockLine(p: { t: PgTexts; now: Date; offsetMs: number; timeZone: string }) {
  return (
    <span>
      <b data-now={p.now.toISOString()}>{fmtClock(p.now, p.timeZone, p.t.lang === "English" ? "zh" : "en")}</b>{" "}
      <span class="muted">{p.offsetMs > 0 ? ago(p.offsetMs) : p.t.realTime}</span>
    </span>
  );
}

export function personaLabel(p: Persona, t: PgTexts): string {
  if (p.stranger) return `${p.name} ${t.stranger}`;
  const roles = p.roles.length ? p.roles.map((r) => t.roles[r]).join("/") : t.roles.reporter;
  return `${p.name} · ${roles}`;
}

export function chatList(p: { t: PgTexts; chats: Chat[]; personas: Persona[]; viewer: Persona }) {
  const { t } = p;
  const item = (c: Chat) => (
    <li>
      <button type="button" class={`chat-item p-${c.platform}`} data-chat={c.id} data-platform={c.platform}>
        <span class="plat">{c.platform === "feishu" ? t.feishu : t.dingtalk}</span>
        <span class="cname">{c.kind === "direct" ? t.direct : c.name}</span>
      </button>
    </li>
  );
  const mine = p.chats.filter((c) => c.kind === "direct" && (c.userId === userIdOn(p.viewer, c.platform)));
  return (
    <div data-viewer={p.viewer.id}>
      <div class="chats-head">{t.chats}</div>
      <ul>{p.chats.filter((c) => c.kind === "group").map(item)}</ul>
      <ul>{mine.map(item)}</ul>
      <div class="add-group">
        <button type="button" class="link" data-add-group="feishu">
          {t.addGroup} · {t.feishu}
        </button>
        <button type="button" class="link" data-add-group="dingtalk">
          {t.addGroup} · {t.dingtalk}
        </button>
      </div>
    </div>
  );
}

export function PlaygroundPage(p: { t: PgTexts; lang: PgLocale; personas: Persona[]; chats: Chat[]; now: Date; offsetMs: number; timeZone: string }) {
  const { t } = p;
  const strings = JSON.stringify({ ...t, roles: undefined, acted: undefined });
  return (
    <html lang={p.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t.title}</title>
        <link rel="stylesheet" href="/playground/assets/playground.css" />
        <script src="/playground/assets/playground.js" defer></script>
      </head>
      <body data-lang={p.lang} data-strings={strings}>
        <header class="top">
          <div class="brand">
            <b>{t.title}</b>
            <span class="muted intro">{t.intro}</span>
          </div>
          <div class="controls">
            <label class="persona">
              {t.persona}{" "}
              <select id="persona">
                {p.personas.map((x) => (
                  <option value={x.id}>{personaLabel(x, t)}</option>
                ))}
              </select>
            </label>
            <span id="clock" title={t.clock}>
              {clockLine({ t, now: p.now, offsetMs: p.offsetMs, timeZone: p.timeZone })}
            </span>
            <span class="time-btns">
              <button type="button" data-time="hour">{t.plusHour}</button>
              <button type="button" data-time="day">{t.plusDay}</button>
              <button type="button" data-time="reminder">{t.nextReminder}</button>
              <button type="button" data-time="digest">{t.digest}</button>
            </span>
            <button type="button" id="reset" class="danger">
              {t.reset}
            </button>
            <a id="tour" href={`/playground?tour=1${p.lang === "en" ? "&lang=en" : ""}`}>
              {t.tour}
            </a>
            <a id="lang" href={p.lang === "en" ? "/playground" : "/playground?lang=en"}>
              {t.lang}
            </a>
          </div>
        </header>
        <div id="tour-bar" class="tour" hidden></div>
        <main class="layout">
          <nav id="chats" class="chats">
            {chatList({ t, chats: p.chats, personas: p.personas, viewer: p.personas[0]! })}
          </nav>
          <section class="chat">
            <div class="chat-head">
              <button type="button" id="show-chats" class="link">☰</button> <span id="chat-title"></span>
            </div>
            <div id="messages" class="messages" aria-live="polite">
              <p class="empty">{t.empty}</p>
            </div>
            <form id="composer" class="composer">
              <div id="replying" class="replying" hidden></div>
              <div id="attachments" class="attachments"></div>
              <div class="row">
                <label class="at-bot">
                  <input type="checkbox" id="at-bot" checked /> {t.mentionBot}
                </label>
                <textarea id="text" rows={2} placeholder={t.placeholder} title={t.pasteHint}></textarea>
                <button type="submit" id="send" class="primary">
                  {t.send}
                </button>
              </div>
            </form>
          </section>
          <aside id="panel" class="panel" hidden>
            <div class="panel-head">
              <button type="button" data-tab="raw" class="tab">{t.panelRaw}</button>
              <button type="button" data-tab="console" class="tab">{t.panelConsole}</button>
              <a id="console-open" href="/console" target="_blank" rel="noopener">
                {t.openConsole}
              </a>
              <button type="button" id="panel-close" class="link">
                ✕ {t.close}
              </button>
            </div>
            <pre id="raw" class="raw"></pre>
            <iframe id="console-frame" title={t.panelConsole} hidden></iframe>
          </aside>
        </main>
        <div id="toasts" class="toasts" role="status"></div>
      </body>
    </html>
  );
}
