// `npm run bench [-- --quick] [-- --only load,faults]`: runs the benchmarks, prints one report
// (tables + query plans + findings) and writes bench/out/<name>.json and bench/out/report.md.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { badInput } from "./faults/bad-input.js";
import { platformFaults } from "./faults/platform-errors.js";
import { sigkill } from "./faults/sigkill.js";
import { fuzz } from "./fuzz.js";
import { dataPath } from "./scale/data-path.js";
import { webhookLoad } from "./load/webhooks.js";
import { describeMachine, machine } from "./lib/machine.js";
import { tablesOf, type Bench, type BenchResult } from "./lib/result.js";
import { mergeSummaries, SUMMARY_KEYS } from "./lib/summary.js";
import { renderTable } from "./lib/table.js";

const BENCHES: Bench[] = [webhookLoad, platformFaults, sigkill, badInput, fuzz, dataPath];

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(HERE, "out");

function parseArgs(argv: string[]) {
  const quick = argv.includes("--quick");
  const keep = argv.includes("--keep");
  const i = argv.indexOf("--only");
  const only = i >= 0 ? (argv[i + 1] ?? "").split(",").filter(Boolean) : undefined;
  const unknown = only?.filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown?.length || (i >= 0 && !only?.length)) {
    console.error(`unknown bench ${unknown?.join(", ") || "(none given)"}; choose from: ${BENCHES.map((b) => b.name).join(", ")}`);
    process.exit(2);
  }
  return { quick, keep, only };
}

async function main() {
  const { quick, keep, only } = parseArgs(process.argv.slice(2));
  const selected = BENCHES.filter((b) => !only || only.includes(b.name));
  fs.mkdirSync(OUT, { recursive: true });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "chatdesk-bench-"));
  const before = machine();
  const started = Date.now();
  const log = (msg: string) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}`);
  log(`${describeMachine(before)}; load ${before.load1}; ${quick ? "quick" : "full"} run of ${selected.map((b) => b.name).join(", ")}; scratch ${workDir}`);

  const results: { bench: Bench; result?: BenchResult; error?: string; seconds: number }[] = [];
  for (const bench of selected) {
    const t0 = Date.now();
    log(`${bench.name}: ${bench.description}`);
    try {
      const result = await bench.run({ quick, workDir, log: (m) => log(`${bench.name}: ${m}`) });
      results.push({ bench, result, seconds: (Date.now() - t0) / 1000 });
      fs.writeFileSync(path.join(OUT, `${bench.name}.json`), JSON.stringify({ at: new Date().toISOString(), quick, machine: before, ...(result.data as object), rows: result.rows, details: result.details, findings: result.findings }, null, 2));
    } catch (e) {
      const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      log(`${bench.name} FAILED: ${error}`);
      results.push({ bench, error, seconds: (Date.now() - t0) / 1000 });
    }
  }
  const after = machine();

  const rows = results.flatMap((r) => r.result?.rows ?? []);
  const lines: string[] = [
    `## ChatDesk benchmarks — ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${quick ? "quick" : "full"} run`,
    "",
    `Machine: ${describeMachine(before)}. Load average (1 min) ${before.load1} at start, ${after.load1} at the end.`,
    "",
    ...tablesOf(rows).flatMap((t) => [renderTable(t), ""]),
  ];
  const summary = mergeSummaries(results.map((r) => r.result?.summary ?? {}));
  const missing = SUMMARY_KEYS.filter((k) => summary[k] === null);
  fs.writeFileSync(path.join(OUT, "summary.json"), JSON.stringify({ ...summary, at: new Date().toISOString(), quick, benches: selected.map((b) => b.name), missing }, null, 2) + "\n");
  lines.push("### Summary (bench/out/summary.json)", "", "```json", JSON.stringify(summary), "```", "");
  if (missing.length) lines.push(`Not measured in this run: ${missing.join(", ")}.`, "");

  const findings = results.flatMap((r) => r.result?.findings ?? []);
  if (findings.length) lines.push("### Findings", "", ...findings.map((f) => `- ${f}`), "");
  const failed = results.filter((r) => r.error);
  if (failed.length) lines.push("### Failed benches", "", ...failed.map((r) => `- ${r.bench.name}: ${r.error!.split("\n")[0]}`), "");
  lines.push(`Bench durations: ${results.map((r) => `${r.bench.name} ${r.seconds.toFixed(0)} s`).join(", ")}; total ${((Date.now() - started) / 1000).toFixed(0)} s.`, "");
  const details = results.flatMap((r) => r.result?.details ?? []);
  if (details.length) lines.push("### Details", "", ...details, "");

  const report = lines.join("\n");
  console.log(report);
  fs.writeFileSync(path.join(OUT, "report.md"), report);
  if (!keep) fs.rmSync(workDir, { recursive: true, force: true });
  else log(`kept ${workDir}`);
  process.exit(failed.length ? 1 : 0);
}

await main();
