// Display text for stored values in the viewer's language: statuses, priorities, config labels,
// people, and times in the workflow's time zone.
import { formatLocal } from "../../cards/format.js";
import type { WorkflowConfig } from "../config/schema.js";
import { categoryLabel, departmentLabel, personName } from "../app/views.js";
import type { Priority, Status } from "../core/types.js";
import type { Texts } from "./i18n.js";

export interface Labels {
  status(s: string): string;
  priority(p: string): string;
  category(c: string, sub?: string | null): string;
  department(d: string): string;
  /** A handler id: a configured person's name, else the stored fallback, else the raw id. */
  person(id: string | null | undefined, fallback?: string | null): string;
  channel(c: string | null | undefined): string;
  tier(t: string): string;
  time(d: Date | null | undefined): string;
  source(s: string): string;
  platform(p: string): string;
}

export function labelsFor(cfg: WorkflowConfig, tx: Texts): Labels {
  const { m, locale, t } = tx;
  const tz = cfg.calendar.timeZone;
  return {
    status: (s) => m.status[s as Status] ?? s,
    priority: (p) => m.priority[p as Priority] ?? p,
    category: (c, sub) => categoryLabel(cfg, c, sub, locale),
    department: (d) => departmentLabel(cfg, d, locale),
    person: (id, fallback) => (id ? (personName(cfg, id) ?? fallback ?? id) : m.unassigned),
    channel: (c) => (c ? ((m.channel as Record<string, string>)[c] ?? c) : ""),
    tier: (x) => (m.tier as Record<string, string>)[x] ?? x,
    time: (d) => (d ? formatLocal(d, tz, true) : ""),
    source: (s) => t.detail.via[s] ?? s,
    platform: (p) => t.detail.platforms[p] ?? p,
  };
}
