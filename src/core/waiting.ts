// Waiting on the customer or a third party (待客户反馈 / 待第三方): the ticket's clocks stand still.
// The interval list lives with the ticket as JSON; these pure helpers read and extend it.
import { ChatDeskError } from "./errors.js";
import type { Pause } from "./sla.js";

export const WAITING_ON = ["customer", "third_party"] as const;
export type WaitingOn = (typeof WAITING_ON)[number];

export const WAITING_LABELS: Record<WaitingOn, { zh: string; en: string }> = {
  customer: { zh: "待客户反馈", en: "Waiting on the customer" },
  third_party: { zh: "待第三方", en: "Waiting on a third party" },
};

/** One finished waiting stretch as stored in Ticket.pauses. */
export interface PauseRecord {
  from: string;
  to: string;
  on: WaitingOn;
  reason?: string;
}

/** The ticket columns the waiting rules read. */
export interface WaitingState {
  pauses: string;
  waitingSince: Date | null;
  waitingOn?: string | null;
  waitingReason?: string | null;
}

const isRecord = (x: unknown): x is PauseRecord =>
  !!x && typeof x === "object" && typeof (x as PauseRecord).from === "string" && typeof (x as PauseRecord).to === "string";

/** The finished stretches; anything unreadable is left out rather than stopping the SLA maths. */
export function pauseRecords(json: string): PauseRecord[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter(isRecord) : [];
  } catch {
    return [];
  }
}

/** Finished stretches as pauses for the SLA maths (the open one applies when it ends). */
export const closedPauses = (t: Pick<WaitingState, "pauses">): Pause[] =>
  pauseRecords(t.pauses).map((p) => ({ from: new Date(p.from), to: new Date(p.to) }));

/** Every stretch, the open one included (for "time waiting" figures up to now). */
export const allPauses = (t: Pick<WaitingState, "pauses" | "waitingSince">): Pause[] =>
  t.waitingSince ? [...closedPauses(t), { from: t.waitingSince, to: null }] : closedPauses(t);

export function parseWaitingOn(s: string | undefined): WaitingOn {
  const v = (s ?? "").trim().toLowerCase().replace(/-/g, "_");
  const alias: Record<string, WaitingOn> = { customer: "customer", 客户: "customer", third_party: "third_party", third: "third_party", vendor: "third_party", 第三方: "third_party" };
  const on = alias[v];
  if (!on) throw new ChatDeskError("INVALID_INPUT", `waiting on "customer" or "third_party", got "${s ?? ""}"`, { field: "on" });
  return on;
}

/** The list with the open stretch (since → until) appended, as stored. */
export function closeWaiting(t: WaitingState, until: Date): string {
  if (!t.waitingSince) return t.pauses;
  const rec: PauseRecord = { from: t.waitingSince.toISOString(), to: new Date(Math.max(until.getTime(), t.waitingSince.getTime())).toISOString(), on: (WAITING_ON as readonly string[]).includes(t.waitingOn ?? "") ? (t.waitingOn as WaitingOn) : "customer" };
  if (t.waitingReason) rec.reason = t.waitingReason;
  return JSON.stringify([...pauseRecords(t.pauses), rec]);
}
