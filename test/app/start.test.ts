// `npm start` as production runs it: the compiled server in dist/node, built when missing or stale,
// with no TypeScript loader in the process.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error plain JavaScript (the build runs without a TypeScript loader), no declarations
import { build, staleReason } from "../../src/adapter/node/build.mjs";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "chatdesk-start-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const pkg = JSON.parse(fs.readFileSync("package.json", "utf8")) as { scripts: Record<string, string>; dependencies: Record<string, string> };

describe("npm run build", () => {
  it("compiles to dist, and tells when a source is newer than the build", async () => {
    const out = path.join(tmp, "dist");
    expect(staleReason(out)).toMatch(/missing/);
    await build({ quiet: true, outDir: out });
    expect(fs.existsSync(path.join(out, "main.js"))).toBe(true);
    expect(staleReason(out)).toBeUndefined();
    // A build older than its sources (as after a `git pull`) is stale.
    const stamp = path.join(out, "build.json");
    fs.utimesSync(stamp, new Date(0), new Date(0));
    expect(staleReason(out)).toMatch(/ changed$/);
  });

  it("start builds with a dependency, not a dev tool, and never runs TypeScript", () => {
    expect(pkg.scripts.start).toBe("node src/adapter/node/start.mjs");
    expect(pkg.scripts.start).not.toMatch(/tsx/);
    expect(pkg.scripts.dev).toMatch(/^tsx watch /);
    expect(pkg.dependencies.esbuild).toBeTruthy();
  });
});

describe("npm start", () => {
  it("serves /healthz from the compiled server, with no TypeScript loader loaded", async () => {
    const modules = path.join(tmp, "modules.log");
    const env: Record<string, string | undefined> = { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", CHATDESK_PLAYGROUND: "0", FEISHU_APP_ID: "cli_x", FEISHU_APP_SECRET: "sec", FEISHU_VERIFICATION_TOKEN: "tok", DATABASE_URL: `file:${path.join(tmp, "chatdesk.db")}`, MODULE_LOG: modules };
    delete env.NODE_OPTIONS; // what vitest's worker carries is not what `npm start` gets
    const p = spawn(process.execPath, ["--import", "./test/support/module-log.mjs", ...pkg.scripts.start!.split(" ").slice(1)], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    const exited = new Promise<void>((r) => p.once("exit", () => r()));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const t = setInterval(() => {
          const m = /"msg":"chatdesk listening".*?"port":(\d+)/.exec(out);
          if (m) {
            clearInterval(t);
            resolve(Number(m[1]));
          }
        }, 50);
        void exited.then(() => {
          clearInterval(t);
          reject(new Error(`exited before listening:\n${out}`));
        });
      });
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "ok", database: "ok" });

      const loaded = fs.readFileSync(modules, "utf8").split("\n").filter(Boolean);
      const root = path.resolve(".");
      expect(loaded).toContain(`file://${path.join(root, "dist/node/main.js")}`);
      expect(loaded.filter((u) => /\/node_modules\/tsx\//.test(u) || /\.tsx?$/.test(u))).toEqual([]);
      expect(staleReason()).toBeUndefined(); // start left a fresh build behind
      // Processing runs on the worker thread, from the compiled worker entry.
      await expect.poll(() => out, { timeout: 10_000 }).toMatch(/"msg":"processing worker ready".*"entry":"dist\/node\/processing-worker\.js"/);
    } finally {
      p.kill("SIGTERM");
      await exited;
    }
  });
});
