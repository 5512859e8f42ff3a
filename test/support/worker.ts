// The Worker as Cloudflare would run it, locally: the bundle `npm run build:worker` makes, served by
// Miniflare (workerd) with wrangler.toml's settings and a local D1 database migrated by
// `wrangler d1 migrations apply --local`, exactly as a user would before `wrangler dev`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { writeD1Migrations } from "../../src/adapter/worker/d1-migrations.js";
import { buildWorker, ROOT, wrangler } from "./wrangler.js";

export interface LocalWorker {
  /** POST/GET to the Worker as a platform would (the host part is ignored). */
  fetch(pathname: string, init?: RequestInit): Promise<Response>;
  /** A cron trigger firing at `at`. */
  scheduled(at: Date): Promise<{ outcome: string }>;
  /** Read the local D1 database directly. */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** An object in the ATTACHMENTS R2 bucket (wrangler.toml), as the Worker stored it. */
  r2Object(key: string): Promise<{ bytes: Uint8Array; contentType?: string } | undefined>;
  r2Put(key: string, bytes: Uint8Array, contentType?: string): Promise<void>;
  /** The Worker's JSON log lines (console output of workerd). */
  logs: Record<string, unknown>[];
  dir: string;
  close(): Promise<void>;
}

export interface LocalWorkerOptions {
  /** Vars and secrets, on top of wrangler.toml's [vars]. */
  vars?: Record<string, string>;
}

function collectJsonLines(into: Record<string, unknown>[]) {
  return (stream: NodeJS.ReadableStream) => {
    let buf = "";
    stream.on("data", (d: Buffer) => {
      buf += d.toString("utf8");
      let i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (!line) continue;
        try {
          into.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          into.push({ raw: line });
        }
      }
    });
  };
}

export async function startLocalWorker(opts: LocalWorkerOptions = {}): Promise<LocalWorker> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chatdesk-worker-"));
  const config = path.join(ROOT, "wrangler.toml");
  const persist = path.join(dir, "state");
  // The deploy steps, in order: bundle, flat migrations, apply them to the (local) D1 database.
  writeD1Migrations();
  const [built] = await Promise.all([
    buildWorker(path.join(dir, "bundle"), config),
    wrangler(["d1", "migrations", "apply", "chatdesk", "--local", "--persist-to", persist, "--config", config]),
  ]);

  const { workerOptions } = unstable_getMiniflareWorkerOptions(config);
  const logs: Record<string, unknown>[] = [];
  const collect = collectJsonLines(logs);
  const mf = new Miniflare({
    ...workerOptions,
    name: "chatdesk",
    modulesRoot: built.outdir,
    // The bundle plus what wrangler emitted next to it (the Prisma query compiler as CompiledWasm).
    modules: [
      { type: "ESModule", path: path.join(built.outdir, built.main) },
      ...built.files.filter((f) => f !== built.main && /\.wasm(\?module)?$/.test(f)).map((f) => ({ type: "CompiledWasm" as const, path: path.join(built.outdir, f) })),
    ],
    bindings: { ...(workerOptions.bindings as Record<string, string>), ...opts.vars },
    // Where `wrangler d1 migrations apply --local --persist-to` put the database.
    d1Persist: path.join(persist, "v3", "d1"),
    handleRuntimeStdio(stdout, stderr) {
      collect(stdout);
      collect(stderr);
    },
  });
  await mf.ready;
  const d1 = await mf.getD1Database("DB");
  const worker = await mf.getWorker();
  const bucket = await mf.getR2Bucket("ATTACHMENTS");

  return {
    dir,
    logs,
    async fetch(pathname, init) {
      const res = await mf.dispatchFetch(`http://chatdesk.local${pathname}`, init as Parameters<typeof mf.dispatchFetch>[1]);
      // Miniflare's Response is undici's; hand tests the platform one.
      return new Response(await res.arrayBuffer(), { status: res.status, headers: Object.fromEntries(res.headers) });
    },
    async scheduled(at) {
      const r = await worker.scheduled({ scheduledTime: at, cron: "* * * * *" });
      return { outcome: r.outcome };
    },
    async r2Object(key) {
      const o = await bucket.get(key);
      return o ? { bytes: new Uint8Array(await o.arrayBuffer()), contentType: o.httpMetadata?.contentType } : undefined;
    },
    async r2Put(key, bytes, contentType) {
      await bucket.put(key, bytes, contentType ? { httpMetadata: { contentType } } : undefined);
    },
    async query<T>(sql: string, ...params: unknown[]) {
      const r = await d1.prepare(sql).bind(...params).all<T>();
      return r.results;
    },
    async close() {
      await mf.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
