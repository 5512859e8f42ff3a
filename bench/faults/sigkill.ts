// The server is SIGKILLed in the middle of a stream of events and started again on the same
// database. Every event acknowledged (HTTP 200) before the kill must become exactly one ticket with
// its card; events refused while it was down are re-pushed afterwards, as the platforms do.
import { acked, drive, type Sent } from "../lib/drive.js";
import { build, dingtalkRobot, feishuMessage, type Shot } from "../lib/events.js";
import type { Bench, BenchContext, BenchResult } from "../lib/result.js";
import { sleep } from "../lib/stats.js";
import { outcomeCells, secs, serverErrors, settle, startRig, statusNote } from "./common.js";

export const sigkill: Bench = {
  name: "sigkill",
  description: "SIGKILL mid-load, restart, every acknowledged event becomes exactly one ticket",
  async run(ctx: BenchContext): Promise<BenchResult> {
    // Faster than the server processes (~30/s here): a backlog of acknowledged, unprocessed events exists at the kill.
    const o = ctx.quick ? { rate: 30, seconds: 5, killAt: 2.5 } : { rate: 40, seconds: 8, killAt: 4 };
    const rig = await startRig(ctx.workDir, "sigkill");
    try {
      const shots: Shot[] = await build(Math.round(o.rate * o.seconds), (i) => (i % 2 ? dingtalkRobot(i, rig.fakes.dingtalk) : feishuMessage(i)));
      ctx.log(`${shots.length} events at ${o.rate}/s, SIGKILL at t=${o.killAt} s`);
      let killedAt = 0;
      let restartedAt = 0;
      let atKill: { stored: number; leased: number; pending: number; ackedNotStored: number } | undefined;
      const landed: Sent[] = [];
      const killer = (async () => {
        await sleep(o.killAt * 1000);
        await rig.server.kill9();
        killedAt = Date.now();
        // What the dead process left: acknowledged events must all be stored (the ack came after the insert).
        const db = rig.db();
        const rows = db.all<{ id: string; status: string; lockedUntil: string | null }>(`SELECT id, status, lockedUntil FROM "InboundEvent"`);
        db.close();
        const stored = new Set(rows.map((r) => r.id.replace(/^(feishu|dingtalk):msg:/, "")));
        const ackedSoFar = landed.filter((s) => acked(s) && s.ackAt! <= killedAt);
        atKill = {
          stored: rows.length,
          pending: rows.filter((r) => r.status === "pending").length,
          leased: rows.filter((r) => r.status === "pending" && r.lockedUntil).length,
          ackedNotStored: ackedSoFar.filter((s) => !stored.has(s.shot.messageId)).length,
        };
        await rig.restart();
        restartedAt = Date.now();
        ctx.log(`killed, restarted in ${restartedAt - killedAt} ms; at the kill ${JSON.stringify(atKill)}`);
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
        `at the kill: ${atKill?.leased ?? "?"} events mid-processing, ${atKill?.ackedNotStored ?? "?"} acked-but-not-stored`,
      ].join("; ");
      const findings: string[] = [];
      if (dupRows.length) {
        findings.push(
          `sigkill: ${dupRows.length} acknowledged event(s) became more than one ticket after the restart (${dupRows
            .slice(0, 3)
            .map((r) => `${r.messageId} → ${r.numbers}`)
            .join("; ")}). processInbound (src/app/inbound.ts) re-runs handleMessage for an event whose ticket was already inserted when the process died before finishInbound; submitFeedback has no idempotency key. Suggested fix: record the inbound event id on the ticket (e.g. a unique Ticket.sourceEventId, or a unique (platform, chatId, messageId) for message-created tickets) and have handleMessage look it up / treat the unique violation as "already created" and only re-announce.`,
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
            cells: outcomeCells(`SIGKILL at t=${o.killAt} s of ${o.seconds} s (${o.rate} events/s), restart, re-push unacked`, out, out.settledMs !== undefined ? `${secs(out.settledMs)} after restart` : "no", notes),
          },
        ],
        details: [
          `sigkill: ${ackedFirst} of ${shots.length} acknowledged before re-push; restart took ${restartedAt - killedAt} ms; at the kill ${JSON.stringify(atKill)}; end ${JSON.stringify(queues)}; server log errors ${serverErrors(rig)}`,
        ],
        findings,
        data: { outcome: out, atKill, dupRows, queues, restartMs: restartedAt - killedAt },
      };
    } finally {
      await rig.close();
    }
  },
};

function countFirst(sent: Sent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of sent) {
    const k = s.status !== undefined ? String(s.status) : (s.error ?? "no answer");
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
