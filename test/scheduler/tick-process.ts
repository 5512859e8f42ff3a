// A second ChatDesk server process on the same SQLite file, for exactly-once.test.ts: it starts,
// says "ready", waits for "go" on stdin, runs one tick at the given instant, delivers, prints the
// tick's summary as JSON and exits.
//   node --import tsx test/scheduler/tick-process.ts <db dir> <ISO instant> <config JSON>
import { once } from "node:events";
import { deliverDue } from "../../src/app/deliver.js";
import { tick } from "../../src/scheduler/tick.js";
import { startTestServer } from "../support/server.js";

const [dir, iso, config] = process.argv.slice(2);
if (!dir || !iso || !config) throw new Error("usage: tick-process.ts <dir> <iso> <config json>");
const now = new Date(iso);
const s = await startTestServer({ dir, now: () => now, config: JSON.parse(config), env: JSON.parse(process.env.RIG_ENV ?? "{}") as Record<string, string> });
await s.idle();
process.stdout.write("ready\n");
await once(process.stdin, "data");
const summary = await tick(s.ctx, now);
await s.idle();
await deliverDue(s.ctx);
await s.idle();
process.stdout.write(`${JSON.stringify(summary)}\n`);
await s.close();
process.exit(0);
