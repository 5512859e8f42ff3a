// The calendar page: everyone with console access sees the year; managers edit it (the CSRF check
// runs in front of every POST, see app.tsx). Edits go through the same use case as the chat commands.
import { Hono } from "hono";
import { fmt } from "../../../cards/i18n/index.js";
import { applyCalendarEdit, type EditRequest } from "../../app/calendar/edits.js";
import { calendarStatus } from "../../app/calendar/status.js";
import { editWhat, yearDays } from "../../app/calendar/year.js";
import { isChatDeskError } from "../../core/errors.js";
import { recentEdits } from "../../store/calendar.js";
import { viewer } from "../auth.js";
import { calendarConsoleTexts } from "../calendar-texts.js";
import { labelsOf, pageContext, render, type ConsoleContext, type ConsoleDeps, type ConsoleEnv, type Status } from "../context.js";
import { CalendarPage } from "../pages/calendar.js";
import { CONSOLE_BASE } from "../settings.js";
import type { Viewer } from "../viewer.js";

/** Managers edit on the page (leads edit in chat); the admin token alone is no one and cannot. */
export const mayEditCalendar = (v: Viewer) => !!v.person && v.managerOf.length > 0;

function requestFrom(body: Record<string, string | File | (string | File)[]>): EditRequest | undefined {
  const s = (k: string) => (typeof body[k] === "string" ? (body[k] as string).trim() : "");
  const action = s("action");
  if (action === "official" || action === "provisional") return { action, year: Number(s("year")) };
  if (action !== "off" && action !== "work" && action !== "reset") return undefined;
  const from = s("from");
  return { action, from, to: s("to") || from, name: s("name") || undefined };
}

export function calendarRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const { ctx } = deps;

  const page = async (c: ConsoleContext, year: number, flash: { ok?: string; error?: string } = {}, status: Status = 200) => {
    const v = viewer(c);
    const now = ctx.now();
    const snap = ctx.calendarData.current();
    const days = yearDays(ctx.calendar, year);
    const locale = c.get("tx").locale;
    return render(
      c,
      <CalendarPage
        page={pageContext(c)}
        labels={labelsOf(c, deps)}
        year={year}
        today={ctx.calendar.localDate(now)}
        days={days}
        status={await calendarStatus(ctx, now)}
        provisional={!snap.days.coveredYears.includes(year) && days.some((d) => d.mark?.provisional)}
        officialByHand={snap.editState.officialYears.includes(year)}
        mayEdit={mayEditCalendar(v)}
        edits={await recentEdits(ctx.db, 50)}
        editWhat={(e) => editWhat(e, locale)}
        flash={flash}
      />,
      status,
    );
  };

  const yearOf = (c: ConsoleContext): number => {
    const q = Number(c.req.query("year"));
    return Number.isInteger(q) && q >= 1990 && q <= 2100 ? q : Number(ctx.calendar.localDate(ctx.now()).slice(0, 4));
  };

  app.get("/calendar", async (c) => {
    // The flash names the saved edit by its id (never text from the URL).
    const saved = Number(c.req.query("saved"));
    const edit = Number.isInteger(saved) && saved > 0 ? await ctx.db.calendarEdit.findUnique({ where: { id: saved } }) : null;
    const moved = Math.max(0, Math.trunc(Number(c.req.query("moved")) || 0));
    const t = calendarConsoleTexts(c.get("tx").locale);
    const ok = edit ? fmt(t.saved, { what: editWhat(edit, c.get("tx").locale), moved: moved ? fmt(t.moved, { n: moved }) : t.noneMoved }) : undefined;
    return page(c, yearOf(c), { ok });
  });

  app.post("/calendar/edits", async (c) => {
    const v = viewer(c);
    const t = calendarConsoleTexts(c.get("tx").locale);
    const year = yearOf(c);
    if (!mayEditCalendar(v)) return page(c, year, { error: t.forbidden }, 403);
    const req = requestFrom(await c.req.parseBody());
    if (!req) return page(c, year, { error: t.forbidden }, 400);
    try {
      const r = await applyCalendarEdit(ctx, { id: v.person!.id, name: v.person!.name }, "console", req);
      ctx.log.info("console calendar edit", { person: v.person!.id, action: r.action, from: r.from, to: r.to });
      return c.redirect(`${CONSOLE_BASE}/calendar?year=${r.from.slice(0, 4)}&saved=${r.id}&moved=${r.recomputed?.moved ?? 0}`, 303);
    } catch (e) {
      if (!isChatDeskError(e) || e.code !== "INVALID_INPUT") throw e;
      return page(c, year, { error: e.message }, 400);
    }
  });

  return app;
}
