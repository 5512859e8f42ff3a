// The calendar in chat:
//   /holiday 2027-02-06~2027-02-12 春节    days off (a range, or one date; the end may omit the year)
//   /workday 2027-02-14 [name]             working days (调休 make-up days)
//   /calendar [2027]                       the year at a glance
//   /calendar reset 2027-02-14[~…]         undo edits of those dates (back to feeds / package)
//   /calendar 2027 official | provisional  the year's arrangement was entered by hand (or not any more)
// Anyone may look; leads and managers may edit, others are told why not.
import { calendarTexts, calendarYearCard, rangeText } from "../../../cards/calendar.js";
import { fmt, messages } from "../../../cards/i18n/index.js";
import { isChatDeskError } from "../../core/errors.js";
import { personByPlatformId, rolesOf } from "../../core/routing.js";
import type { Locale } from "../../core/types.js";
import type { InboundMessage } from "../../platform/inbound.js";
import type { SendOptions } from "../../platform/port.js";
import type { AppContext } from "../context.js";
import { cardMessage, send, textMessage } from "../notify.js";
import { applyCalendarEdit, calendarRole, type EditRequest, type EditResult } from "./edits.js";
import { yearView } from "./year.js";

export const CALENDAR_COMMANDS = ["holiday", "workday", "calendar"] as const;
export type CalendarCommand = (typeof CALENDAR_COMMANDS)[number];
export const isCalendarCommand = (name: string): name is CalendarCommand => (CALENDAR_COMMANDS as readonly string[]).includes(name);

const DATE = String.raw`(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})`;
const RANGE_RE = new RegExp(String.raw`^${DATE}(?:\s*(?:~|～|〜|\.\.|至|到|—|–|-)\s*(?:(\d{4})[-/.])?(\d{1,2})[-/.](\d{1,2}))?(?:\s+([\s\S]*))?$`);
const pad2 = (s: string) => s.padStart(2, "0");

/** "2027-02-06~2027-02-12 春节" → dates and the rest; undefined when it does not start with a date. */
export function parseRange(text: string): { from: string; to: string; name?: string } | undefined {
  const m = RANGE_RE.exec(text.trim());
  if (!m) return undefined;
  const from = `${m[1]}-${pad2(m[2]!)}-${pad2(m[3]!)}`;
  const to = m[5] ? `${m[4] ?? m[1]}-${pad2(m[5])}-${pad2(m[6]!)}` : from;
  const name = m[7]?.trim();
  return { from, to, ...(name ? { name } : {}) };
}

type Parsed = { kind: "show"; year: number } | { kind: "edit"; req: EditRequest } | { kind: "bad" };

function parse(name: CalendarCommand, rest: string, thisYear: number): Parsed {
  if (name === "holiday" || name === "workday") {
    const r = parseRange(rest);
    return r ? { kind: "edit", req: { action: name === "holiday" ? "off" : "work", ...r } } : { kind: "bad" };
  }
  const words = rest.split(/\s+/).filter(Boolean);
  if (!words.length) return { kind: "show", year: thisYear };
  if (/^(reset|undo|clear|撤销|恢复)$/i.test(words[0]!)) {
    const r = parseRange(words.slice(1).join(" "));
    return r ? { kind: "edit", req: { action: "reset", from: r.from, to: r.to } } : { kind: "bad" };
  }
  if (/^\d{4}$/.test(words[0]!)) {
    const year = Number(words[0]);
    const verb = words[1]?.toLowerCase();
    if (!verb) return { kind: "show", year };
    if (/^(official|confirm|确认)$/.test(verb)) return { kind: "edit", req: { action: "official", year } };
    if (/^(provisional|unconfirm|取消确认)$/.test(verb)) return { kind: "edit", req: { action: "provisional", year } };
  }
  return { kind: "bad" };
}

function doneText(r: EditResult, locale: Locale): string {
  const t = calendarTexts(locale);
  const action = t.action[r.action] ?? r.action;
  const head =
    r.action === "official" || r.action === "provisional"
      ? fmt(t.doneYear, { action, year: r.from.slice(0, 4) })
      : fmt(t.done, { range: rangeText(r.from, r.to), days: r.days, action, name: r.name ? (locale === "en" ? ` "${r.name}"` : `「${r.name}」`) : "" });
  const moved = r.recomputed?.moved ?? 0;
  return `${head}${locale === "en" ? " " : ""}${moved ? fmt(t.moved, { n: moved }) : t.noneMoved}`;
}

/** Why this sender may not edit, in their words. */
function refusal(ctx: AppContext, msg: InboundMessage, locale: Locale, year: number): string {
  const t = calendarTexts(locale);
  const person = personByPlatformId(ctx.config, msg.platform, msg.sender.userId);
  let who = t.notConfigured;
  if (person) {
    const roles = [...new Set(ctx.config.departments.flatMap((d) => [...rolesOf(ctx.config, msg.platform, msg.sender.userId, { reporterId: "", department: d.id, collaborators: [] })]))];
    const m = messages(locale);
    who = roles.length ? fmt(t.hasRoles, { roles: roles.map((r) => m.role[r]).join("、") }) : t.noRole;
  }
  return fmt(t.refused, { who, year });
}

export async function handleCalendarCommand(ctx: AppContext, msg: InboundMessage, name: CalendarCommand, rest: string, opts: SendOptions, locale: Locale): Promise<void> {
  const reply = (text: string) => send(ctx, [textMessage(msg.platform, msg.chatId, text, opts)]);
  const thisYear = Number(ctx.calendar.localDate(ctx.now()).slice(0, 4));
  const p = parse(name, rest, thisYear);
  const t = calendarTexts(locale);
  if (p.kind === "bad") return reply(fmt(t.badDates, { message: rest.trim() || "—" }));
  if (p.kind === "show") {
    const card = calendarYearCard(await yearView(ctx, p.year, locale), { locale, timeZone: ctx.config.calendar.timeZone });
    return send(ctx, [cardMessage(msg.platform, msg.chatId, card, { opts: { ...opts, readOnly: true } })]);
  }
  const person = personByPlatformId(ctx.config, msg.platform, msg.sender.userId);
  const year = "year" in p.req ? p.req.year : Number(p.req.from.slice(0, 4));
  if (!calendarRole(ctx.config, person)) return reply(refusal(ctx, msg, locale, year));
  try {
    const r = await applyCalendarEdit(ctx, { id: person!.id, name: person!.name }, "chat", p.req);
    await reply(doneText(r, locale));
  } catch (e) {
    if (!isChatDeskError(e) || e.code !== "INVALID_INPUT") throw e;
    await reply(fmt(t.badDates, { message: e.message }));
  }
}
