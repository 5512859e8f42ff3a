// Downloads: the filtered ticket list and a period's report, as CSV (any runtime) or Excel (where an
// Excel writer is configured; both runtimes have one, a console built without answers 501).
import { Hono } from "hono";
import { namesOf } from "../../app/names.js";
import type { TicketRow } from "../../store/tickets.js";
import { eachTicket } from "../../store/console-query.js";
import { viewer } from "../auth.js";
import { labelsOf, type ConsoleContext, type ConsoleDeps, type ConsoleEnv } from "../context.js";
import { csvStream, tablesCsv } from "../export/csv.js";
import { reportTables } from "../export/report-tables.js";
import { ticketCells, ticketColumns } from "../export/ticket-table.js";
import type { Cell, Table } from "../export/table.js";
import { XLSX_TYPE } from "../export/xlsx.js";
import { parseListQuery, toFilter } from "../filters.js";
import { parsePeriod } from "../period.js";
import { loadReport, reportPeople } from "../report-data.js";
import { mayViewReports, maySeeContact, reportDepartments } from "../viewer.js";

/** Largest list export; beyond it the filter should be narrowed (stated in docs/console.md). */
export const MAX_EXPORT_ROWS = 50_000;

const CSV_TYPE = "text/csv; charset=utf-8";
/** Rows per name lookup (eachTicket reads 500 a page). */
const EXPORT_BATCH = 500;

const disposition = (name: string) => `attachment; filename="${name.replace(/[^\x20-\x7e]|"/g, "_")}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export function exportRoutes(deps: ConsoleDeps, forbidden: (c: ConsoleContext) => Promise<Response>): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const { ctx, settings } = deps;
  const stamp = () => ctx.calendar.localDate(ctx.now()).replace(/-/g, "");

  const noExcel = (c: ConsoleContext) =>
    c.json({ code: "UNSUPPORTED", message: "Excel export is not available on this runtime (the Cloudflare Worker); use the CSV export" }, 501);

  async function* listRows(c: ConsoleContext): AsyncGenerator<Cell[]> {
    const v = viewer(c);
    const tx = c.get("tx");
    const now = ctx.now();
    const q = parseListQuery((k) => c.req.query(k), ctx.config);
    // Rows go out in batches, each with the cached names of its handlers and reporters read in one query.
    const batch: TicketRow[] = [];
    const flush = async function* () {
      const L = labelsOf(c, deps, await namesOf(ctx, batch.flatMap((t) => [[t.handlerId, t.platform] as const, [t.reporterId, t.platform] as const])));
      for (const t of batch) yield ticketCells(t, L, tx, now, maySeeContact(ctx.config, v, t));
      batch.length = 0;
    };
    for await (const t of eachTicket(ctx.db, toFilter(q, ctx.calendar, v.person?.id), now, MAX_EXPORT_ROWS)) {
      batch.push(t as TicketRow);
      if (batch.length >= EXPORT_BATCH) yield* flush();
    }
    if (batch.length) yield* flush();
  }

  app.get("/tickets/export.csv", (c) => {
    const body = csvStream(
      ticketColumns(c.get("tx")).map((x) => x.header),
      listRows(c),
    );
    return c.body(body, 200, { "content-type": CSV_TYPE, "content-disposition": disposition(`chatdesk-tickets-${stamp()}.csv`) });
  });

  app.get("/tickets/export.xlsx", async (c) => {
    if (!settings.xlsx) return noExcel(c);
    const rows: Cell[][] = [];
    for await (const r of listRows(c)) rows.push(r);
    const table: Table = { name: c.get("tx").t.export.sheetTickets, columns: ticketColumns(c.get("tx")), rows };
    const bytes = await settings.xlsx([table]);
    return c.body(bytes, 200, { "content-type": XLSX_TYPE, "content-disposition": disposition(`chatdesk-tickets-${stamp()}.xlsx`) });
  });

  const report = async (c: ConsoleContext) => {
    const v = viewer(c);
    const now = ctx.now();
    const period = parsePeriod((k) => c.req.query(k), ctx.calendar, now);
    const data = await loadReport(ctx.db, period, now, reportDepartments(ctx.config, v), ctx.config.duplicates.threshold);
    return { period, tables: reportTables(data, labelsOf(c, deps, await namesOf(ctx, reportPeople(data))), c.get("tx")) };
  };

  app.get("/reports/export.csv", async (c) => {
    if (!mayViewReports(viewer(c))) return forbidden(c);
    const { period, tables } = await report(c);
    return c.body(tablesCsv(tables), 200, { "content-type": CSV_TYPE, "content-disposition": disposition(`chatdesk-report-${period.from}-${period.to}.csv`) });
  });

  app.get("/reports/export.xlsx", async (c) => {
    if (!mayViewReports(viewer(c))) return forbidden(c);
    if (!settings.xlsx) return noExcel(c);
    const { period, tables } = await report(c);
    const bytes = await settings.xlsx(tables);
    return c.body(bytes, 200, { "content-type": XLSX_TYPE, "content-disposition": disposition(`chatdesk-report-${period.from}-${period.to}.xlsx`) });
  });

  return app;
}
