// `npm run similarity:eval [workflow.json]`: precision and recall of the duplicate check on the labelled
// pairs (test/similarity/pairs.ts) at the threshold of the workflow file (default: the shipped one).
import { readFileSync } from "node:fs";
import { parseWorkflowConfig } from "../../src/config/load.js";
import { evaluate } from "./evaluate.js";

const file = process.argv[2];
const cfg = parseWorkflowConfig(file ? JSON.parse(readFileSync(file, "utf8")) : {});
const e = evaluate(cfg.duplicates.threshold);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const dups = e.truePositives + e.falseNegatives.length;
console.log(`duplicate check at threshold ${e.threshold}: precision ${pct(e.precision)}  recall ${pct(e.recall)}  (${e.truePositives}/${dups} duplicates found, ${e.falsePositives.length} false alarms)`);
for (const s of e.falsePositives) console.log(`  false alarm ${s.score.toFixed(2)}: ${s.a} | ${s.b}`);
for (const s of e.falseNegatives) console.log(`  missed      ${s.score.toFixed(2)}: ${s.a} | ${s.b}`);
