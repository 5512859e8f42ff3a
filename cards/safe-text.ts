// Card markdown by construction. A card template writes markup only in the literal parts of an `md`
// template (or an i18n string passed to `mdFmt`); every interpolated string is kept apart as text, and each
// platform renderer escapes that text with its own function for its own element kind. A plain `string` in
// the card model is always text, never markup, so no user field (客户, 联系方式, title, notes…) can reach a card
// as a link, an @mention, a colour tag or a heading, whoever forgets what.

declare const MD_BRAND: unique symbol;

/** A piece of trusted markup (`m`) or of text to be shown literally (`t`). */
export type MdPart = { readonly m: string } | { readonly t: string };

/** Neutral card markdown (subset: **bold**, line breaks, links written by our templates). Build it with md`…`, mdText, mdFmt, mdJoin. */
export interface Md {
  readonly [MD_BRAND]: true;
  readonly parts: readonly MdPart[];
}

const make = (parts: MdPart[]): Md => ({ parts: parts.filter((p) => ("m" in p ? p.m : p.t) !== "") }) as unknown as Md;

export const isMd = (v: unknown): v is Md => typeof v === "object" && v !== null && Array.isArray((v as { parts?: unknown }).parts);

/** Text shown literally, whatever it contains. */
export const mdText = (s: string | number): Md => make([{ t: String(s) }]);

/** Markup written in code: the template's literal parts are markup, every `${value}` that is not Md is text. */
export function md(strings: TemplateStringsArray, ...values: (string | number | Md)[]): Md {
  const parts: MdPart[] = [];
  strings.forEach((s, i) => {
    parts.push({ m: s });
    if (i < values.length) {
      const v = values[i]!;
      if (isMd(v)) parts.push(...v.parts);
      else parts.push({ t: String(v) });
    }
  });
  return make(parts);
}

/** An i18n template ("{name} 认领了 {number}") as markup, its values as text (or Md). Unknown keys stay as written. */
export function mdFmt(template: string, values: Record<string, string | number | Md>): Md {
  const parts: MdPart[] = [];
  let last = 0;
  for (const hit of template.matchAll(/\{(\w+)\}/g)) {
    const v = values[hit[1]!];
    if (v === undefined) continue;
    parts.push({ m: template.slice(last, hit.index) });
    if (isMd(v)) parts.push(...v.parts);
    else parts.push({ t: String(v) });
    last = hit.index! + hit[0].length;
  }
  parts.push({ m: template.slice(last) });
  return make(parts);
}

/** Trusted markup from the i18n files (help texts, intros): no user text in it. */
export const mdMarkup = (s: string): Md => make([{ m: s }]);

export function mdJoin(items: readonly Md[], separator: string): Md {
  const parts: MdPart[] = [];
  items.forEach((it, i) => {
    if (i) parts.push({ m: separator });
    parts.push(...it.parts);
  });
  return make(parts);
}

export const mdIsEmpty = (v: Md): boolean => v.parts.length === 0;

/** Platform markdown: markup as written, text through the platform's escaping function for this element kind. */
export function renderMd(v: Md, escapeText: (s: string) => string): string {
  return v.parts.map((p) => ("m" in p ? p.m : escapeText(p.t))).join("");
}

/** What a person reads, markup dropped: for summaries, titles and the playground's plain views. */
export const mdPlain = (v: Md): string =>
  v.parts.map((p) => ("m" in p ? p.m.replace(/\*\*/g, "").replace(/^\[$/, "").replace(/^\]\([^)\s]*\)$/, "") : p.t)).join("");

/** A field value, a label or a markdown block's content: Md as it is, a string as text. */
export const asMd = (v: string | Md): Md => (isMd(v) ? v : mdText(v));

/** A link our code built (console URLs from PUBLIC_URL): its label is text; a URL that is not plain http(s) is shown as text. */
export function mdLink(label: string, url: string): Md {
  if (!/^https?:\/\/[^\s()<>]+$/.test(url)) return mdText(label);
  return make([{ m: "[" }, { t: label }, { m: `](${url})` }]);
}
