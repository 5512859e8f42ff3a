// Neutral Card → DingTalk. Two outputs:
//  1. cardParamMap for the template we ship (cards/dingtalk/ticket-template.json): fixed slots whose
//     visibility is data-driven, because a DingTalk template cannot grow components at runtime;
//  2. a robot markdown / actionCard message for deployments without a template id. Robot messages
//     cannot call back (https://open.dingtalk.com/document/development/robot-message-type), so it lists the text commands that do what the buttons do.
import type { Action, ActionValue, Block, Button, Card, CardColor, FormInput, Select } from "../../../cards/model.js";
import { asMd, mdIsEmpty, mdPlain, renderMd, type Md } from "../../../cards/safe-text.js";
import type { CardActionReply } from "../../platform/sink.js";
import { byteLength } from "./api.js";
import { dingtalkMarkdownText, dingtalkTemplateText, dingtalkTitle } from "./escape.js";
import { encodeActionValue } from "./parse.js";

/* --------------------------------- limits --------------------------------- */

/** cardParamMap: key ≤ 100 B, value ≤ 1 KB (https://open.dingtalk.com/document/development/create-and-deliver-cards). */
export const CARD_VALUE_MAX_BYTES = 1024;
/** groupMessages/send msgParam ≤ 15000 bytes (https://open.dingtalk.com/document/development/the-robot-sends-a-group-message); kept with a margin. */
export const MSG_PARAM_MAX_BYTES = 14_000;
export const MAX_BUTTONS = 6;
export const MAX_INPUTS = 3;

/**
 * The template's form slots, in card order. Two, because a ticket in progress offers two forms
 * (提交进展 and 标记已解决) and one awaiting confirmation offers two (确认解决 and 重新打开). Slot 1 keeps its
 * original variable names; only slot 1 has a cancel button (no second form uses one).
 */
export const FORM_SLOTS = [
  { form: "form", input: (n: number) => `input${n}`, cancel: true },
  { form: "form2", input: (n: number) => `form2Input${n}`, cancel: false },
] as const;

export function truncateBytes(s: string, max: number): string {
  if (byteLength(s) <= max) return s;
  const chars = [...s];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (byteLength(chars.slice(0, mid).join("")) + 3 <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join("")}…`;
}

const truncateChars = (s: string, max: number) => ([...s].length <= max ? s : `${[...s].slice(0, max - 1).join("")}…`);

/** JSON array within the byte budget: shorten values first, then drop trailing items. */
function fitJsonArray(items: Record<string, string>[], max: number): string {
  for (const lim of [Infinity, 200, 100, 50, 24]) {
    const s = JSON.stringify(items.map((it) => Object.fromEntries(Object.entries(it).map(([k, v]) => [k, truncateChars(v, lim)]))));
    if (byteLength(s) <= max) return s;
  }
  const short = items.map((it) => Object.fromEntries(Object.entries(it).map(([k, v]) => [k, truncateChars(v, 24)])));
  while (short.length && byteLength(JSON.stringify(short)) > max) short.pop();
  return JSON.stringify(short);
}

/* ------------------------------ text commands ----------------------------- */

const ARG_HINT: Record<"zh" | "en", Record<string, string>> = {
  zh: {
    progress: "<进展>",
    plan: "<处理计划>",
    resolve: "<处理结果>",
    reject: "<原因>",
    reopen: "<原因>",
    block: "<原因>",
    wait: "<customer|third_party> <原因>",
    confirm: "<1-5>",
    rate: "<1-5>",
    merge: "<目标编号>",
    reassign: "@处理人",
  },
  en: {
    progress: "<progress>",
    plan: "<plan>",
    resolve: "<result>",
    reject: "<reason>",
    reopen: "<reason>",
    block: "<reason>",
    wait: "<customer|third_party> <reason>",
    confirm: "<1-5>",
    rate: "<1-5>",
    merge: "<ticket number>",
    reassign: "@handler",
  },
};
/** Action names whose command differs from the action (cards/i18n help text). */
const COMMAND_ALIAS: Record<string, string> = { new_form: "new" };

const cmd = (action: string, ticket: string | undefined, args: string[]) =>
  ["/" + (COMMAND_ALIAS[action] ?? action), ticket, ...args].filter(Boolean).join(" ");

const inputHint = (i: FormInput) => (i.type === "select" ? `<${i.options.map((o) => o.value).join("|")}>` : `<${i.label}>`);

/** The text command equivalent to a callback action, or undefined for link buttons; argument hints in the card's language. */
export function commandFor(a: Action, zh = true): string | undefined {
  if (a.type === "button" && a.url) return undefined;
  // A button that already names its argument (合并到 FB…) spells it out.
  if (a.value.into) return cmd(a.value.action, a.value.ticket, [a.value.into]);
  const hint =
    a.type === "select" ? `<${a.options.map((o) => o.label).join("|")}>` : ARG_HINT[zh ? "zh" : "en"][a.value.action] ?? (a.type === "person_select" ? "@…" : "");
  return cmd(a.value.action, a.value.ticket, hint ? [hint] : []);
}

export function formCommand(f: Extract<Block, { type: "form" }>): string {
  return cmd(f.submit.value.action, f.submit.value.ticket, f.inputs.map(inputHint));
}

const labelOf = (a: Action) => (a.type === "button" ? a.label : a.placeholder);

/* ----------------------------- template data ------------------------------ */

const HEX: Record<CardColor, string> = {
  blue: "#007FFF",
  wathet: "#3BB3FF",
  turquoise: "#00B8A9",
  green: "#00B853",
  yellow: "#FFC300",
  orange: "#FF8A00",
  red: "#FF5219",
  carmine: "#E0245E",
  violet: "#8A5CFF",
  purple: "#A24BFF",
  indigo: "#4B5CFF",
  grey: "#7E868E",
};
const BUTTON_COLOR: Record<NonNullable<Button["style"]>, string> = { primary: "blue", danger: "red", default: "gray" };

const slot = (prefix: string, n: number, names: string[]) => names.map((x) => `${prefix}${n}${x}`);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Every variable of cards/dingtalk/ticket-template.json, in its order. */
export const TEMPLATE_VARIABLES: readonly string[] = [
  "lastMessage",
  "headerTitle",
  "headerSubtitle",
  "headerColor",
  "headerTags",
  "content",
  "fields",
  "note",
  "commands",
  ...range(MAX_BUTTONS).flatMap((n) => slot("btn", n, ["Text", "Color", "Value", "Visible"])),
  "linkText",
  "linkUrl",
  "linkVisible",
  "selectVisible",
  "selectPlaceholder",
  "selectOptions",
  "selectIndex",
  "selectValue",
  ...FORM_SLOTS.flatMap((s) => [
    ...["Visible", "Title", "Map", "SubmitText", "SubmitColor", "Value", ...(s.cancel ? ["CancelVisible", "CancelText", "CancelValue"] : [])].map((x) => `${s.form}${x}`),
    ...range(MAX_INPUTS).flatMap((n) => ["Visible", "Label", "Placeholder"].map((x) => `${s.input(n)}${x}`)),
  ]),
  "cardVersion",
  "notice",
  "noticeKind",
  "noticeVersion",
];

/** Card markdown as DingTalk markdown: our markup as written, every text part through dingtalkMarkdownText. */
const markdown = (v: string | Md): string => renderMd(asMd(v), dingtalkMarkdownText);
/** A template slot shown as text (Text component, tag, JSON list item): markup dropped, text as written. */
const slotText = (v: string | Md): string => dingtalkTemplateText(typeof v === "string" ? v : mdPlain(v));

/** "@userId" only where DingTalk turns it into a mention (ids checked, nothing else in them); "@name" as text otherwise. */
function mentionLine(card: Card, useIds: boolean): string {
  return (card.mentions ?? [])
    .filter((m) => m.platform === "dingtalk" && (!useIds || /^[A-Za-z0-9_$.:-]+$/.test(m.userId)))
    .map((m) => (useIds ? `@${m.userId}` : `@${dingtalkMarkdownText(m.name ?? m.userId)}`))
    .join(" ");
}

/** cardParamMap for the shipped template: every variable present, every value a string ≤ 1 KB. */
export function renderTemplateData(card: Card): Record<string, string> {
  const d: Record<string, string> = Object.fromEntries(TEMPLATE_VARIABLES.map((k) => [k, ""]));
  const bool = (b: boolean) => (b ? "true" : "false");
  const content: string[] = [];
  const notes: string[] = [];
  const fields: { label: string; value: string }[] = [];
  const commands: string[] = [];
  const links: { label: string; url: string }[] = [];
  let buttons = 0;
  let select: Select | undefined;
  const forms: (FormBlock | undefined)[] = FORM_SLOTS.map(() => undefined);

  const addCallbackButton = (b: Button) => {
    const value = encodeActionValue(b.value);
    if (buttons >= MAX_BUTTONS || byteLength(value) > CARD_VALUE_MAX_BYTES) {
      const c = commandFor(b, isZh(card));
      if (c) commands.push(`${b.label}：${c}`);
      return;
    }
    buttons++;
    d[`btn${buttons}Text`] = dingtalkTemplateText(truncateChars(b.label, 20));
    d[`btn${buttons}Color`] = BUTTON_COLOR[b.style ?? "default"];
    d[`btn${buttons}Value`] = value;
  };

  for (const block of card.blocks) {
    switch (block.type) {
      case "markdown": {
        const text = mdIsEmpty(asMd(block.text)) ? mentionLine(card, false) : markdown(block.text); // an empty block marks where mentions go
        if (text) content.push(text);
        break;
      }
      case "fields":
        fields.push(...block.fields.map((f) => ({ label: slotText(f.label), value: slotText(f.value) })));
        break;
      case "divider":
        content.push("***");
        break;
      case "note":
        notes.push(slotText(block.text));
        break;
      case "actions":
        for (const a of block.actions) {
          if (a.type === "button") {
            if (a.url) links.push({ label: a.label, url: a.url });
            else addCallbackButton(a);
          } else if (a.type === "select" && !select) select = a;
          else commands.push(`${labelOf(a)}：${commandFor(a, isZh(card))}`);
        }
        break;
      case "form": {
        // First free slot that fits; a form that fits none is offered as its text command.
        const i = FORM_SLOTS.findIndex((s, i) => !forms[i] && block.inputs.length <= MAX_INPUTS && (s.cancel || !block.cancel));
        if (i >= 0) forms[i] = block;
        else commands.push(`${block.submit.label}：${formCommand(block)}`);
        break;
      }
    }
  }

  d.lastMessage = dingtalkTemplateText(truncateChars(card.summary, 60));
  d.headerTitle = truncateBytes(dingtalkTemplateText(card.header.title), CARD_VALUE_MAX_BYTES);
  d.headerSubtitle = truncateBytes(dingtalkTemplateText(card.header.subtitle ?? ""), CARD_VALUE_MAX_BYTES);
  d.headerColor = HEX[card.header.color];
  d.headerTags = fitJsonArray((card.header.tags ?? []).map((t) => ({ text: dingtalkTemplateText(t.text), color: HEX[t.color] })), CARD_VALUE_MAX_BYTES);
  d.content = truncateBytes(content.join("\n\n"), CARD_VALUE_MAX_BYTES);
  d.fields = fitJsonArray(fields, CARD_VALUE_MAX_BYTES);
  d.note = truncateBytes(notes.join("\n"), CARD_VALUE_MAX_BYTES);
  for (const n of range(MAX_BUTTONS)) d[`btn${n}Visible`] = bool(n <= buttons);

  const link = links[0];
  d.linkVisible = bool(!!link);
  if (link) {
    d.linkText = dingtalkTemplateText(truncateChars(link.label, 20));
    d.linkUrl = truncateBytes(link.url, CARD_VALUE_MAX_BYTES);
  }
  for (const l of links.slice(1)) d.content = truncateBytes(`${d.content}\n\n[${dingtalkMarkdownText(l.label)}](${l.url})`, CARD_VALUE_MAX_BYTES);

  d.selectVisible = bool(!!select);
  d.selectIndex = "-1";
  if (select) {
    const s = select;
    d.selectPlaceholder = dingtalkTemplateText(truncateChars(s.placeholder, 40));
    d.selectOptions = fitJsonArray(s.options.map((o) => ({ value: o.value, text: dingtalkTemplateText(o.label) })), CARD_VALUE_MAX_BYTES);
    d.selectIndex = String(s.options.findIndex((o) => o.value === s.initial));
    d.selectValue = encodeActionValue(s.value);
  }

  FORM_SLOTS.forEach((s, i) => fillFormSlot(d, s, forms[i]));
  d.commands = truncateBytes(dingtalkTemplateText(commands.join("\n")), CARD_VALUE_MAX_BYTES);

  // The ticket's version: a clicker's notice is stamped with it and hidden once the card moves on.
  d.cardVersion = truncateBytes(card.data?.version ?? "", 100);

  // Extra template-specific data the card template supplies, without overriding the layout slots.
  for (const [k, v] of Object.entries(card.data ?? {})) {
    if (!(k in d) && byteLength(k) <= 100) d[k] = truncateBytes(dingtalkTemplateText(v), CARD_VALUE_MAX_BYTES);
  }
  return d;
}

type FormBlock = Extract<Block, { type: "form" }>;

/**
 * One form slot: visibility, title, submit, and up to MAX_INPUTS text inputs. `…Map` tells the
 * server which input slot holds which field (parse.ts formOf); the submit sends it back as `form`.
 */
function fillFormSlot(d: Record<string, string>, s: (typeof FORM_SLOTS)[number], form: FormBlock | undefined): void {
  const f = s.form;
  d[`${f}Visible`] = form ? "true" : "false";
  if (s.cancel) d[`${f}CancelVisible`] = "false";
  for (const n of range(MAX_INPUTS)) d[`${s.input(n)}Visible`] = "false";
  if (!form) return;
  const map: Record<string, string> = {};
  form.inputs.forEach((input, i) => {
    const at = s.input(i + 1);
    map[at] = input.name;
    d[`${at}Visible`] = "true";
    d[`${at}Label`] = dingtalkTemplateText(truncateChars(`${input.label}${input.required ? " *" : ""}`, 40));
    // Selects become text inputs listing the accepted values: one input slot type keeps the template small.
    d[`${at}Placeholder`] = truncateChars(
      input.type === "select" ? input.options.map((o) => `${o.value} ${o.label}`.trim()).join(" / ") : input.placeholder ?? "",
      200,
    );
  });
  d[`${f}Title`] = truncateChars(form.submit.label, 40);
  d[`${f}Map`] = JSON.stringify(map);
  d[`${f}SubmitText`] = truncateChars(form.submit.label, 20);
  d[`${f}SubmitColor`] = BUTTON_COLOR[form.submit.style ?? "primary"];
  d[`${f}Value`] = encodeActionValue(form.submit.value);
  if (s.cancel && form.cancel) {
    d[`${f}CancelVisible`] = "true";
    d[`${f}CancelText`] = truncateChars(form.cancel.label, 20);
    d[`${f}CancelValue`] = encodeActionValue(form.cancel.value);
  }
}

/**
 * Card callback answer (https://open.dingtalk.com/document/development/event-callback-card): the new card for the clicker's view, and the toast as the
 * clicker's private `notice` (DingTalk has no toast; the template shows `notice` under the buttons).
 *
 * Private data outlives later public updates (a non-empty private value wins over the public one),
 * so the notice carries `noticeVersion`: the version of the card it was given with, or, without a
 * card, of the card that was clicked (`clicked.v`). The template shows the notice only while
 * noticeVersion == cardVersion, so it disappears from the clicker's view once the ticket changes.
 */
export function renderCallbackResponse(reply: CardActionReply | undefined, clicked?: ActionValue): Record<string, unknown> {
  const res: Record<string, unknown> = {
    cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
  };
  const data = reply?.card ? renderTemplateData(reply.card) : undefined;
  if (data) res.cardData = { cardParamMap: data };
  if (reply) {
    res.userPrivateData = {
      cardParamMap: {
        notice: truncateBytes(reply.toast.text, CARD_VALUE_MAX_BYTES),
        noticeKind: reply.toast.kind,
        noticeVersion: data ? data.cardVersion! : truncateBytes(clicked?.v ?? "", 100),
      },
    };
  }
  return res;
}

/* ---------------------------- robot message ------------------------------- */

export interface RobotMessage {
  /** OpenAPI form (groupMessages/send, oToMessages/batchSend). */
  msgKey: string;
  msgParam: Record<string, string>;
  /** sessionWebhook form (https://open.dingtalk.com/document/development/robot-reply-and-send-messages). */
  webhook: Record<string, unknown>;
}

/** The card's language; a card that does not say is guessed from its title (a customer's Chinese words in an English card would mislead this). */
const isZh = (card: Card) => (card.locale ? card.locale !== "en" : /[\u4e00-\u9fff]/.test(card.header.title + card.summary));

/** Robot markdown line breaks want two spaces before the newline (https://open.dingtalk.com/document/development/robot-message-type). */
const robotLines = (s: string): string => s.replace(/\n/g, "  \n");

/**
 * Robot message for a card: markdown (or actionCard when the card has link buttons), followed by
 * the commands a user can type instead of clicking. `viaWebhook` writes @userId mentions, which
 * only the session webhook turns into real @s (https://open.dingtalk.com/document/development/robot-message-type).
 */
export function renderRobotMessage(card: Card, opts: { viaWebhook?: boolean } = {}): RobotMessage {
  const zh = isZh(card);
  const head: string[] = [];
  const commands: string[] = [];
  const links: { label: string; url: string }[] = [];
  const mentions = mentionLine(card, !!opts.viaWebhook);
  let mentionsPlaced = false;

  head.push(`#### ${dingtalkMarkdownText(card.header.title)}`);
  const sub = [card.header.subtitle, ...(card.header.tags ?? []).map((t) => `【${t.text}】`)].filter(Boolean).join(" ");
  if (sub) head.push(dingtalkMarkdownText(sub));
  for (const block of card.blocks) {
    switch (block.type) {
      case "markdown":
        if (!mdIsEmpty(asMd(block.text))) head.push(robotLines(markdown(block.text)));
        else if (mentions && !mentionsPlaced) {
          head.push(mentions);
          mentionsPlaced = true;
        }
        break;
      case "fields":
        head.push(block.fields.map((f) => `- **${dingtalkMarkdownText(f.label)}**：${robotLines(markdown(f.value))}`).join("\n"));
        break;
      case "divider":
        break;
      case "note":
        head.push(markdown(block.text).split("\n").map((l) => `> ${l}`).join("  \n"));
        break;
      case "actions":
        for (const a of block.actions) {
          if (a.type === "button" && a.url) links.push({ label: a.label, url: a.url });
          else commands.push(`- ${dingtalkMarkdownText(`${labelOf(a)}：${commandFor(a, zh)}`)}`);
        }
        break;
      case "form":
        commands.push(`- ${dingtalkMarkdownText(`${block.submit.label}：${formCommand(block)}`)}`);
        break;
    }
  }
  if (mentions && !mentionsPlaced) head.push(mentions);

  const tail: string[] = [];
  if (commands.length) {
    tail.push(zh ? "**发送命令操作**（群里请先 @我）：" : "**Reply with a command** (in a group, @mention me first):");
    tail.push(commands.join("\n"));
  }
  const urlButtons = links.slice(0, 5);
  for (const l of links.slice(5)) tail.push(`[${dingtalkMarkdownText(l.label)}](${l.url})`);

  const title = dingtalkTitle(truncateChars(card.summary || card.header.title, 64));
  const build = (headText: string) => [headText, ...tail].join("\n\n");
  let text = build(head.join("\n\n"));
  const sizeOf = (t: string) => byteLength(JSON.stringify(paramFor(title, t, urlButtons)));
  if (sizeOf(text) > MSG_PARAM_MAX_BYTES) {
    const budget = MSG_PARAM_MAX_BYTES - sizeOf(build("")) - 64;
    text = build(truncateBytes(head.join("\n\n"), Math.max(budget, 200)));
  }

  const { msgKey, msgParam } = paramFor(title, text, urlButtons);
  const atUserIds = (card.mentions ?? []).filter((m) => m.platform === "dingtalk").map((m) => m.userId).slice(0, 50);
  const at = { atUserIds, isAtAll: false };
  const webhook =
    urlButtons.length === 0
      ? { msgtype: "markdown", markdown: { title, text }, at }
      : urlButtons.length === 1
        ? { msgtype: "actionCard", actionCard: { title, text, singleTitle: urlButtons[0]!.label, singleURL: urlButtons[0]!.url }, at }
        : { msgtype: "actionCard", actionCard: { title, text, btnOrientation: "0", btns: urlButtons.map((b) => ({ title: b.label, actionURL: b.url })) }, at };
  return { msgKey, msgParam, webhook };
}

/** sampleMarkdown, sampleActionCard (one link) or sampleActionCard2…5 (vertical links), https://open.dingtalk.com/document/development/robot-message-type. */
function paramFor(title: string, text: string, links: { label: string; url: string }[]): { msgKey: string; msgParam: Record<string, string> } {
  if (links.length === 0) return { msgKey: "sampleMarkdown", msgParam: { title, text } };
  if (links.length === 1) return { msgKey: "sampleActionCard", msgParam: { title, text, singleTitle: links[0]!.label, singleURL: links[0]!.url } };
  const msgParam: Record<string, string> = { title, text };
  links.forEach((l, i) => {
    msgParam[`actionTitle${i + 1}`] = l.label;
    msgParam[`actionURL${i + 1}`] = l.url;
  });
  return { msgKey: `sampleActionCard${links.length}`, msgParam };
}
