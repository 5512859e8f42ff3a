// A plain table (title, header, rows) that both the CSV and the Excel export write, so the two
// formats can never disagree about what a list or report contains.
export type Cell = string | number | null;

export interface Column {
  header: string;
  /** Excel column width in characters. */
  width?: number;
  /** Excel number format for numeric cells, e.g. "0.0%". */
  numFmt?: string;
}

export interface Table {
  /** Sheet name in Excel, section title in a multi-table CSV. */
  name: string;
  columns: Column[];
  rows: Cell[][];
}
