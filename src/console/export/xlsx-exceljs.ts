// Node-only Excel writer (exceljs). Imported by src/runtime.ts only, never by the Worker entry; the
// package itself is loaded on the first export, so a server that never exports never pays for it.
import type { Table } from "./table.js";
import { sheetNames, type XlsxWriter } from "./xlsx.js";

type ExcelJs = typeof import("exceljs");
let lib: Promise<ExcelJs> | undefined;
const load = () => (lib ??= import("exceljs").then((m) => ((m as { default?: ExcelJs }).default ?? m) as ExcelJs));

export const exceljsWriter: XlsxWriter = async (tables: Table[]) => {
  const ExcelJS = await load();
  const wb = new ExcelJS.Workbook();
  wb.creator = "ChatDesk";
  const names = sheetNames(tables.map((t) => t.name));
  tables.forEach((t, i) => {
    const ws = wb.addWorksheet(names[i]!, { views: [{ state: "frozen", ySplit: 1 }] });
    ws.columns = t.columns.map((c, j) => ({ header: c.header, key: `c${j}`, width: c.width ?? Math.max(10, c.header.length * 2 + 2), style: c.numFmt ? { numFmt: c.numFmt } : {} }));
    ws.getRow(1).font = { bold: true };
    // Text stays text: exceljs writes strings as shared strings, which Excel never evaluates.
    for (const r of t.rows) ws.addRow(r.map((v) => (v === null ? null : v)));
  });
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer) as Uint8Array<ArrayBuffer>;
};
