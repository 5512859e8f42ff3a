// The platform APIs fail for a few seconds in the middle of a steady stream of events: HTTP 500,
// HTTP 429 with Retry-After, and hanging past the client timeout. Webhooks must still be
// acknowledged, and every reply card must arrive once the platform is back (outbox retries).
import { drive, type Sent } from "../lib/drive.js";
import { build, dingtalkRobot, feishuMessage, type Shot } from "../lib/events.js";
import type { Bench, BenchContext, BenchResult, Row } from "../lib/result.js";
import type { Fault as FeishuFault } from "../../test/fakes/feishu-server.js";
import type { Fault as DingTalkFault } from "../../test/fakes/dingtalk-server.js";
import { count, outcomeCells, secs, serverErrors, settle, startRig, statusNote, type Outcome } from "./common.js";

interface Scenario {
  name: string;
  label: string;
  feishu: FeishuFault;
  dingtalk: DingTalkFault;
}

const SCENARIOS: Scenario[] = [
  { name: "500", label: "API answers 500", feishu: { status: 500 }, dingtalk: { status: 500 } },
  {
    name: "429",
    label: "API answers 429 (Retry-After 1 s)",
    feishu: { status: 429, headers: { "retry-after": "1" } },
    dingtalk: { status: 429, body: { code: "Forbidden.AccessDenied.QpsLimitForApi", message: "too many requests" } },
  },
  // Longer than both clients' 10 s timeout: the request is abandoned, not answered.
  { name: "hang", label: "API hangs (12 s per call)", feishu: { hangMs: 12_000 }, dingtalk: { hangMs: 12_000 } },
];

async function runScenario(ctx: BenchContext, sc: Scenario, o: { rate: number; seconds: number; faultAt: number; faultMs: number }) {
  const rig = await startRig(ctx.workDir, `fault-${sc.name}`);
  try {
    const n = Math.round(o.rate * o.seconds);
    const shots: Shot[] = await build(n, (i) => (i % 2 ? dingtalkRobot(i, rig.fakes.dingtalk) : feishuMessage(i)));
    const callsBefore = { feishu: rig.fakes.feishu.calls.length, dingtalk: rig.fakes.dingtalk.calls.length };
    let faultEnd = 0;
    const timer = setTimeout(() => {
      rig.fakes.feishu.failFor(o.faultMs, sc.feishu);
      rig.fakes.dingtalk.failFor(o.faultMs, sc.dingtalk);
      faultEnd = Date.now() + o.faultMs;
    }, o.faultAt * 1000);
    const sent: Sent[] = await drive(() => rig.server.url, shots, { rate: o.rate, concurrency: 16 });
    clearTimeout(timer);
    const all = await settle(rig, shots, sent, { timeoutMs: 120_000, since: faultEnd });
    const failedCalls = {
      feishu: rig.fakes.feishu.calls.slice(callsBefore.feishu).filter((c) => c.status !== 200).length,
      dingtalk: rig.fakes.dingtalk.calls.slice(callsBefore.dingtalk).filter((c) => c.status !== 200).length,
    };
    const per = {
      feishu: count(rig, shots.filter((s) => s.platform === "feishu"), sent, faultEnd),
      dingtalk: count(rig, shots.filter((s) => s.platform === "dingtalk"), sent, faultEnd),
    };
    const db = rig.db();
    const queues = db.counts();
    db.close();
    return { all, per, failedCalls, queues, errors: serverErrors(rig) };
  } finally {
    await rig.close();
  }
}

export const platformFaults: Bench = {
  name: "platform-faults",
  description: "platform API 500 / 429 / hang during a steady stream of events",
  async run(ctx: BenchContext): Promise<BenchResult> {
    const o = ctx.quick ? { rate: 10, seconds: 6, faultAt: 1.5, faultMs: 3_000 } : { rate: 15, seconds: 7, faultAt: 2, faultMs: 3_000 };
    const rows: Row[] = [];
    const data: Record<string, unknown> = {};
    const details: string[] = [];
    const summary = { lost: 0, dup_tickets: 0 };
    for (const sc of SCENARIOS) {
      ctx.log(`${sc.label}: ${o.rate} events/s for ${o.seconds} s, fault for ${o.faultMs / 1000} s from t=${o.faultAt} s`);
      const r = await runScenario(ctx, sc, o);
      data[sc.name] = r;
      for (const platform of ["feishu", "dingtalk"] as const) {
        const out: Outcome = r.per[platform];
        summary.lost += out.lost;
        summary.dup_tickets += out.dupTickets;
        rows.push({
          kind: "faults",
          cells: outcomeCells(
            `${platform === "feishu" ? "Feishu" : "DingTalk"} ${sc.label} for ${o.faultMs / 1000} s`,
            out,
            out.settledMs !== undefined ? `${secs(out.settledMs)} after` : "no",
            `${r.failedCalls[platform]} failed API calls; webhooks ${statusNote(out.statuses)}`,
          ),
        });
      }
      details.push(`platform-faults ${sc.name}: outbox at the end ${JSON.stringify(r.queues)}; server log errors ${r.errors}`);
    }
    return { rows, details, data, summary };
  },
};
