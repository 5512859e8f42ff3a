// Runs the project's pinned wrangler (node_modules, Node 20) the way `npm run build:worker` and
// `wrangler d1 migrations apply` do, for the Worker tests.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const WRANGLER = path.join(ROOT, "node_modules/wrangler/bin/wrangler.js");

/** esbuild's metafile, as much of it as the boundary check reads. */
export interface Metafile {
  inputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }>;
  outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[]; entryPoint?: string }>;
}

export interface BuiltWorker {
  outdir: string;
  /** Directory the metafile's paths are relative to (the config file's). */
  baseDir: string;
  meta: Metafile;
  /** The entry module's file name and every other file wrangler wrote next to it (wasm modules). */
  main: string;
  files: string[];
}

export async function wrangler(args: string[], opts: { cwd?: string } = {}): Promise<string> {
  const child = spawn(process.execPath, [WRANGLER, ...args], {
    cwd: opts.cwd ?? ROOT,
    // No telemetry; the update check fails quietly offline.
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1", FORCE_COLOR: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`wrangler ${args.join(" ")} exited with ${code}:\n${out}`);
  return out;
}

/** `wrangler deploy --dry-run` into `outdir`, with esbuild's metafile; `config` defaults to wrangler.toml. */
export async function buildWorker(outdir: string, config = path.join(ROOT, "wrangler.toml")): Promise<BuiltWorker> {
  const metafile = path.join(outdir, "bundle-meta.json");
  await wrangler(["deploy", "--dry-run", "--config", config, "--outdir", outdir, "--metafile", metafile]);
  const meta = JSON.parse(fs.readFileSync(metafile, "utf8")) as Metafile;
  const baseDir = path.dirname(config);
  const entry = Object.entries(meta.outputs).find(([, o]) => o.entryPoint);
  if (!entry) throw new Error("wrangler's metafile names no entry output");
  const files = fs.readdirSync(outdir).filter((f) => !f.endsWith(".map") && f !== "bundle-meta.json" && f !== "README.md");
  return { outdir, baseDir, meta, main: path.basename(entry[0]), files };
}
