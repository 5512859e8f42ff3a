// The reports page for leads (their departments) and managers (everything).
import { Hono } from "hono";
import { viewer } from "../auth.js";
import { labelsOf, pageContext, render, type ConsoleContext, type ConsoleDeps, type ConsoleEnv } from "../context.js";
import { ReportsPage, type DutySectionData } from "../pages/reports.js";
import type { AppContext } from "../../app/context.js";
import { namesOf } from "../../app/names.js";
import { dutyFigures, waitingVsWorking } from "../../app/duty-figures.js";
import type { Locale } from "../../core/types.js";
import { parsePeriod } from "../period.js";
import { loadReport, reportPeople } from "../report-data.js";
import { mayViewReports, reportDepartments } from "../viewer.js";

export function reportRoutes(deps: ConsoleDeps, forbidden: (c: ConsoleContext) => Promise<Response>): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const { ctx } = deps;
  app.get("/reports", async (c) => {
    const v = viewer(c);
    if (!mayViewReports(v)) return forbidden(c);
    const now = ctx.now();
    const period = parsePeriod((k) => c.req.query(k), ctx.calendar, now);
    const departments = reportDepartments(ctx.config, v);
    const data = await loadReport(ctx.db, period, now, departments, ctx.config.duplicates.threshold);
    const search = period.kind === "custom" ? `?period=custom&from=${period.from}&to=${period.to}` : `?period=${period.kind}`;
    const [duty, names] = await Promise.all([dutySection(ctx, c.get("tx").locale, period.start, period.end, departments), namesOf(ctx, reportPeople(data))]);
    return render(c, <ReportsPage page={pageContext(c)} labels={labelsOf(c, deps, names)} data={data} search={search} duty={duty} />);
  });
  return app;
}

async function dutySection(ctx: AppContext, locale: Locale, start: Date, end: Date, departments?: string[]): Promise<DutySectionData> {
  const [duty, w] = await Promise.all([dutyFigures(ctx, locale, departments), waitingVsWorking(ctx, start, end, departments)]);
  const capacity = Object.fromEntries(ctx.config.people.map((p) => [p.id, p.capacity]));
  return { ...duty, avgWaiting: w.avgWaiting, avgWorking: w.avgWorking, capacity };
}
