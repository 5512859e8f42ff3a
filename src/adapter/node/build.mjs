// `npm run build`: the Node server compiled to JavaScript in dist/node (what `npm start` runs), with
// esbuild (https://esbuild.github.io/api/#build). Our sources (src/, cards/, the generated Prisma
// client) are bundled into ES modules; every npm package stays external and is loaded from
// node_modules as Node would (better-sqlite3 is native, the Prisma runtime loads its wasm beside it).
// Plain JavaScript so that `npm start` can build without a TypeScript loader.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const OUT_DIR = path.join(ROOT, "dist/node");
/** The entry points: the server, and the processing worker thread it starts. */
const ENTRIES = { main: "src/adapter/node/main.ts", "processing-worker": "src/adapter/node/processing-worker.ts" };
/** Written last: the build's inputs (from esbuild's metafile), to tell when it is stale. */
const STAMP_FILE = "build.json";
/** Files that change the output without being an input. */
const SETTINGS = ["package.json", "package-lock.json", "tsconfig.json", "src/adapter/node/build.mjs"];

/**
 * JSON a package ships as data (chinese-days' holiday table, its package.json) is bundled: an external
 * JSON import would lose its `with { type: "json" }` attribute, which Node requires.
 */
const packageJsonData = {
  name: "package-json-data",
  setup(b) {
    const require = createRequire(path.join(ROOT, "package.json"));
    b.onResolve({ filter: /^[^./].*\.json$/ }, (args) => ({ path: require.resolve(args.path) }));
  },
};

/** Builds into a scratch directory beside `outDir`, then swaps it in (a half-written build is never run). */
export async function build({ quiet = false, outDir = OUT_DIR } = {}) {
  const esbuild = await import("esbuild");
  const t0 = Date.now();
  const scratch = `${outDir}.tmp-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: Object.entries(ENTRIES).map(([out, src]) => ({ out, in: src })),
    outdir: scratch,
    bundle: true,
    splitting: true, // the playground and the long-connection modes stay separate chunks, loaded on demand
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    sourcemap: true,
    chunkNames: "chunks/[name]-[hash]",
    tsconfig: "tsconfig.json",
    plugins: [packageJsonData],
    metafile: true,
    logLevel: quiet ? "warning" : "info",
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith("node_modules/"));
  fs.writeFileSync(path.join(scratch, STAMP_FILE), JSON.stringify({ builtAt: new Date().toISOString(), inputs: [...SETTINGS, ...inputs] }, null, 1));
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.renameSync(scratch, outDir);
  if (!quiet) console.error(`chatdesk: built dist/node from ${inputs.length} files in ${Date.now() - t0} ms`);
}

/** Why dist/node must be (re)built, or undefined when it is up to date. */
export function staleReason(outDir = OUT_DIR) {
  const file = path.join(outDir, STAMP_FILE);
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return `${path.relative(ROOT, outDir)} is missing`;
  }
  const builtAt = fs.statSync(file).mtimeMs;
  for (const f of stamp.inputs) {
    let m;
    try {
      m = fs.statSync(path.join(ROOT, f)).mtimeMs;
    } catch {
      return `${f} is gone`;
    }
    if (m > builtAt) return `${f} changed`;
  }
  return undefined;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await build();
}
