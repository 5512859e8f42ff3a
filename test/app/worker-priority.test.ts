// The processing worker yields the CPU to the HTTP thread (src/adapter/node/processing-worker.ts): on
// Linux its thread runs at nice 10 while the thread that answers webhooks keeps the process's priority.
import fs from "node:fs";
import { expect, it } from "vitest";
import { startTestServer } from "../support/server.js";

/** A thread's nice value: field 19 of /proc/<pid>/task/<tid>/stat (https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html). */
const niceOf = (tid: string): number => {
  const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
};

const linux = process.platform === "linux";
/** The test process's own nice value; at 10 or more already, the worker has nothing to lower. */
const own = linux ? niceOf(String(process.pid)) : 0;

it.runIf(linux && own < 10)("the processing worker's thread runs at nice 10, the HTTP thread at the process's own", async () => {
  const before = new Set(fs.readdirSync("/proc/self/task"));
  const server = await startTestServer({ env: { CHATDESK_PROCESSING: "worker" } });
  try {
    await server.idle(); // answered by the worker: its module has run
    const started = fs.readdirSync("/proc/self/task").filter((t) => !before.has(t));
    expect(started.filter((t) => niceOf(t) === 10)).toHaveLength(1);
    expect(niceOf(String(process.pid))).toBe(own);
  } finally {
    await server.close();
  }
});
