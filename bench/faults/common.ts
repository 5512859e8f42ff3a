// Shared by the fault scenarios: a fresh server + fakes per scenario, and the accounting every
// scenario prints — sent / acknowledged / tickets / cards delivered / lost.
import path from "node:path";
import { acked, drive, type Sent } from "../lib/drive.js";
import { build, dingtalkRobot, feishuMessage, type Shot } from "../lib/events.js";
import { dbFileOf, dingtalkCards, feishuCards, serverEnv, startFakes, type Deliveries, type Fakes } from "../lib/platforms.js";
import { freePort, logErrors, SERVER_SCRIPT, spawnProc, type Proc } from "../lib/proc.js";
import { openRunDb, type RunDb } from "../lib/rundb.js";
import { int, waitFor } from "../lib/stats.js";

export interface Rig {
  dir: string;
  fakes: Fakes;
  server: Proc;
  port: number;
  env: Record<string, string>;
  db(): RunDb;
  /** Start the server again on the same port and database (after a kill). */
  restart(): Promise<Proc>;
  close(): Promise<void>;
}

export async function startRig(workDir: string, name: string, o: { nodeArgs?: string[]; warm?: boolean } = {}): Promise<Rig> {
  const dir = path.join(workDir, name);
  const fakes = await startFakes();
  const env = serverEnv(dir, fakes);
  const port = await freePort();
  const logFile = path.join(dir, "server.log");
  const rig: Rig = {
    dir,
    fakes,
    port,
    env,
    server: await spawnProc({ script: SERVER_SCRIPT, env, port, logFile, nodeArgs: o.nodeArgs }),
    db: () => openRunDb(dbFileOf(dir)),
    async restart() {
      rig.server = await spawnProc({ script: SERVER_SCRIPT, env, port, logFile, nodeArgs: o.nodeArgs });
      return rig.server;
    },
    async close() {
      await rig.server.stop();
      await fakes.close();
    },
  };
  if (o.warm !== false) await warmUp(rig);
  return rig;
}

/**
 * A cold server spends its first seconds loading modules, compiling Prisma's queries and fetching
 * platform tokens; the scenarios measure a warm one, as in production after the first minute.
 */
export async function warmUp(rig: Rig, n = 8): Promise<void> {
  const shots = [...(await build(n, (i) => feishuMessage(i))), ...(await build(n, (i) => dingtalkRobot(i, rig.fakes.dingtalk)))];
  const sent = await drive(() => rig.server.url, shots, { rate: Infinity, concurrency: 4, timeoutMs: 30_000 });
  const out = await settle(rig, shots, sent, { timeoutMs: 30_000, since: Date.now() });
  if (out.lost || out.acknowledged < shots.length) throw new Error(`warm-up failed: ${JSON.stringify(out)}`);
}

export interface Outcome {
  sent: number;
  acknowledged: number;
  /** Acknowledged events that became (at least one) ticket. */
  tickets: number;
  /** Acknowledged events whose reply card reached the platform. */
  cards: number;
  /** Acknowledged events without a ticket or without a delivered card at the end. */
  lost: number;
  /** Tickets beyond one per event (over every event sent). */
  dupTickets: number;
  /** Events whose reply card was delivered more than once. */
  dupCards: number;
  /** Time from `since` until the last acknowledged event's card arrived (none missing). */
  settledMs?: number;
  statuses: Record<string, number>;
}

export const statusKey = (s: Sent) => (s.status !== undefined ? String(s.status) : s.error ?? "no answer");

export function countStatuses(sent: Sent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of sent) out[statusKey(s)] = (out[statusKey(s)] ?? 0) + 1;
  return out;
}

function deliveriesOf(fakes: Fakes): Record<Shot["platform"], Deliveries> {
  return { feishu: feishuCards(fakes.feishu), dingtalk: dingtalkCards(fakes.dingtalk) };
}

/** Wait until every acknowledged event has a ticket and a delivered card, or the deadline. */
export async function settle(rig: Rig, shots: Shot[], sent: Sent[], o: { timeoutMs: number; since: number }): Promise<Outcome> {
  const ackedIds = new Set(sent.filter(acked).map((s) => s.shot.messageId));
  const ackedShots = shots.filter((s) => ackedIds.has(s.messageId));
  const db = rig.db();
  try {
    await waitFor(() => {
      const tickets = db.ticketsByMessage();
      const d = deliveriesOf(rig.fakes);
      return ackedShots.every((s) => tickets.has(s.messageId) && d[s.platform].first.has(s.cardKey));
    }, o.timeoutMs, 250);
  } finally {
    db.close();
  }
  return count(rig, shots, sent, o.since);
}

/**
 * Count now. `shots` are the distinct events sent (re-sends of one event share a messageId);
 * settledMs is when the last acknowledged event's card arrived, if none is missing.
 */
export function count(rig: Rig, shots: Shot[], sent: Sent[], since: number): Outcome {
  const ackedIds = new Set(sent.filter(acked).map((s) => s.shot.messageId));
  const ids = new Set(shots.map((s) => s.messageId));
  const db = rig.db();
  const tickets = db.ticketsByMessage();
  db.close();
  const d = deliveriesOf(rig.fakes);
  let acknowledged = 0;
  let withTicket = 0;
  let withCard = 0;
  let lost = 0;
  let dupCards = 0;
  let last = 0;
  for (const s of shots) {
    if (!ackedIds.has(s.messageId)) continue;
    acknowledged++;
    const t = tickets.has(s.messageId);
    const at = d[s.platform].first.get(s.cardKey);
    if (t) withTicket++;
    if (at !== undefined) {
      withCard++;
      last = Math.max(last, at);
    }
    if (!t || at === undefined) lost++;
    if ((d[s.platform].count.get(s.cardKey) ?? 0) > 1) dupCards++;
  }
  let dupTickets = 0;
  for (const id of ids) dupTickets += Math.max(0, (tickets.get(id) ?? 0) - 1);
  return {
    sent: shots.length,
    acknowledged,
    tickets: withTicket,
    cards: withCard,
    lost,
    dupTickets,
    dupCards,
    settledMs: lost === 0 && acknowledged > 0 ? Math.max(0, last - since) : undefined,
    statuses: countStatuses(sent.filter((x) => ids.has(x.shot.messageId))),
  };
}

export const secs = (msv: number | undefined) => (msv === undefined ? "not within deadline" : `${(msv / 1000).toFixed(1)} s`);

export function outcomeCells(name: string, o: Outcome, recovered: string, notes: string): string[] {
  return [name, int(o.sent), int(o.acknowledged), int(o.tickets), int(o.cards), int(o.lost), int(o.dupTickets), int(o.dupCards), recovered, notes];
}

export const statusNote = (st: Record<string, number>) =>
  Object.entries(st)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${v}×${/^\d+$/.test(k) ? k : ` ${k}`}`)
    .join(", ");

export function serverErrors(rig: Rig): number {
  return logErrors(rig.server.logFile).length;
}
