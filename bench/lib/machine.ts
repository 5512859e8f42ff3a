// The machine a run was measured on, and how busy it was: figures mean little without it.
import fs from "node:fs";
import os from "node:os";

export interface Machine {
  cpus: number;
  cpuModel: string;
  ramGiB: number;
  node: string;
  platform: string;
  /** 1-minute load average when sampled. */
  load1: number;
}

export function machine(): Machine {
  let cpuModel = os.cpus()[0]?.model ?? "unknown";
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync("/proc/cpuinfo", "utf8"));
    if (m) cpuModel = m[1]!.trim();
  } catch {
    /* not Linux */
  }
  return {
    cpus: os.availableParallelism(),
    cpuModel,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    load1: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

export const describeMachine = (m: Machine) => `${m.cpus} × ${m.cpuModel}, ${m.ramGiB} GiB RAM, Node ${m.node}, ${m.platform}`;
