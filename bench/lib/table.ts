// Markdown tables with aligned columns: readable in a terminal and pasteable into bench/README.md.

export interface Table {
  title: string;
  head: string[];
  rows: string[][];
  /** Lines printed under the table (what a column means, caveats of this run). */
  notes?: string[];
}

const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
const pad = (s: string, w: number, right: boolean) => (right ? " ".repeat(w - width(s)) + s : s + " ".repeat(w - width(s)));
const numeric = (s: string) => /^[-+]?[\d,.]+( ?(ms|s|MiB|%|×|\/s))?$|^—$/.test(s);

export function renderTable(t: Table): string {
  const cols = t.head.length;
  const w = t.head.map((h, i) => Math.max(width(h), ...t.rows.map((r) => width(r[i] ?? ""))));
  const right = t.head.map((_, i) => i > 0 && t.rows.length > 0 && t.rows.every((r) => numeric(r[i] ?? "")));
  const line = (cells: string[]) => `| ${Array.from({ length: cols }, (_, i) => pad(cells[i] ?? "", w[i]!, right[i]!)).join(" | ")} |`;
  const sep = `|${w.map((x, i) => (right[i] ? `${"-".repeat(x + 1)}:` : "-".repeat(x + 2))).join("|")}|`;
  const out = [`### ${t.title}`, "", line(t.head), sep, ...t.rows.map(line)];
  if (t.notes?.length) out.push("", ...t.notes.map((n) => `- ${n}`));
  return out.join("\n");
}
