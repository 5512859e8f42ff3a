// Intake: pull the registration fields (反馈登记表) out of a staff message and classify the feedback.
// Pure functions over the workflow config; the customer's own words are never rewritten.
import type { Category, WorkflowRules } from "./workflow.js";
import { PRIORITIES, type CustomerChannel, type CustomerTier, type Priority } from "./types.js";

export interface ExtractedFields {
  customerName?: string;
  customerId?: string;
  customerContact?: string;
  customerTier?: CustomerTier;
  industry?: string;
  channel?: CustomerChannel;
  product?: string;
  productVersion?: string;
  scene?: string;
  impactScope?: string;
  /** 期望解决方案 */
  expectation?: string;
  /** YYYY-MM-DD when parseable, otherwise the text as given. */
  expectedDate?: string;
}

// What a field line can name; tier, channel, version and product get parsed, the rest is kept as text.
type FieldKey =
  | "customerName"
  | "customerId"
  | "customerContact"
  | "tier"
  | "industry"
  | "channel"
  | "product"
  | "version"
  | "scene"
  | "impactScope"
  | "expectation"
  | "expectedDate";

// Keys are compared after lower-casing and dropping spaces, "_" and "-" ("Customer ID" = "customer_id" = "customerid").
const KEY_ALIASES: Record<string, FieldKey> = {};
function alias(field: FieldKey, ...names: string[]): void {
  for (const n of names) KEY_ALIASES[normKey(n)] = field;
}
function normKey(k: string): string {
  return k.toLowerCase().replace(/[\s_\-]+/g, "");
}
alias("customerName", "客户", "客户名称", "客户名", "客户公司", "公司", "公司名称", "customer", "customer name", "client", "company");
alias("customerId", "客户ID", "客户编号", "客户编码", "客户id号", "customer id", "client id");
alias("customerContact", "联系方式", "联系电话", "电话", "手机", "手机号", "手机号码", "邮箱", "contact", "phone", "email", "tel", "mobile");
alias("tier", "等级", "客户等级", "级别", "客户级别", "客户类型", "tier", "level", "customer tier");
alias("industry", "行业", "所属行业", "客户行业", "industry");
alias("channel", "渠道", "反馈渠道", "来源渠道", "来源", "channel", "source");
alias("product", "产品", "涉及产品", "产品名称", "产品名", "product");
alias("version", "版本", "版本号", "产品版本", "version");
alias("scene", "场景", "发生场景", "出现场景", "使用场景", "问题场景", "scene", "scenario");
alias("impactScope", "影响范围", "影响", "impact", "scope", "impact scope");
alias("expectation", "期望方案", "期望解决方案", "客户期望", "解决方案期望", "expectation", "expected solution");
alias("expectedDate", "期望", "期望解决时间", "期望时间", "期望日期", "期望完成时间", "期望解决日期", "expected", "expected date", "due", "deadline");

const CHANNEL_WORDS: [CustomerChannel, string[]][] = [
  ["app_review", ["app评论", "app 评论", "应用商店", "应用评论", "应用市场", "app review", "app_review", "appstore", "app store"]],
  ["online", ["在线客服", "在线", "online", "live chat", "chat"]],
  ["phone", ["电话", "热线", "400", "phone", "call", "tel"]],
  ["email", ["邮件", "邮箱", "email", "e-mail", "mail"]],
  ["social", ["社交媒体", "社交", "微博", "微信", "抖音", "小红书", "social"]],
  ["visit", ["拜访", "上门", "现场", "visit"]],
  ["survey", ["问卷", "调研", "调查", "survey"]],
  ["other", ["其他", "其它", "other"]],
];

function channelOf(value: string): CustomerChannel {
  const v = value.toLowerCase();
  for (const [ch, words] of CHANNEL_WORDS) if (words.some((w) => v.includes(w))) return ch;
  return "other"; // the line names a channel we don't know: still a channel, just not one of ours
}

function tierOf(value: string): CustomerTier | undefined {
  const v = value.toLowerCase();
  if (/战略|strategic/.test(v)) return "strategic";
  if (/vip|重要|重点|大客户|\bka\b/.test(v)) return "vip";
  if (/普通|一般|标准|normal|standard|regular/.test(v)) return "normal";
  return undefined;
}

// ---- dates ----------------------------------------------------------------------------------

function validYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}
const ymd = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
const dayNumber = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 86_400_000;

function todayIn(timeZone: string): string {
  // en-CA formats as YYYY-MM-DD; Intl is available in Node and in Workers.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

/**
 * 2024-05-30, 2024/5/30, 2024.5.30, 2024年5月30日, 20240530, and year-less 5月30日 / 5/30 → YYYY-MM-DD.
 * A year-less date takes today's year, or next year when it would be more than a month in the past
 * (customers name upcoming dates). Unparseable → undefined.
 */
export function parseLocalDate(value: string, today: string): string | undefined {
  const v = value.trim();
  let m = /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)/.exec(v) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return validYmd(y, mo, d) ? ymd(y, mo, d) : undefined;
  }
  m = /(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?/.exec(v) ?? /^(\d{1,2})[/-](\d{1,2})$/.exec(v);
  if (!m) return undefined;
  const [mo, d] = [Number(m[1]), Number(m[2])];
  const t = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!t) return undefined;
  const [ty, tm, td] = [Number(t[1]), Number(t[2]), Number(t[3])];
  let y = ty;
  if (validYmd(y, mo, d) && dayNumber(y, mo, d) < dayNumber(ty, tm, td) - 31) y += 1;
  if (!validYmd(y, mo, d)) return undefined;
  return ymd(y, mo, d);
}

// ---- field lines ----------------------------------------------------------------------------

// "客户：华为" / "- 【产品】: X" / "Customer ID: CUS1" at the start of a line.
const FIELD_LINE = /^\s*(?:[-*•·>]\s*)?[【[]?\s*([\p{L}\p{N}][\p{L}\p{N} _\-]{0,19}?)\s*[】\]]?\s*[:：]\s*(.*)$/u;
// A further "key: value" on the same line, after a separator: "客户：华为，联系方式：138…".
const INLINE_KEY = /[\s,，;；|、]+([\p{L}\p{N}][\p{L}\p{N}_\-]{0,19})\s*[:：]/gu;
// A customer name is short; a sentence after "客户：" is the customer speaking, not a field.
const SENTENCE = /[，。！？!?；;]|\s{2,}/;
// A version at the end of a product value: "v3.2", "V 3.2.1", "3.2.1", optionally followed by 版/版本.
const TRAILING_VERSION = /^(.*?)[\s(（]*(?:版本\s*[:：]?\s*)?((?<![A-Za-z])[vV]\s?\d+(?:\.\d+)*(?:[-+.][0-9A-Za-z]+)*|(?<![A-Za-z\d.])\d+(?:\.\d+)+(?:[-+][0-9A-Za-z.]+)?)\s*(?:版本?)?[)）]?\s*$/;

function splitInline(value: string): { head: string; rest: { key: FieldKey; value: string }[] } {
  const cuts: { at: number; end: number; key: FieldKey }[] = [];
  for (const m of value.matchAll(INLINE_KEY)) {
    const key = KEY_ALIASES[normKey(m[1]!)];
    if (key) cuts.push({ at: m.index!, end: m.index! + m[0].length, key });
  }
  const head = (cuts.length ? value.slice(0, cuts[0]!.at) : value).trim();
  const rest = cuts.map((c, i) => ({ key: c.key, value: value.slice(c.end, cuts[i + 1]?.at ?? value.length).trim() }));
  return { head, rest };
}

const trimSep = (s: string) => s.replace(/^[\s,，;；|、]+|[\s,，;；|、]+$/g, "");

export interface ExtractOptions {
  /** Local date (YYYY-MM-DD) used to give year-less dates like 5月30日 a year. Defaults to today in timeZone. */
  today?: string;
  /** Defaults to Asia/Shanghai. */
  timeZone?: string;
}

/**
 * Separate the field lines staff add (客户: … / 联系方式: … / 产品: … / 期望: …) from the customer's words.
 * Field lines are removed; every other line is kept exactly as written (only blank lines at the
 * start and end are dropped). The title is the first non-empty line, at most 60 characters.
 */
export function extractFields(text: string, opts: ExtractOptions = {}): { description: string; title: string; fields: ExtractedFields } {
  const fields: ExtractedFields = {};
  let explicitVersion: string | undefined;
  let today: string | undefined = opts.today;
  const kept: string[] = [];

  const apply = (key: FieldKey, raw: string): boolean => {
    const value = trimSep(raw);
    if (!value) return true; // an empty template slot ("客户：") is still a field line
    switch (key) {
      case "customerName":
        if (SENTENCE.test(value) || Array.from(value).length > 40) return false;
        fields.customerName = value;
        return true;
      case "tier": {
        const t = tierOf(value);
        if (t) fields.customerTier = t;
        return true;
      }
      case "channel":
        fields.channel = channelOf(value);
        return true;
      case "version":
        explicitVersion = value;
        return true;
      case "product": {
        const m = TRAILING_VERSION.exec(value);
        const name = m ? trimSep(m[1] ?? "") : "";
        if (m && name) {
          fields.product = name;
          fields.productVersion = m[2]!.replace(/\s+/g, "");
        } else fields.product = value;
        return true;
      }
      case "expectedDate":
        today ??= todayIn(opts.timeZone ?? "Asia/Shanghai");
        fields.expectedDate = parseLocalDate(value, today) ?? value;
        return true;
      default:
        fields[key] = value;
        return true;
    }
  };

  for (const line of text.split(/\r?\n/)) {
    const m = FIELD_LINE.exec(line);
    const key = m ? KEY_ALIASES[normKey(m[1]!)] : undefined;
    if (!m || !key) {
      kept.push(line);
      continue;
    }
    const { head, rest } = splitInline(m[2] ?? "");
    // Decide on the leading field first: if it is not a field after all, the whole line is the customer's.
    const snapshot = { ...fields };
    const versionBefore = explicitVersion;
    if (!apply(key, head)) {
      Object.assign(fields, snapshot);
      explicitVersion = versionBefore;
      kept.push(line);
      continue;
    }
    for (const r of rest) apply(r.key, r.value);
  }
  if (explicitVersion) fields.productVersion = explicitVersion; // an explicit 版本 line beats a version split off 产品

  while (kept.length && !kept[0]!.trim()) kept.shift();
  while (kept.length && !kept[kept.length - 1]!.trim()) kept.pop();
  const description = kept.join("\n");
  return { description, title: titleOf(description), fields };
}

/** First non-empty line, hashtag markers (#紧急) left out, at most 60 characters ending in … when cut. */
export function titleOf(description: string, max = 60): string {
  for (const line of description.split(/\r?\n/)) {
    const clean = line.replace(/(^|\s)[#＃][^\s#＃]+/g, "$1").replace(/\s+/g, " ").trim();
    if (!clean) continue;
    const chars = Array.from(clean);
    return chars.length <= max ? clean : `${chars.slice(0, max - 1).join("")}…`;
  }
  return "";
}

// ---- markers --------------------------------------------------------------------------------

type MarkerConfig = Pick<WorkflowRules, "categories" | "priorityMarkers">;

/** Index of a marker in lower-cased text; an ASCII-ending marker must not run on into a word ("#urgent" ≠ "#urgently"). */
function markerIndex(lower: string, marker: string): number {
  const mk = marker.toLowerCase();
  if (!mk) return -1;
  const wordEnd = /[a-z0-9]$/.test(mk);
  for (let i = lower.indexOf(mk); i !== -1; i = lower.indexOf(mk, i + 1)) {
    if (!wordEnd || !/[a-z0-9]/.test(lower.charAt(i + mk.length))) return i;
  }
  return -1;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Remove configured category and priority markers (case-insensitive) and the spaces they leave behind. */
export function stripMarkers(text: string, cfg: MarkerConfig): string {
  const markers = [...cfg.categories.flatMap((c) => (c.marker ? [c.marker] : [])), ...Object.keys(cfg.priorityMarkers)]
    .filter(Boolean)
    .sort((a, b) => b.length - a.length);
  if (!markers.length) return text;
  const re = new RegExp(
    markers.map((m) => `[ \\t]*${escapeRe(m)}${/[A-Za-z0-9]$/.test(m) ? "(?![A-Za-z0-9])" : ""}`).join("|"),
    "gi",
  );
  return text
    .split(/\r?\n/)
    .map((line) => {
      const out = line.replace(re, "");
      return out === line ? line : out.replace(/^[ \t]+/, line.match(/^[ \t]*/)?.[0] ?? "");
    })
    .join("\n")
    .trim();
}

// ---- classification -------------------------------------------------------------------------

export interface Classification {
  category: string;
  subCategory?: string;
  priority: Priority;
  /** Why, in cfg.locale, for the ticket's timeline. */
  reasons: string[];
  tier: CustomerTier;
}

export interface CustomerHint {
  id?: string;
  name?: string;
  tier?: CustomerTier;
}

const PRIORITY_LABEL: Record<Priority, { zh: string; en: string }> = {
  urgent: { zh: "紧急", en: "urgent" },
  high: { zh: "高", en: "high" },
  medium: { zh: "中", en: "medium" },
  low: { zh: "低", en: "low" },
};
const TIER_LABEL: Record<CustomerTier, { zh: string; en: string }> = {
  normal: { zh: "普通", en: "normal" },
  vip: { zh: "VIP", en: "VIP" },
  strategic: { zh: "战略", en: "strategic" },
};
const TIER_RANK: Record<CustomerTier, number> = { normal: 0, vip: 1, strategic: 2 };

const hits = (lower: string, keywords: readonly string[]) => {
  const seen = new Set<string>();
  for (const k of keywords) {
    const kl = k.trim().toLowerCase();
    if (kl && lower.includes(kl)) seen.add(k);
  }
  return [...seen];
};

function bestSub(cat: Category, lower: string): { id: string; name: string; words: string[] } | undefined {
  let best: { id: string; name: string; words: string[] } | undefined;
  for (const s of cat.subCategories) {
    const words = hits(lower, s.keywords);
    if (words.length && (!best || words.length > best.words.length)) best = { id: s.id, name: s.name, words };
  }
  return best;
}

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, "");

/** The configured VIP/strategic customer this ticket is about: by id, by name, or named in the text. */
function configuredCustomer(cfg: WorkflowRules, id: string | undefined, name: string | undefined, lower: string) {
  const nid = id ? norm(id) : "";
  const nname = name ? norm(name) : "";
  if (nid || nname) {
    return cfg.customers.find((c) => {
      if (nid && c.id && norm(c.id) === nid) return true;
      const cn = norm(c.name);
      if (!nname || !cn) return false;
      // "华为" configured, "华为技术有限公司" given (or the reverse): the same customer.
      const [short, long] = cn.length <= nname.length ? [cn, nname] : [nname, cn];
      return short === long || (Array.from(short).length >= 2 && long.includes(short));
    });
  }
  // No customer given at all: a configured customer named in the text itself ("华为反馈系统报错…") counts.
  const flat = norm(lower);
  return cfg.customers.find((c) => (c.id && flat.includes(norm(c.id))) || (Array.from(norm(c.name)).length >= 2 && flat.includes(norm(c.name))));
}

/**
 * Category, sub-category and priority for a message (field lines allowed; they are read for the
 * customer and impact scope, and do not count as the customer's words).
 * - a category marker (#投诉) or a priority marker (#紧急) wins;
 * - otherwise the category with most distinct keyword hits (its own plus its sub-categories'),
 *   ties by config order, none → cfg.defaultCategory; the sub-category by its own keywords;
 * - priority: urgent > high > low keywords (description, scene, impact scope), none → cfg.defaultPriority;
 * - VIP and strategic customers go one level up, unless a marker set the priority.
 */
export function classify(text: string, cfg: WorkflowRules, customer?: CustomerHint): Classification {
  const zh = cfg.locale !== "en";
  const L = (r: { zh: string; en: string }) => (zh ? r.zh : r.en);
  const catName = (c: Category) => (zh ? c.name : (c.nameEn ?? c.name));
  const list = (ws: string[]) => ws.join(zh ? "、" : ", ");
  const reasons: string[] = [];

  const lowerAll = text.toLowerCase();
  const { description, fields } = extractFields(text, { today: "1970-01-01" }); // dates are irrelevant here
  const cleanDesc = stripMarkers(description, cfg);
  const catText = [cleanDesc, fields.scene ?? ""].join("\n").toLowerCase();
  const prioText = [cleanDesc, fields.scene ?? "", fields.impactScope ?? ""].join("\n").toLowerCase();

  // Category: earliest marker in the text wins over keywords.
  let category: Category | undefined;
  let markerAt = Infinity;
  for (const c of cfg.categories) {
    if (!c.marker) continue;
    const at = markerIndex(lowerAll, c.marker);
    if (at !== -1 && at < markerAt) {
      markerAt = at;
      category = c;
    }
  }
  if (category) {
    reasons.push(zh ? `标记 ${category.marker} → ${catName(category)}` : `marker ${category.marker} → ${catName(category)}`);
  } else {
    let bestWords: string[] = [];
    for (const c of cfg.categories) {
      const words = hits(catText, [...c.keywords, ...c.subCategories.flatMap((s) => s.keywords)]);
      if (words.length > bestWords.length) {
        category = c;
        bestWords = words;
      }
    }
    if (category) {
      reasons.push(zh ? `关键词 ${list(bestWords)} → ${catName(category)}` : `keywords ${list(bestWords)} → ${catName(category)}`);
    } else {
      category = cfg.categories.find((c) => c.id === cfg.defaultCategory) ?? cfg.categories[0]!;
      reasons.push(zh ? `未命中分类关键词 → 默认 ${catName(category)}` : `no category keyword → default ${catName(category)}`);
    }
  }

  const sub = bestSub(category, catText);
  if (sub) {
    const subName = zh ? sub.name : (category.subCategories.find((s) => s.id === sub.id)?.nameEn ?? sub.name);
    reasons.push(zh ? `二级分类 ${subName}（${list(sub.words)}）` : `sub-category ${subName} (${list(sub.words)})`);
  }

  // Priority: the most severe marker present wins and is final.
  let priority: Priority | undefined;
  let markedBy: string | undefined;
  for (const [marker, p] of Object.entries(cfg.priorityMarkers)) {
    if (markerIndex(lowerAll, marker) === -1) continue;
    if (!priority || PRIORITIES.indexOf(p) < PRIORITIES.indexOf(priority)) {
      priority = p;
      markedBy = marker;
    }
  }
  const explicit = priority !== undefined;
  if (priority) {
    reasons.push(zh ? `标记 ${markedBy} → 优先级${L(PRIORITY_LABEL[priority])}` : `marker ${markedBy} → priority ${L(PRIORITY_LABEL[priority])}`);
  } else {
    for (const level of ["urgent", "high", "low"] as const) {
      const words = hits(prioText, cfg.priorityKeywords[level]);
      if (words.length) {
        priority = level;
        reasons.push(zh ? `关键词 ${list(words)} → 优先级${L(PRIORITY_LABEL[level])}` : `keywords ${list(words)} → priority ${L(PRIORITY_LABEL[level])}`);
        break;
      }
    }
    if (!priority) {
      priority = cfg.defaultPriority;
      reasons.push(zh ? `未命中优先级关键词 → 默认${L(PRIORITY_LABEL[priority])}` : `no priority keyword → default ${L(PRIORITY_LABEL[priority])}`);
    }
  }

  // Customer value: the higher of the stated tier and the configured customer list.
  const stated = customer?.tier ?? fields.customerTier ?? "normal";
  const known = configuredCustomer(cfg, customer?.id ?? fields.customerId, customer?.name ?? fields.customerName, lowerAll);
  const tier: CustomerTier = known && TIER_RANK[known.tier] > TIER_RANK[stated] ? known.tier : stated;
  if (tier !== "normal") {
    const who = known?.name ?? customer?.name ?? fields.customerName;
    const label = `${L(TIER_LABEL[tier])}${zh ? "客户" : " customer"}${who ? ` ${who}` : ""}`;
    if (explicit) {
      reasons.push(zh ? `${label}：优先级已由标记指定，不再上调` : `${label}: priority set by marker, not raised`);
    } else if (priority === "urgent") {
      reasons.push(zh ? `${label}：已是最高优先级` : `${label}: already the highest priority`);
    } else {
      const up = PRIORITIES[PRIORITIES.indexOf(priority) - 1]!;
      reasons.push(
        zh
          ? `${label} → 优先级上调一级：${L(PRIORITY_LABEL[priority])} → ${L(PRIORITY_LABEL[up])}`
          : `${label} → priority one level up: ${L(PRIORITY_LABEL[priority])} → ${L(PRIORITY_LABEL[up])}`,
      );
      priority = up;
    }
  }

  return { category: category.id, ...(sub ? { subCategory: sub.id } : {}), priority, reasons, tier };
}
