// What DingTalk accepts, written down as checks. Each returns a list of violations; an empty list means the
// payload is within the documented rules:
//   https://open.dingtalk.com/document/development/the-robot-sends-a-group-message (msgParam size),
//   https://open.dingtalk.com/document/development/robot-message-type (msgKey shapes, markdown subset),
//   https://open.dingtalk.com/document/development/instructions-for-filling-in-api-card-data (card variables as strings),
//   https://open.dingtalk.com/document/development/create-and-deliver-cards (cardParamMap sizes).
import { readFileSync } from "node:fs";

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

/** cardParamMap: Map<String,String>, key ≤ 100 B, value ≤ 1 KB; non-strings JSON-encoded (E.2, F.2). */
export function cardParamMapViolations(map: Record<string, unknown>, jsonKeys: string[] = [], boolKeys: string[] = []): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(map)) {
    if (bytes(k) > 100) out.push(`key ${k} longer than 100 bytes`);
    if (typeof v !== "string") {
      out.push(`${k} is ${typeof v}, not a string`);
      continue;
    }
    if (bytes(v) > 1024) out.push(`${k} is ${bytes(v)} bytes (> 1024)`);
    if (jsonKeys.includes(k) && v !== "") {
      try {
        JSON.parse(v);
      } catch {
        out.push(`${k} is not valid JSON`);
      }
    }
    if (boolKeys.includes(k) && v !== "true" && v !== "false") out.push(`${k} = ${JSON.stringify(v)} is not "true"/"false"`);
  }
  return out;
}

const MSG_KEYS = /^(sampleText|sampleMarkdown|sampleActionCard[2-6]?)$/;

/** Robot markdown subset (F.3): no tables, code fences, HTML, card-only rules; msgParam ≤ 15000 B (D.1). */
export function robotMessageViolations(m: { msgKey: string; msgParam: Record<string, unknown> }): string[] {
  const out: string[] = [];
  if (!MSG_KEYS.test(m.msgKey)) out.push(`unknown msgKey ${m.msgKey}`);
  for (const [k, v] of Object.entries(m.msgParam)) if (typeof v !== "string") out.push(`msgParam.${k} is not a string`);
  const size = bytes(JSON.stringify(m.msgParam));
  if (size > 15000) out.push(`msgParam is ${size} bytes (> 15000)`);
  const title = m.msgParam.title;
  // sampleText is {content} only (D.4); every other msgKey needs a title.
  if (m.msgKey !== "sampleText" && (typeof title !== "string" || title.trim() === "")) out.push("empty title");
  const text = typeof m.msgParam.text === "string" ? m.msgParam.text : typeof m.msgParam.content === "string" ? m.msgParam.content : "";
  if (!text.trim()) out.push("empty text");
  for (const [i, line] of text.split("\n").entries()) {
    if (/^\s*\|/.test(line)) out.push(`line ${i + 1}: table row`);
    if (/^\s*```/.test(line)) out.push(`line ${i + 1}: code fence`);
    if (/^\s*\*\*\*\s*$/.test(line)) out.push(`line ${i + 1}: card-only horizontal rule`);
    if (/^#{7,}/.test(line)) out.push(`line ${i + 1}: heading deeper than ######`);
    // A backslash-escaped "\<" is shown as "<" (CommonMark escapes), not a tag.
    if (/(^|[^\\])<\/?(font|br|div|span|p|table|tr|td)\b/i.test(line)) out.push(`line ${i + 1}: HTML tag`);
  }
  if (m.msgKey === "sampleActionCard" && (!m.msgParam.singleTitle || !m.msgParam.singleURL)) out.push("sampleActionCard needs singleTitle + singleURL");
  const n = /^sampleActionCard([2-5])$/.exec(m.msgKey)?.[1];
  if (n) for (let i = 1; i <= Number(n); i++) if (!m.msgParam[`actionTitle${i}`] || !m.msgParam[`actionURL${i}`]) out.push(`${m.msgKey} needs actionTitle${i} + actionURL${i}`);
  return out;
}

/** Session-webhook body (A.4): msgtype with its matching object; at most 50 @ targets (A.5). */
export function webhookBodyViolations(b: Record<string, any>): string[] {
  const out: string[] = [];
  const type = b.msgtype;
  if (!["text", "markdown", "actionCard"].includes(type)) out.push(`unexpected msgtype ${type}`);
  else if (!b[type]) out.push(`msgtype ${type} without its ${type} object`);
  if (type === "markdown" && (!b.markdown?.title || !b.markdown?.text)) out.push("markdown needs title + text");
  if ((b.at?.atUserIds?.length ?? 0) > 50) out.push("more than 50 @ targets");
  return out;
}

/* ------------------------- the shipped template's build sheet ------------------------- */

interface LayoutNode {
  component: string;
  id?: string;
  bind?: Record<string, string>;
  visibleWhen?: string;
  localVariable?: string;
  /** 循环渲染 over this array variable. */
  loop?: string;
  onTap?: { type: string; actionId?: string; url?: string; params?: Record<string, string> };
  onChange?: { type: string; actionId?: string; params?: Record<string, string> };
  children?: LayoutNode[];
}

const sheet = JSON.parse(readFileSync(new URL("../../cards/dingtalk/ticket-template.json", import.meta.url), "utf8")) as {
  variables: { name: string; type: string }[];
  layout: LayoutNode[];
};
const declared = new Set(sheet.variables.map((v) => v.name));
const IDENT = /^[A-Za-z][A-Za-z0-9]*$/;
const walk = (nodes: LayoutNode[], f: (n: LayoutNode, parents: LayoutNode[]) => void, parents: LayoutNode[] = []): void =>
  nodes.forEach((n) => {
    f(n, parents);
    walk(n.children ?? [], f, [...parents, n]);
  });

/** One clause of the sheet's visibleWhen language (conventions.visibility). */
const CLAUSE = [
  { re: /^([A-Za-z]\w*)$/, test: (d: Record<string, string>, [a]: string[]) => d[a!] === "true" },
  { re: /^([A-Za-z]\w*) != ''$/, test: (d: Record<string, string>, [a]: string[]) => (d[a!] ?? "") !== "" },
  { re: /^([A-Za-z]\w*) == ([A-Za-z]\w*)$/, test: (d: Record<string, string>, [a, b]: string[]) => (d[a!] ?? "") === (d[b!] ?? "") },
];
const clauses = (expr: string) => expr.split("&&").map((c) => c.trim());
const parseClause = (c: string) => {
  for (const k of CLAUSE) {
    const m = k.re.exec(c);
    if (m) return { k, vars: m.slice(1) };
  }
  return undefined;
};

/** Evaluate a visibleWhen expression of the sheet against a card's data, as 条件显示 would. */
export function visibleWhen(expr: string | undefined, data: Record<string, string>): boolean {
  if (!expr) return true;
  return clauses(expr).every((c) => {
    const p = parseClause(c);
    if (!p) throw new Error(`visibleWhen clause not in the sheet's language: ${c}`);
    return p.k.test(data, p.vars);
  });
}

/** Variable names a layout node uses: bindings, 回传参数 bound to variables, link targets, conditions. */
function refsOf(n: LayoutNode): string[] {
  const vals = [...Object.values(n.bind ?? {}), ...Object.values(n.onTap?.params ?? {}), ...Object.values(n.onChange?.params ?? {}), n.onTap?.url ?? "", n.loop ?? ""];
  const conds = n.visibleWhen ? clauses(n.visibleWhen).flatMap((c) => parseClause(c)?.vars ?? []) : [];
  return [...vals.filter((v) => IDENT.test(v)), ...conds];
}

/** A form section of the sheet: its condition, submit value/map variables and input slots. */
export interface SheetForm {
  id: string;
  /** The submit's actionId. */
  actionId: string;
  visible: string;
  value: string;
  map: string;
  inputs: { param: string; visible: string }[];
}

export const SHEET_FORMS: SheetForm[] = sheet.layout
  .filter((n) => n.component === "Form section")
  .map((n) => {
    const submit = (n.children ?? []).find((c) => c.onTap?.params?.form);
    return {
      id: n.id ?? "",
      actionId: submit?.onTap?.actionId ?? "",
      visible: n.visibleWhen ?? "",
      value: submit?.onTap?.params?.value ?? "",
      map: submit?.onTap?.params?.form ?? "",
      inputs: (n.children ?? []).filter((c) => c.localVariable).map((c) => ({ param: c.localVariable!, visible: c.visibleWhen ?? "" })),
    };
  });

/** The visibleWhen of the component that shows `variable` as its text (e.g. the notice). */
export function conditionShowing(variable: string): string | undefined {
  return walkFind((n) => n.bind?.text === variable)?.visibleWhen;
}

/** The sheet is consistent: the layout uses every declared variable and only those; callbacks are well formed. */
export function templateSheetViolations(): string[] {
  const out: string[] = [];
  const used = new Set<string>();
  const actionIds = new Set<string>();
  walk(sheet.layout, (n) => {
    if (n.visibleWhen) for (const c of clauses(n.visibleWhen)) if (!parseClause(c)) out.push(`${n.id ?? n.component}: visibleWhen clause "${c}" is not in the sheet's language`);
    for (const r of refsOf(n)) {
      used.add(r);
      if (!declared.has(r)) out.push(`${n.id ?? n.component} uses undeclared variable ${r}`);
    }
    for (const cb of [n.onTap, n.onChange]) {
      if (cb?.type !== "回传请求") continue;
      if (!cb.actionId || actionIds.has(cb.actionId)) out.push(`${n.id ?? n.component}: missing or duplicate actionId ${cb.actionId}`);
      actionIds.add(cb.actionId ?? "");
      const value = cb.params?.value;
      if (!value || !/ActionValue/.test(sheet.variables.find((v) => v.name === value)?.type ?? "")) out.push(`${n.id ?? n.component}: 回传参数 value must be bound to an ActionValue variable`);
    }
  });
  for (const v of declared) if (!used.has(v)) out.push(`variable ${v} is declared but the layout never uses it`);
  for (const f of SHEET_FORMS) {
    const submit = walkFind((n) => n.onTap?.params?.form === f.map);
    if (!f.value || !f.map || !IDENT.test(f.visible)) out.push(`form ${f.id}: needs a submit with value + form and a single visibility variable`);
    for (const i of f.inputs) if (submit?.onTap?.params?.[i.param] !== `<local ${i.param}>`) out.push(`form ${f.id}: submit does not send input ${i.param}`);
  }
  return out;
}

function walkFind(pred: (n: LayoutNode) => boolean): LayoutNode | undefined {
  let found: LayoutNode | undefined;
  walk(sheet.layout, (n) => {
    if (!found && pred(n)) found = n;
  });
  return found;
}

const isActionValue = (s: string | undefined): boolean => {
  try {
    const v = JSON.parse(s ?? "") as { action?: unknown };
    return typeof v === "object" && v !== null && typeof v.action === "string" && v.action !== "";
  } catch {
    return false;
  }
};

/**
 * cardParamMap for the shipped template (cards/dingtalk/ticket-template.json): the map rules above,
 * every declared variable present, JSON variables parse, boolean variables are "true"/"false";
 * and what the layout would show makes sense: every visible callback component carries an
 * ActionValue, every visible button has a label, and each visible form's map names exactly its
 * visible input slots.
 */
export function ticketTemplateViolations(map: Record<string, unknown>): string[] {
  const json = sheet.variables.filter((v) => /JSON/.test(v.type)).map((v) => v.name);
  const bool = sheet.variables.filter((v) => v.type === "boolean").map((v) => v.name);
  const missing = sheet.variables.filter((v) => !(v.name in map)).map((v) => `template variable ${v.name} missing`);
  const out = [...missing, ...cardParamMapViolations(map, json, bool)];
  if (out.length) return out;
  const d = map as Record<string, string>;
  walk(sheet.layout, (n, parents) => {
    if (![...parents, n].every((x) => visibleWhen(x.visibleWhen, d))) return;
    const name = n.id ?? n.component;
    for (const cb of [n.onTap, n.onChange]) {
      const value = cb?.type === "回传请求" ? cb.params?.value : undefined;
      if (value && !isActionValue(d[value])) out.push(`${name} is shown but ${value} is not an ActionValue`);
    }
    if (n.component === "SingleButton" && n.bind?.text && !d[n.bind.text]) out.push(`${name} is shown without a label (${n.bind.text})`);
  });
  for (const f of SHEET_FORMS) {
    const shown = f.inputs.filter((i) => d[i.visible] === "true").map((i) => i.param);
    if (d[f.visible] !== "true") {
      if (shown.length) out.push(`form ${f.id} is hidden but shows inputs ${shown.join(", ")}`);
      continue;
    }
    let slots: string[] = [];
    try {
      slots = Object.keys(JSON.parse(d[f.map]!) as Record<string, string>);
    } catch {
      out.push(`form ${f.id}: ${f.map} is not a JSON object`);
    }
    if (slots.join() !== shown.join()) out.push(`form ${f.id}: ${f.map} names [${slots.join(", ")}] but the visible inputs are [${shown.join(", ")}]`);
  }
  return out;
}
