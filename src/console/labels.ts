// Display text for stored values in the viewer's language: statuses, priorities, config labels,
// people, and times in the workflow's time zone.
import { formatLocal } from "../../cards/format.js";
import type { WorkflowConfig } from "../config/schema.js";
import { codeLabels, eventDetail } from "../app/labels.js";
import type { NameBook } from "../app/people.js";
import type { Texts } from "./i18n.js";

export interface Labels {
  status(s: string): string;
  priority(p: string): string;
  category(c: string, sub?: string | null): string;
  department(d: string): string;
  /** A person reference (app/people.ts): the workflow file's name, the cached platform name, the stored fallback, the bare id. */
  person(id: string | null | undefined, fallback?: string | null, platform?: string): string;
  /** A timeline event's detail in words (app/labels.ts). */
  event(e: { kind: string; payload: string }, platform?: string): string;
  channel(c: string | null | undefined): string;
  tier(t: string): string;
  time(d: Date | null | undefined): string;
  source(s: string): string;
  platform(p: string): string;
}

/** `names`: the cached names of the people the page shows, read in one query by the route (app/names.ts namesOf). */
export function labelsFor(cfg: WorkflowConfig, tx: Texts, names?: NameBook): Labels {
  const { locale, t } = tx;
  const tz = cfg.calendar.timeZone;
  // The same labels and names as the cards (one place: app/labels.ts, app/people.ts).
  const codes = codeLabels(cfg, locale, names);
  return {
    status: codes.status,
    priority: codes.priority,
    category: codes.category,
    department: codes.department,
    person: (id, fallback, platform) => codes.person(id, { carried: fallback, platform }),
    event: (e, platform) => eventDetail(e, codes, platform),
    channel: codes.channel,
    tier: codes.tier,
    time: (d) => (d ? formatLocal(d, tz, true) : ""),
    source: (s) => t.detail.via[s] ?? s,
    platform: (p) => t.detail.platforms[p] ?? p,
  };
}
