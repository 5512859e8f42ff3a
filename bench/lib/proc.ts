// Child processes under test: the real ChatDesk server (SERVER_SCRIPT: what `npm start` runs, the
// compiled server, rebuilt first when stale) or the bare Hono ceiling, each in its own process so its
// RSS and latency are its own.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sleep } from "./stats.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** `npm start`'s entry: builds dist/node when stale, then runs the compiled server in the same process. */
export const SERVER_SCRIPT = "src/adapter/node/start.mjs";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Memory {
  /** Resident set now, KiB. */
  rssKb: number;
  /** Peak resident set since the process started (VmHWM), KiB. */
  peakKb: number;
}

export function memoryOf(pid: number): Memory | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(s)?.[1] ?? Number.NaN);
    return { rssKb: kb("VmRSS"), peakKb: kb("VmHWM") };
  } catch {
    return undefined;
  }
}

export interface Proc {
  url: string;
  port: number;
  pid: number;
  logFile: string;
  child: ChildProcess;
  memory(): Memory | undefined;
  /** SIGKILL: no shutdown hook runs, in-flight work is lost exactly as in a crash. */
  kill9(): Promise<void>;
  /** SIGTERM and wait (the server's graceful close). */
  stop(): Promise<void>;
  exited(): boolean;
}

export interface SpawnOptions {
  /** Script relative to the repository root; a .ts script runs with the tsx loader, JavaScript without. */
  script: string;
  env: Record<string, string>;
  port: number;
  logFile: string;
  /** GET path answering 200 once the process is ready. */
  readyPath?: string;
  readyTimeoutMs?: number;
  /** Extra node flags (e.g. --cpu-prof when investigating). */
  nodeArgs?: string[];
}

const exitOf = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
  });

export async function spawnProc(o: SpawnOptions): Promise<Proc> {
  fs.mkdirSync(path.dirname(o.logFile), { recursive: true });
  const fd = fs.openSync(o.logFile, "a");
  // `node --import tsx` rather than the tsx CLI: one process, so the pid we sample and kill is the server.
  const loader = o.script.endsWith(".ts") ? ["--import", "tsx"] : [];
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), ...loader, path.join(ROOT, o.script)], {
    cwd: ROOT,
    env: { ...process.env, ...o.env, PORT: String(o.port) },
    stdio: ["ignore", fd, fd],
  });
  fs.closeSync(fd);
  const url = `http://127.0.0.1:${o.port}`;
  const end = Date.now() + (o.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${o.script} exited during start (${child.exitCode ?? child.signalCode}); log ${o.logFile}:\n${tail(o.logFile)}`);
    }
    try {
      const r = await fetch(`${url}${o.readyPath ?? "/readyz"}`, { signal: AbortSignal.timeout(1_000) });
      await r.arrayBuffer();
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > end) {
      child.kill("SIGKILL");
      throw new Error(`${o.script} not ready after ${o.readyTimeoutMs ?? 30_000} ms; log ${o.logFile}:\n${tail(o.logFile)}`);
    }
    await sleep(50);
  }
  return {
    url,
    port: o.port,
    pid: child.pid!,
    logFile: o.logFile,
    child,
    memory: () => memoryOf(child.pid!),
    exited: () => child.exitCode !== null || child.signalCode !== null,
    async kill9() {
      child.kill("SIGKILL");
      await exitOf(child);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exitOf(child);
      clearTimeout(t);
    },
  };
}

export function tail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Lines of the server's JSON log at `level` or worse, for the report's notes. */
export function logErrors(file: string, level: "error" | "warn" = "error"): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let text = "";
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return out;
  }
  for (const line of text.split("\n")) {
    if (!line.includes(`"level":"error"`) && !(level === "warn" && line.includes(`"level":"warn"`))) continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      /* a stack trace line */
    }
  }
  return out;
}

/** Samples a process's RSS until stopped; `peakKb` is the largest seen (VmHWM cannot be reset per phase). */
export function sampleMemory(pid: number, everyMs = 100): { peakKb(): number; stop(): number } {
  let peak = memoryOf(pid)?.rssKb ?? 0;
  const t = setInterval(() => {
    const m = memoryOf(pid);
    if (m && m.rssKb > peak) peak = m.rssKb;
  }, everyMs);
  return {
    peakKb: () => peak,
    stop() {
      clearInterval(t);
      const m = memoryOf(pid);
      if (m && m.rssKb > peak) peak = m.rssKb;
      return peak;
    },
  };
}
