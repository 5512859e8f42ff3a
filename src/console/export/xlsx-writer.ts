// The Excel writer, on both runtimes: write-excel-file's universal build is plain JavaScript on fflate
// (no Node built-ins), so the Worker exports Excel too. Strings are written as string cells, which Excel
// never evaluates, so formula-like user text stays text.
import writeXlsxFile, { type Cell as XlsxCell, type Sheet } from "write-excel-file/universal";
import type { Cell, Table } from "./table.js";
import { sheetNames, type XlsxWriter } from "./xlsx.js";

function cell(v: Cell, numFmt: string | undefined): XlsxCell {
  if (v === null) return null;
  if (typeof v === "number") return { type: Number, value: v, ...(numFmt ? { format: numFmt } : {}) };
  return { type: String, value: v };
}

function sheet(t: Table, name: string): Sheet<never> {
  return {
    sheet: name,
    stickyRowsCount: 1,
    columns: t.columns.map((c) => ({ width: c.width ?? Math.max(10, c.header.length * 2 + 2) })),
    data: [t.columns.map((c) => ({ type: String, value: c.header, fontWeight: "bold" as const })), ...t.rows.map((r) => r.map((v, j) => cell(v, t.columns[j]?.numFmt)))],
  };
}

export const xlsxWriter: XlsxWriter = async (tables) => {
  const names = sheetNames(tables.map((t) => t.name));
  const blob = await writeXlsxFile(tables.map((t, i) => sheet(t, names[i]!))).toBlob();
  return new Uint8Array(await blob.arrayBuffer());
};
