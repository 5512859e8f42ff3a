// Stored codes in words, in one locale: statuses, priorities, categories, departments, channels, tiers and
// people — and a timeline event's detail from its payload. Cards (views.ts), reminders, digests and the
// console all read codes through this one place, so no screen shows "in_progress" or an open_id.
import { messages, type Messages } from "../../cards/i18n/index.js";
import type { WorkflowConfig } from "../config/schema.js";
import type { Locale, Priority, Status } from "../core/types.js";
import { displayName, type NameBook, type NameHints } from "./people.js";

export interface CodeLabels {
  locale: Locale;
  status(s: string): string;
  priority(p: string): string;
  category(c: string, sub?: string | null): string;
  department(d: string): string;
  channel(c: string | null | undefined): string;
  tier(t: string): string;
  /** A person reference (see people.ts) as a name; `unassigned` for none. */
  person(id: string | null | undefined, hints?: NameHints): string;
}

export function categoryLabel(cfg: WorkflowConfig, category: string, sub?: string | null, locale: Locale = cfg.locale): string {
  const c = cfg.categories.find((x) => x.id === category);
  if (!c) return category;
  const name = locale === "en" ? (c.nameEn ?? c.name) : c.name;
  const s = sub ? c.subCategories.find((x) => x.id === sub) : undefined;
  return s ? `${name} / ${locale === "en" ? (s.nameEn ?? s.name) : s.name}` : name;
}

export function departmentLabel(cfg: WorkflowConfig, id: string, locale: Locale = cfg.locale): string {
  const d = cfg.departments.find((x) => x.id === id);
  return d ? (locale === "en" ? (d.nameEn ?? d.name) : d.name) : id;
}

export function codeLabels(cfg: WorkflowConfig, locale: Locale = cfg.locale, names?: NameBook): CodeLabels {
  const m = messages(locale);
  return {
    locale,
    status: (s) => m.status[s as Status] ?? s,
    priority: (p) => m.priority[p as Priority] ?? p,
    category: (c, sub) => categoryLabel(cfg, c, sub, locale),
    department: (d) => departmentLabel(cfg, d, locale),
    channel: (c) => (c ? ((m.channel as Record<string, string>)[c] ?? c) : ""),
    tier: (x) => (m.tier as Record<string, string>)[x] ?? x,
    person: (id, hints) => displayName(cfg, id, { names, ...hints }) ?? m.unassigned,
  };
}

const str = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);

/** The detail of one timeline event in words, from its payload: labels for codes, names for people, the text as written. */
export function eventDetail(e: { kind: string; payload: string }, labels: CodeLabels, platform?: string): string {
  let p: Record<string, unknown> = {};
  try {
    p = JSON.parse(e.payload) as Record<string, unknown>;
  } catch {
    /* an unreadable payload still shows the event itself */
  }
  const m: Messages = messages(labels.locale);
  const person = (v: unknown) => labels.person(str(v), { platform });
  const stars = (n: unknown) => (typeof n === "number" && n >= 1 && n <= 5 ? `${"★".repeat(n)}${"☆".repeat(5 - n)} ${(m.satisfaction as Record<number, string>)[n]}` : "");
  switch (e.kind) {
    case "priority":
      return `${labels.priority(str(p.from) ?? "")} → ${labels.priority(str(p.to) ?? "")}`;
    case "category":
      return `${labels.category(str(p.from) ?? "")} → ${labels.category(str(p.to) ?? "", str(p.subCategory))}`;
    case "reassigned":
      return `${p.fromHandler ? `${person(p.fromHandler)} → ` : "→ "}${person(p.to)}`;
    case "collaborate":
      return `+ ${person(p.to)}`;
    case "merged":
      return `→ ${str(p.into) ?? ""}`;
    case "rated":
    case "confirmed":
      return [stars(p.score), str(p.comment)].filter(Boolean).join(" · ");
    default:
      // Status changes say what happened in the event's own label (认领, 已解决…): no raw status code here.
      return str(p.text) ?? str(p.result) ?? str(p.reason) ?? str(p.plan) ?? "";
  }
}
