// The Worker bundle holds nothing Node-only: built from wrangler.toml exactly as `npm run build:worker`
// does, then checked module by module from esbuild's metafile.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeOnlyModules, packageOf } from "../support/bundle-boundary.js";
import { buildWorker, ROOT, type BuiltWorker } from "../support/wrangler.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "chatdesk-bundle-"));
let worker: BuiltWorker;
let leak: BuiltWorker;

beforeAll(async () => {
  // The leak build enables nodejs_compat so that Node imports bundle at all (without it the build fails).
  const leakConfig = path.join(tmp, "leak.wrangler.json");
  fs.writeFileSync(
    leakConfig,
    JSON.stringify({ name: "leak", main: path.join(ROOT, "test/worker/fixtures/node-leak.ts"), compatibility_date: "2025-11-01", compatibility_flags: ["nodejs_compat"] }),
  );
  [worker, leak] = await Promise.all([buildWorker(path.join(tmp, "worker")), buildWorker(path.join(tmp, "leak"), leakConfig)]);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const inputs = (b: BuiltWorker) => Object.keys(b.meta.inputs).map((p) => path.relative(ROOT, path.resolve(b.baseDir, p)).split(path.sep).join("/"));

describe("Worker bundle boundary", () => {
  it("wrangler bundles the Worker entry with the D1 Prisma client and the fetch-based senders", () => {
    const files = inputs(worker);
    expect(files).toContain("src/adapter/worker/index.ts");
    expect(files).toContain("src/adapter/feishu/fetch-sender.ts");
    expect(files).toContain("src/adapter/dingtalk/sender.ts");
    expect(files).toContain("src/app-composition.ts");
    // The scheduler runs from the cron trigger: its tick is in, its node-cron driver is not (below).
    expect(files).toContain("src/scheduler/tick.ts");
    expect(files.some((f) => f.startsWith("src/generated/prisma-worker/"))).toBe(true);
    expect(new Set(files.map(packageOf))).toContain("@prisma/adapter-d1");
    // The Prisma query compiler ships as a wasm module next to the script.
    expect(worker.files.some((f) => f.includes(".wasm"))).toBe(true);
  });

  it("contains no Node built-in, Node-only package or Node-only source file", () => {
    expect(nodeOnlyModules(worker.meta, { root: ROOT, baseDir: worker.baseDir })).toEqual([]);
  });

  it("the check flags a bundle that pulls in the Node runtime", () => {
    const found = nodeOnlyModules(leak.meta, { root: ROOT, baseDir: leak.baseDir });
    const modules = found.map((v) => v.module);
    for (const m of ["@larksuiteoapi/node-sdk", "dingtalk-stream", "better-sqlite3", "ws", "node-cron", "@hono/node-server"]) expect(modules).toContain(m);
    expect(modules).toContain("src/adapter/node/server.ts");
    expect(modules).toContain("src/adapter/feishu/sender.ts");
    expect(modules).toContain("src/scheduler/node-cron.ts");
    expect(found.some((v) => v.reason === "Node built-in" && v.module.startsWith("node:"))).toBe(true);
  });
});
