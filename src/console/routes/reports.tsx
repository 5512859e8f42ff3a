// The reports page for leads (their departments) and managers (everything).
import { Hono } from "hono";
import { viewer } from "../auth.js";
import { labelsOf, pageContext, render, type ConsoleContext, type ConsoleDeps, type ConsoleEnv } from "../context.js";
import { ReportsPage } from "../pages/reports.js";
import { parsePeriod } from "../period.js";
import { loadReport } from "../report-data.js";
import { mayViewReports, reportDepartments } from "../viewer.js";

export function reportRoutes(deps: ConsoleDeps, forbidden: (c: ConsoleContext) => Promise<Response>): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const { ctx } = deps;
  app.get("/reports", async (c) => {
    const v = viewer(c);
    if (!mayViewReports(v)) return forbidden(c);
    const now = ctx.now();
    const period = parsePeriod((k) => c.req.query(k), ctx.calendar, now);
    const data = await loadReport(ctx.db, period, now, reportDepartments(ctx.config, v), ctx.config.duplicates.threshold);
    const search = period.kind === "custom" ? `?period=custom&from=${period.from}&to=${period.to}` : `?period=${period.kind}`;
    return render(c, <ReportsPage page={pageContext(c)} labels={labelsOf(c, deps)} data={data} search={search} />);
  });
  return app;
}
