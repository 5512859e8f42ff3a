// The server is SIGKILLed in the middle of a stream of events and started again on the same
// database. Every event acknowledged (HTTP 200) before the kill must become exactly one ticket with
// its card; events refused while it was down are re-pushed afterwards, as the platforms do.
import { acked, drive, type Sent } from "../lib/drive.js";
import { build, dingtalkRobot, feishuMessage, type Shot } from "../lib/events.js";
import type { Bench, BenchContext, BenchResult } from "../lib/result.js";
import { sleep } from "../lib/stats.js";
import { outcomeCells, secs, serverErrors, settle, startRig, statusNote, type Rig } from "./common.js";

export const sigkill: Bench = {
  name: "sigkill",
  description: "SIGKILL mid-load, restart, every acknowledged event becomes exactly one ticket",
  async run(ctx: BenchContext): Promise<BenchResult> {
    // Faster than the server processes (~30/s here): a backlog of acknowledged, unprocessed events exists at the kill.
    const o = ctx.quick ? { rate: 30, seconds: 6, kills: [2.5] } : { rate: 40, seconds: 12, kills: [3, 9] };
    const rig = await startRig(ctx.workDir, "sigkill");
    try {
      const shots: Shot[] = await build(Math.round(o.rate * o.seconds), (i) => (i % 2 ? dingtalkRobot(i, rig.fakes.dingtalk) : feishuMessage(i)));
      ctx.log(`${shots.length} events at ${o.rate}/s, SIGKILL at t=${o.kills.join(", ")} s`);
      let restartedAt = 0;
      const atKill: { stored: number; leased: number; pending: number; ackedNotStored: number; restartMs: number }[] = [];
      const landed: Sent[] = [];
      let targeted: string | undefined;
      const t0 = Date.now();
      const killer = (async () => {
        for (const [k, at] of o.kills.entries()) {
          await sleep(Math.max(0, t0 + at * 1000 - Date.now()));
          // The last kill is aimed: at a moment when an event's ticket is committed but the event is not yet marked done.
          if (k === o.kills.length - 1) targeted = await waitForWindow(rig, 4_000);
          await rig.server.kill9();
          const killedAt = Date.now();
          // What the dead process left: acknowledged events must all be stored (the ack came after the insert).
          const db = rig.db();
          const rows = db.all<{ id: string; status: string; lockedUntil: string | null }>(`SELECT id, status, lockedUntil FROM "InboundEvent"`);
          db.close();
          const stored = new Set(rows.map((r) => r.id.replace(/^(feishu|dingtalk):msg:/, "")));
          const ackedSoFar = landed.filter((s) => acked(s) && s.ackAt! <= killedAt);
          await rig.restart();
          restartedAt = Date.now();
          atKill.push({
            stored: rows.length,
            pending: rows.filter((r) => r.status === "pending").length,
            leased: rows.filter((r) => r.status === "pending" && r.lockedUntil).length,
            ackedNotStored: ackedSoFar.filter((s) => !stored.has(s.shot.messageId)).length,
            restartMs: restartedAt - killedAt,
          });
          ctx.log(`killed at t=${at} s, restarted in ${restartedAt - killedAt} ms; ${JSON.stringify(atKill.at(-1))}`);
        }
      })();
      const firstSend = await drive(() => rig.server.url, shots, { rate: o.rate, concurrency: 16, timeoutMs: 5_000, onResult: (r) => landed.push(r) });
      await killer;

      // The platforms re-push what was not acknowledged (Feishu: after a delay, several times).
      const refused = firstSend.filter((s) => !acked(s));
      const retried = await drive(() => rig.server.url, refused.map((s) => s.shot), { rate: Infinity, concurrency: 8 });
      const all = [...firstSend, ...retried];
      ctx.log(`${refused.length} unacknowledged events re-pushed; waiting for recovery (inbound lease 60 s)`);
      const out = await settle(rig, shots, all, { timeoutMs: 120_000, since: restartedAt });
      const db = rig.db();
      const dupRows = db.all<{ messageId: string; n: number; numbers: string }>(
        `SELECT messageId, COUNT(*) AS n, group_concat(number) AS numbers FROM "Ticket" WHERE messageId IN (SELECT value FROM json_each(?)) GROUP BY messageId HAVING n > 1`,
        JSON.stringify(shots.map((s) => s.messageId)),
      );
      const queues = db.counts();
      db.close();
      const ackedFirst = firstSend.filter(acked).length;
      const notes = [
        `first pass ${statusNote(Object.fromEntries(Object.entries(countFirst(firstSend))))}`,
        `${refused.length} re-pushed → ${retried.filter(acked).length} acked`,
        `at the kills: ${atKill.map((k) => k.leased).join(" + ")} events mid-processing, ${atKill.reduce((n, k) => n + k.ackedNotStored, 0)} acked-but-not-stored`,
        targeted ? `last kill aimed at event ${targeted} (ticket committed, event not finished)` : "last kill: no ticket-committed-but-unfinished moment seen in 4 s",
      ].join("; ");
      const findings: string[] = [];
      if (dupRows.length) {
        findings.push(
          `sigkill: ${dupRows.length} acknowledged event(s) became more than one ticket after the restart (${dupRows
            .slice(0, 3)
            .map((r) => `${r.messageId} → ${r.numbers}`)
            .join("; ")})${targeted ? `; the aimed kill hit ${targeted}` : ""}. processInbound (src/app/inbound.ts) re-runs handleMessage for an event whose ticket was already inserted when the process died before finishInbound; submitFeedback has no idempotency key. Suggested fix: record the inbound event id on the ticket (e.g. a unique Ticket.sourceEventId, or a unique (platform, chatId, messageId) for message-created tickets) and have handleMessage look it up / treat the unique violation as "already created" and only re-announce.`,
        );
      }
      if (out.dupCards) {
        findings.push(
          `sigkill: ${out.dupCards} reply card(s) reached the platform twice: an outbox row whose API call had succeeded when the process died was not yet marked sent, so it went out again once its 60 s lease expired (at-least-once delivery, by design). Feishu dedupes message create/reply by their \`uuid\` body field for an hour: passing the outbox row's id or dedupe key there would make these repeats invisible to users; DingTalk cards are keyed by an outTrackId the sender draws afresh on every call (src/adapter/dingtalk/sender.ts createAndDeliver); deriving it from the outbox row (and taking param.cardAlreadyExist as success) would make a repeat a no-op.`,
        );
      }
      if (out.settledMs !== undefined && out.settledMs > 30_000) {
        findings.push(
          `sigkill: recovery after a crash took ${secs(out.settledMs)}: events leased by the killed process (InboundEvent.lockedUntil, 60 s lease in src/store/inbound.ts) wait out the lease before the recovery sweep takes them. Expected by design; a shorter lease or clearing leases on start (single-process SQLite) would shorten it.`,
        );
      }
      return {
        rows: [
          {
            kind: "faults",
            cells: outcomeCells(`SIGKILL ×${o.kills.length} (t=${o.kills.join(", ")} s of ${o.seconds} s at ${o.rate} events/s), restart, re-push unacked`, out, out.settledMs !== undefined ? `${secs(out.settledMs)} after restart` : "no", notes),
          },
        ],
        details: [
          `sigkill: ${ackedFirst} of ${shots.length} acknowledged before re-push; at each kill ${JSON.stringify(atKill)}; end ${JSON.stringify(queues)}; server log errors ${serverErrors(rig)}`,
        ],
        findings,
        data: { outcome: out, atKill, targeted, dupRows, queues },
        summary: { lost: out.lost, dup_tickets: out.dupTickets },
      };
    } finally {
      await rig.close();
    }
  },
};

/**
 * Poll the database (read-only, every few ms) until some event has its ticket committed while its
 * InboundEvent row is still pending: the window between insertTicket and finishInbound.
 */
async function waitForWindow(rig: Rig, timeoutMs: number): Promise<string | undefined> {
  const db = rig.db();
  try {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const row = db.all<{ id: string }>(
        `SELECT i.id FROM "InboundEvent" i JOIN "Ticket" t ON t.messageId = substr(i.id, instr(i.id, ':msg:') + 5)
         WHERE i.status = 'pending' AND i.lockedUntil IS NOT NULL LIMIT 1`,
      )[0];
      if (row) return row.id;
      await sleep(2);
    }
    return undefined;
  } finally {
    db.close();
  }
}

function countFirst(sent: Sent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of sent) {
    const k = s.status !== undefined ? String(s.status) : (s.error ?? "no answer");
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
