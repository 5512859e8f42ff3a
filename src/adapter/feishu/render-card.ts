// Neutral Card (cards/model.ts) → Feishu card JSON 2.0 (reference section D).
import type { Action, Block, Button, Card, CardColor, FormInput } from "../../../cards/model.js";
import { asMd, renderMd, type Md } from "../../../cards/safe-text.js";
import type { CardActionReply } from "../../platform/sink.js";
import { feishuMarkdownText, feishuPlainText } from "./escape.js";

export type FeishuCardJson = Record<string, unknown>;
type El = Record<string, unknown>;

/** Limits from https://open.feishu.cn/document/feishu-cards/card-json-v2-structure: ≤30 KB per card, ≤200 components. Keep a margin under both. */
export const CARD_MAX_BYTES = 30 * 1024;
export const CARD_MAX_ELEMENTS = 200;
const BYTE_BUDGET = 28 * 1024;
const ELEMENT_BUDGET = 190;
const MAX_TEXT = 4000; // one markdown block; the whole card is capped separately
const MAX_LABEL = 100; // button text / placeholder / option text

const TAG_COLORS: Record<CardColor, string> = {
  blue: "blue", wathet: "wathet", turquoise: "turquoise", green: "green", yellow: "yellow", orange: "orange",
  red: "red", carmine: "carmine", violet: "violet", purple: "purple", indigo: "indigo", grey: "neutral",
};

/** Every string of the neutral card is text: plain_text as it is, markdown through feishuMarkdownText. */
const plain = (content: string): El => ({ tag: "plain_text", content: feishuPlainText(content) });
const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** Neutral markdown (or a string, which is text) as Feishu card markdown, at most MAX_TEXT characters. */
function markdown(v: string | Md): string {
  const s = renderMd(asMd(v), feishuMarkdownText);
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1).replace(/&#?\d*$/, "")}…` : s;
}

const utf8Length = (s: string): number => new TextEncoder().encode(s).length;

export function cardByteSize(card: FeishuCardJson): number {
  return utf8Length(JSON.stringify(card));
}

/** Components counted against the 200 limit: every object in an elements/columns array, recursively. */
export function countCardElements(card: FeishuCardJson): number {
  const walk = (list: unknown): number => {
    if (!Array.isArray(list)) return 0;
    let n = 0;
    for (const el of list) {
      if (typeof el !== "object" || el === null) continue;
      const o = el as El;
      n += 1 + walk(o.elements) + walk(o.columns);
    }
    return n;
  };
  const body = card.body as El | undefined;
  return walk(body?.elements);
}

function callback(value: Record<string, string | undefined>): El[] {
  return [{ type: "callback", value: { ...value } }];
}

function button(b: Button, extra: El = {}): El {
  const el: El = {
    tag: "button",
    text: plain(clip(b.label, MAX_LABEL)),
    type: b.style === "primary" ? "primary_filled" : b.style === "danger" ? "danger" : "default",
    ...extra,
  };
  el.behaviors = b.url ? [{ type: "open_url", default_url: b.url }] : callback(b.value);
  if (b.confirm) el.confirm = { title: plain(clip(b.confirm.title, MAX_LABEL)), text: plain(b.confirm.text) };
  return el;
}

function selectOptions(options: { label: string; value: string }[]): El[] {
  const seen = new Set<string>();
  return options
    .filter((o) => !seen.has(o.value) && seen.add(o.value))
    .map((o) => ({ text: plain(clip(o.label, MAX_LABEL)), value: o.value }));
}

function action(a: Action): El {
  switch (a.type) {
    case "button":
      return button(a);
    case "select": {
      const el: El = {
        tag: "select_static",
        placeholder: plain(clip(a.placeholder, MAX_LABEL)),
        options: selectOptions(a.options),
        behaviors: callback(a.value),
      };
      if (a.initial && a.options.some((o) => o.value === a.initial)) el.initial_option = a.initial;
      return el;
    }
    case "person_select":
      // No options: Feishu offers every member of the chat (reference: select_person).
      return { tag: "select_person", placeholder: plain(clip(a.placeholder, MAX_LABEL)), behaviors: callback(a.value) };
  }
}

/** Interactive components sit directly in columns in 2.0 (the 1.0 `action` module is gone). */
function actionRow(actions: Action[]): El {
  return {
    tag: "column_set",
    flex_mode: "flow",
    horizontal_spacing: "small",
    columns: actions.map((a) => ({ tag: "column", width: "auto", elements: [action(a)] })),
  };
}

function fieldCell(f: { label: string; value: string | Md } | undefined): El {
  return {
    tag: "column",
    width: "weighted",
    weight: 1,
    elements: f ? [{ tag: "markdown", content: `**${feishuMarkdownText(f.label)}**\n${markdown(f.value)}` }] : [],
  };
}

function formInput(input: FormInput): El[] {
  if (input.type === "text") {
    const el: El = {
      tag: "input",
      name: input.name,
      required: input.required ?? false,
      label: plain(input.label),
      label_position: "top",
      width: "fill",
      max_length: Math.min(Math.max(input.maxLength ?? 1000, 1), 1000),
    };
    if (input.placeholder) el.placeholder = plain(clip(input.placeholder, MAX_LABEL));
    if (input.multiline) Object.assign(el, { input_type: "multiline_text", rows: 3, auto_resize: true, max_rows: 8 });
    return [el];
  }
  // select_static has no label property, so the label goes in a markdown line above it.
  const el: El = {
    tag: "select_static",
    name: input.name,
    required: input.required ?? false,
    placeholder: plain(clip(input.label, MAX_LABEL)),
    options: selectOptions(input.options),
    width: "fill",
  };
  if (input.initial && input.options.some((o) => o.value === input.initial)) el.initial_option = input.initial;
  return [{ tag: "markdown", content: `**${feishuMarkdownText(input.label)}**` }, el];
}

function block(b: Block): El[] {
  switch (b.type) {
    case "markdown":
      return [{ tag: "markdown", content: markdown(b.text) }];
    case "divider":
      return [{ tag: "hr" }];
    case "note":
      // 2.0 has no `note` component: small grey markdown instead.
      return [{ tag: "markdown", content: `<font color='grey'>${markdown(b.text)}</font>`, text_size: "notation" }];
    case "fields": {
      const rows: El[] = [];
      for (let i = 0; i < b.fields.length; i += 2) {
        rows.push({ tag: "column_set", flex_mode: "none", horizontal_spacing: "medium", columns: [fieldCell(b.fields[i]), fieldCell(b.fields[i + 1])] });
      }
      return rows;
    }
    case "actions": {
      // An empty select_static is rejected by Feishu; leave it out.
      const usable = b.actions.filter((a) => a.type !== "select" || a.options.length > 0);
      return usable.length ? [actionRow(usable)] : [];
    }
    case "form": {
      const elements = b.inputs.flatMap(formInput);
      elements.push(button(b.submit, { name: `${b.name}_submit`, form_action_type: "submit" }));
      const out: El[] = [{ tag: "form", name: b.name, elements }];
      // A cancel button inside the form would be blocked by required fields, so it sits after it.
      if (b.cancel) out.push(actionRow([b.cancel]));
      return out;
    }
  }
}

function mentionLine(card: Card): El | undefined {
  const ids = (card.mentions ?? []).filter((m) => m.platform === "feishu" && /^[A-Za-z0-9_-]+$/.test(m.userId)).map((m) => m.userId);
  const unique = [...new Set(ids)];
  return unique.length ? { tag: "markdown", content: unique.map((id) => `<at id=${id}></at>`).join(" ") } : undefined;
}

export interface RenderOptions {
  /** Extra people to @mention (SendOptions.mentions). */
  mentions?: string[];
}

export function renderFeishuCard(card: Card, opts: RenderOptions = {}): FeishuCardJson {
  const withMentions: Card = opts.mentions?.length
    ? { ...card, mentions: [...(card.mentions ?? []), ...opts.mentions.map((userId) => ({ platform: "feishu" as const, userId }))] }
    : card;
  const header: El = { title: plain(card.header.title), template: card.header.color };
  if (card.header.subtitle) header.subtitle = plain(card.header.subtitle);
  if (card.header.tags?.length) {
    header.text_tag_list = card.header.tags.slice(0, 3).map((t) => ({ tag: "text_tag", text: plain(clip(t.text, 20)), color: TAG_COLORS[t.color] }));
  }
  const elements = card.blocks.flatMap(block);
  const mention = mentionLine(withMentions);
  if (mention) elements.unshift(mention);
  const json = (): FeishuCardJson => ({
    schema: "2.0",
    config: { update_multi: true, summary: { content: feishuPlainText(clip(card.summary, 100)) } },
    header,
    body: { elements: [...elements] },
  });
  return fitLimits(json, elements);
}

const TRUNCATED_NOTE: El = { tag: "markdown", content: "<font color='grey'>…</font>", text_size: "notation" };

/** Shrink until within the element and size limits: drop trailing read-only elements, then halve the longest texts. */
function fitLimits(build: () => FeishuCardJson, elements: El[]): FeishuCardJson {
  let card = build();
  let cut = -1;
  while (countCardElements(card) > ELEMENT_BUDGET) {
    // Actions and forms are what the card is for; read-only content goes first, from the end.
    const idx = findLastIndex(elements, (e) => !hasInteractive(e));
    if (idx < 0) break;
    elements.splice(idx, 1);
    cut = idx;
    card = build();
  }
  if (cut >= 0) {
    elements.splice(cut, 0, { ...TRUNCATED_NOTE });
    card = build();
  }
  for (let guard = 0; guard < 100 && cardByteSize(card) > BYTE_BUDGET; guard++) {
    const longest = longestMarkdown(elements);
    if (!longest || String(longest.content).length < 40) break;
    longest.content = halveMarkdown(String(longest.content));
    card = build();
  }
  return card;
}

/** Halve text without cutting a code point, an entity ("&#60;") or the grey-note <font> wrapper. */
function halveMarkdown(content: string): string {
  const note = /^(<font color='grey'>)([\s\S]*)(<\/font>)$/.exec(content);
  const [open, inner, close] = note ? [note[1], note[2]!, note[3]] : ["", content, ""];
  const chars = Array.from(inner);
  const cut = chars.slice(0, Math.floor(chars.length / 2)).join("").replace(/&#?\d*$/, "");
  return `${open}${cut}…${close}`;
}

function hasInteractive(e: El): boolean {
  const kids = [...((e.columns as El[] | undefined) ?? []), ...((e.elements as El[] | undefined) ?? [])];
  return ["button", "select_static", "select_person", "input", "form"].includes(String(e.tag)) || kids.some(hasInteractive);
}

function findLastIndex<T>(arr: T[], pred: (t: T) => boolean): number {
  for (let i = arr.length - 1; i >= 0; i--) if (pred(arr[i] as T)) return i;
  return -1;
}

function longestMarkdown(elements: El[]): El | undefined {
  let best: El | undefined;
  const visit = (e: El): void => {
    // The mention line is never shortened: a cut <at> tag would break the card.
    const text = String(e.content);
    if (e.tag === "markdown" && !text.startsWith("<at id=") && (!best || text.length > String(best.content).length)) best = e;
    for (const k of [...((e.columns as El[] | undefined) ?? []), ...((e.elements as El[] | undefined) ?? [])]) visit(k);
  };
  elements.forEach(visit);
  return best;
}

/** Feishu's synchronous callback response (https://open.feishu.cn/document/feishu-cards/card-callback-communication): toast + optional raw 2.0 card. */
export function renderCardActionResponse(reply: CardActionReply): Record<string, unknown> {
  const out: Record<string, unknown> = { toast: { type: reply.toast.kind, content: reply.toast.text } };
  if (reply.card) out.card = { type: "raw", data: renderFeishuCard(reply.card) };
  return out;
}

/** Legacy v1 callbacks expect the card's fields at top level next to the toast (https://open.feishu.cn/document/deprecated-guide/message-card/configuring-card-callbacks/card-callback-structure). */
export function renderLegacyCardActionResponse(reply: CardActionReply): Record<string, unknown> {
  const out: Record<string, unknown> = { toast: { type: reply.toast.kind, content: reply.toast.text } };
  return reply.card ? { ...renderFeishuCard(reply.card), ...out } : out;
}
