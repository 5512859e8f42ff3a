// Read an .xlsx back in tests: unzip (fflate) and take sheet names, cell values and the frozen header from
// the OOXML parts (ECMA-376), so the export is checked as Excel would read the file, not as we wrote it.
import { strFromU8, unzipSync } from "fflate";

export interface ReadSheet {
  name: string;
  /** Rows of cell values as text ("" for an empty cell), header first. */
  rows: string[][];
  /** Rows frozen at the top (the header stays visible while scrolling). */
  frozenRows: number;
  /** Number format codes used by the sheet's numeric cells. */
  numFmts: string[];
}

const unescape = (s: string) =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))).replace(/&amp;/g, "&");
const texts = (xml: string) => [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => unescape(m[1]!)).join("");
/** The attributes of one start tag, in any order. */
const attrsOf = (tag: string): Record<string, string> => Object.fromEntries([...tag.matchAll(/([\w:]+)="([^"]*)"/g)].map((m) => [m[1]!, unescape(m[2]!)]));
const tags = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}(\\s[^>]*)?/?>`, "g"))].map((m) => attrsOf(m[1] ?? ""));
const colIndex = (ref: string) => [...ref.replace(/\d+$/, "")].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;

export function readXlsx(bytes: ArrayBuffer | Uint8Array): ReadSheet[] {
  const files = unzipSync(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  const part = (name: string) => (files[name] ? strFromU8(files[name]!) : "");
  const shared = [...part("xl/sharedStrings.xml").matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => texts(m[1]!));
  const styles = part("xl/styles.xml");
  const fmtCodes = new Map(tags(styles, "numFmt").map((a) => [a.numFmtId!, a.formatCode!]));
  const xfs = tags(/<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? "", "xf").map((a) => a.numFmtId ?? "0");
  const rels = new Map(tags(part("xl/_rels/workbook.xml.rels"), "Relationship").map((a) => [a.Id!, a.Target!]));
  return tags(part("xl/workbook.xml"), "sheet").map((sheet) => {
    const target = rels.get(sheet["r:id"]!)!.replace(/^\/?(xl\/)?/, "");
    const xml = part(`xl/${target}`);
    const numFmts = new Set<string>();
    const rows = [...xml.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)].map((r) => {
      const row: string[] = [];
      for (const c of r[1]!.matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const attrs = c[2]!;
        const body = c[3] ?? "";
        const type = /t="(\w+)"/.exec(attrs)?.[1];
        const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
        const style = /s="(\d+)"/.exec(attrs)?.[1];
        const fmt = style ? fmtCodes.get(xfs[Number(style)] ?? "") : undefined;
        if (fmt && type === undefined) numFmts.add(fmt);
        row[colIndex(c[1]!)] = type === "s" ? shared[Number(v)]! : type === "inlineStr" ? texts(body) : v === undefined ? "" : unescape(v);
      }
      return Array.from(row, (x) => x ?? "");
    });
    const pane = tags(xml, "pane").find((a) => a.state === "frozen");
    return { name: sheet.name!, rows, frozenRows: pane ? Number(pane.ySplit ?? 0) : 0, numFmts: [...numFmts] };
  });
}
