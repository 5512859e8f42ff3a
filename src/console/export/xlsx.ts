// The Excel export port; both runtimes pass xlsx-writer.ts. A console built without a writer answers
// Excel downloads with 501 and points to CSV.
import type { Table } from "./table.js";

export type XlsxWriter = (tables: Table[]) => Promise<Uint8Array<ArrayBuffer>>;

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ], unique in the workbook. */
export function sheetNames(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((raw) => {
    const base = (raw.replace(/[:\\/?*[\]]/g, " ").trim() || "Sheet").slice(0, 31);
    let name = base;
    for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base.slice(0, 31 - String(i).length - 1)} ${i}`;
    used.add(name.toLowerCase());
    return name;
  });
}
