// What must never reach the Worker bundle: Node built-ins (imported or polyfilled), the Node-only
// SDKs and drivers, and the project's Node-only modules. Reads esbuild's metafile from wrangler.
import { builtinModules } from "node:module";
import path from "node:path";
import type { Metafile } from "./wrangler.js";

/** Packages that need Node (sockets, fs, native code) or exist only for the Node runtime. */
export const NODE_ONLY_PACKAGES = [
  "@larksuiteoapi/node-sdk",
  "dingtalk-stream",
  "better-sqlite3",
  "@prisma/adapter-better-sqlite3",
  "ws",
  "node-cron",
  "@hono/node-server",
  "axios",
  // Node built-ins polyfilled by wrangler under nodejs_compat.
  "unenv",
  "@cloudflare/unenv-preset",
];

/** Project files that are the Node side of a port (their Worker twins live in src/adapter/worker). */
export const NODE_ONLY_SOURCES = [
  /^src\/adapter\/node\//,
  /^src\/adapter\/feishu\/(sender|ws)\.ts$/,
  /^src\/adapter\/dingtalk\/stream\.ts$/,
  /^src\/adapter\/worker\/d1-migrations\.ts$/,
  /^src\/scheduler\/node-cron\.ts$/,
  /^src\/generated\/prisma\//,
];

export interface Violation {
  module: string;
  reason: string;
  importer?: string;
}

const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith("_")));

export function isNodeBuiltin(spec: string): boolean {
  if (spec.startsWith("node:")) return true;
  return BUILTINS.has(spec) || BUILTINS.has(spec.split("/")[0]!);
}

/**
 * A built-in left as an import (workerd has none without nodejs_compat). A bare "buffer" that resolved
 * to the npm package of that name is bundled userland code and fine.
 */
const leftBuiltin = (imp: { path: string; external?: boolean }) => imp.path.startsWith("node:") || (imp.external === true && isNodeBuiltin(imp.path));

/** The npm package a bundled file belongs to (the innermost node_modules wins), if any. */
export function packageOf(file: string): string | undefined {
  const i = file.lastIndexOf("node_modules/");
  if (i < 0) return undefined;
  const [a, b] = file.slice(i + "node_modules/".length).split("/");
  return a?.startsWith("@") ? `${a}/${b}` : a;
}

/**
 * Every Node-only module in a bundle. `root` is the repository, `baseDir` the directory the metafile's
 * paths are relative to (the wrangler config's).
 */
export function nodeOnlyModules(meta: Metafile, opts: { root: string; baseDir: string }): Violation[] {
  const found = new Map<string, Violation>();
  const add = (v: Violation) => found.has(`${v.module}|${v.reason}`) || found.set(`${v.module}|${v.reason}`, v);
  const rel = (p: string) => path.relative(opts.root, path.resolve(opts.baseDir, p)).split(path.sep).join("/");

  for (const [input, { imports }] of Object.entries(meta.inputs)) {
    const file = rel(input);
    const pkg = packageOf(file);
    if (pkg && NODE_ONLY_PACKAGES.includes(pkg)) add({ module: pkg, reason: "Node-only package" });
    if (!pkg && NODE_ONLY_SOURCES.some((re) => re.test(file))) add({ module: file, reason: "Node-only source file" });
    for (const imp of imports) if (leftBuiltin(imp)) add({ module: imp.path, reason: "Node built-in", importer: file });
  }
  for (const out of Object.values(meta.outputs)) {
    for (const imp of out.imports) if (leftBuiltin(imp)) add({ module: imp.path, reason: "Node built-in" });
  }
  return [...found.values()].sort((a, b) => a.module.localeCompare(b.module));
}
