// How much of one inbound message is read. A signed message can still be hostile or absurd (a Feishu
// post with 10,000 images is 530 KB, well under the body limit), so its parts are cut to these bounds
// before they are walked, stored or turned into a ticket — and the cut is recorded, so the ticket's
// timeline can say what was left out.

export const MESSAGE_LIMITS = {
  /** Rich-text elements read (Feishu `post` elements, DingTalk richText parts); Feishu caps a post at 30 KB. */
  elements: 1_000,
  /** @mentions read. */
  mentions: 100,
  /** Attachments kept (each may be downloaded later). */
  attachments: 50,
  /** Characters of text kept (the longest ticket description accepted). */
  text: 20_000,
} as const;

export type CutPart = keyof typeof MESSAGE_LIMITS;

/** One part that was cut: how many there were (when counted) and how many were kept. */
export interface Cut {
  part: CutPart;
  kept: number;
  total?: number;
}

const note = (cuts: Cut[], part: CutPart, kept: number, total?: number) => {
  if (!cuts.some((c) => c.part === part)) cuts.push({ part, kept, ...(total !== undefined ? { total } : {}) });
};

/** The first `MESSAGE_LIMITS[part]` items of a list (anything not an array is an empty list). */
export function capList<T>(list: unknown, part: "mentions" | "attachments", cuts: Cut[]): T[] {
  if (!Array.isArray(list)) return [];
  const max = MESSAGE_LIMITS[part];
  if (list.length <= max) return list as T[];
  note(cuts, part, max, list.length);
  return list.slice(0, max) as T[];
}

/** Text cut to the character bound. */
export function capText(text: string, cuts: Cut[]): string {
  if (text.length <= MESSAGE_LIMITS.text) return text;
  note(cuts, "text", MESSAGE_LIMITS.text, text.length);
  return text.slice(0, MESSAGE_LIMITS.text);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Shared budget while walking one message's rich text. */
interface Budget {
  elements: number;
  chars: number;
  seen: number;
  totalChars: number;
}

const budget = (): Budget => ({ elements: MESSAGE_LIMITS.elements, chars: MESSAGE_LIMITS.text, seen: 0, totalChars: 0 });

/** An element with its `text` (and a link's `href`) shortened to what is left of the character budget. */
function capElement<T>(el: T, b: Budget): T {
  if (!isObj(el)) return el;
  let out: Obj = el;
  for (const key of ["text", "href"] as const) {
    const v = el[key];
    if (typeof v !== "string") continue;
    b.totalChars += v.length;
    const kept = v.slice(0, b.chars);
    b.chars -= kept.length;
    if (kept !== v) out = { ...out, [key]: kept };
  }
  return out as T;
}

const capString = (s: string, b: Budget): string => capElement({ text: s }, b).text;

function finish(b: Budget, cuts: Cut[]): void {
  if (b.seen > MESSAGE_LIMITS.elements) note(cuts, "elements", MESSAGE_LIMITS.elements, b.seen);
  if (b.totalChars > MESSAGE_LIMITS.text) note(cuts, "text", MESSAGE_LIMITS.text, b.totalChars);
}

/** Paragraphs of elements (a Feishu post body), bounded in elements and characters. */
function capParagraphs(paragraphs: unknown[], b: Budget): unknown[] {
  const out: unknown[] = [];
  for (const para of paragraphs) {
    const items: unknown[] = Array.isArray(para) ? para : [];
    b.seen += Math.max(1, items.length); // an empty paragraph still costs a line
    if (b.elements <= 0) continue;
    const kept = items.slice(0, b.elements).map((el) => capElement(el, b));
    b.elements -= Math.max(1, kept.length);
    out.push(Array.isArray(para) ? kept : para);
  }
  return out;
}

/**
 * A Feishu message's decoded content, bounded: a `text` message's text, and a `post`'s paragraphs —
 * at the top level or per locale ({zh_cn: {title, content}}), with one budget for all of them.
 */
export function capFeishuContent(content: Obj, cuts: Cut[]): Obj {
  const b = budget();
  const capBody = (body: Obj): Obj => ({
    ...body,
    ...(typeof body.title === "string" ? { title: capString(body.title, b) } : {}),
    content: capParagraphs(body.content as unknown[], b),
  });
  let out: Obj = typeof content.text === "string" ? { ...content, text: capString(content.text, b) } : content;
  if (Array.isArray(content.content)) out = capBody(out);
  else for (const [k, v] of Object.entries(content)) if (isObj(v) && Array.isArray(v.content)) out = { ...out, [k]: capBody(v) };
  finish(b, cuts);
  return out;
}

/** A DingTalk robot message's content (object or JSON text): richText parts and their text bounded. */
export function capDingTalkContent(content: unknown, cuts: Cut[]): unknown {
  let c = content;
  if (typeof c === "string") {
    try {
      c = JSON.parse(c);
    } catch {
      return content;
    }
  }
  if (!isObj(c) || !Array.isArray(c.richText)) return c;
  const b = budget();
  b.seen = c.richText.length;
  const richText = c.richText.slice(0, MESSAGE_LIMITS.elements).map((p) => capElement(p, b));
  finish(b, cuts);
  return { ...c, richText };
}
