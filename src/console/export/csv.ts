// CSV that Excel opens correctly: UTF-8 with a byte-order mark (so Chinese is not garbled), CRLF
// lines, RFC 4180 quoting, and text cells that could start a formula defused with a leading quote.
import type { Cell, Table } from "./table.js";

export const BOM = "\uFEFF";

/** = + - @ (and tab / CR, which some spreadsheet apps strip) start a formula in Excel and LibreOffice. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(v: Cell): string {
  if (v === null) return "";
  // Numbers we computed are written as numbers; only text can carry an injected formula.
  let s = typeof v === "number" ? (Number.isFinite(v) ? String(v) : "") : v;
  if (typeof v === "string" && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: Cell[]): string => `${cells.map(csvCell).join(",")}\r\n`;

/** One table: header line then rows. */
export function tableCsv(t: Table): string {
  return BOM + csvLine(t.columns.map((c) => c.header)) + t.rows.map(csvLine).join("");
}

/** Several tables in one file: each under its title, separated by an empty line. */
export function tablesCsv(tables: Table[]): string {
  return BOM + tables.map((t) => csvLine([t.name]) + csvLine(t.columns.map((c) => c.header)) + t.rows.map(csvLine).join("")).join("\r\n");
}

/** A list export streamed row by row, so a large export never sits in memory as one string. */
export function csvStream(header: string[], rows: AsyncIterable<Cell[]>): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  const it = rows[Symbol.asyncIterator]();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      if (!started) {
        started = true;
        ctrl.enqueue(enc.encode(BOM + csvLine(header)));
        return;
      }
      // Batch a few hundred lines per chunk: one enqueue per row is needlessly chatty.
      let chunk = "";
      for (let i = 0; i < 200; i++) {
        const r = await it.next();
        if (r.done) {
          if (chunk) ctrl.enqueue(enc.encode(chunk));
          ctrl.close();
          return;
        }
        chunk += csvLine(r.value);
      }
      ctrl.enqueue(enc.encode(chunk));
    },
    async cancel() {
      await it.return?.();
    },
  });
}
