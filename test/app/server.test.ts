// The Node server as a user starts it: SQLite created and migrated on start, /healthz, errors.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.js";

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ env: { BODY_LIMIT: "2048", FEISHU_APP_ID: "cli_x", FEISHU_APP_SECRET: "sec", FEISHU_VERIFICATION_TOKEN: "tok" } });
});
afterAll(() => s.close());

describe("HTTP server", () => {
  it("creates and migrates the SQLite file, and /healthz checks it", async () => {
    expect(fs.existsSync(path.join(s.dir, "chatdesk.db"))).toBe(true);
    const res = await fetch(`${s.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(await res.json()).toMatchObject({ status: "ok", database: "ok", outbox: { pending: 0, dead: 0 } });
    const migrations = await s.db.$queryRaw<{ migration_name: string }[]>`SELECT migration_name FROM _prisma_migrations`;
    expect(migrations.length).toBeGreaterThan(0);
  });

  it("reports a dead letter as degraded, with a 503 so status-code monitors see it", async () => {
    await s.db.outboundMessage.create({ data: { platform: "feishu", kind: "send_text", target: "oc", payload: "{}", status: "dead", nextAttemptAt: new Date() } });
    const res = await fetch(`${s.url}/healthz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; outbox: { dead: number } };
    expect(body).toMatchObject({ status: "degraded", outbox: { dead: 1 } });
    // Still ready for traffic: a dead letter is for a person to look at, not a reason to stop routing.
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
    await s.db.outboundMessage.deleteMany();
  });

  it("rejects oversized webhook bodies with 413 and stores nothing", async () => {
    const res = await fetch(`${s.url}/webhooks/feishu/events`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ pad: "x".repeat(5000) }) });
    expect(res.status).toBe(413);
    expect(await s.db.inboundEvent.count()).toBe(0);
  });

  it("answers unknown routes and unconfigured platforms with JSON errors", async () => {
    expect((await fetch(`${s.url}/nope`)).status).toBe(404);
    const r = await fetch(`${s.url}/webhooks/dingtalk/robot`, { method: "POST", body: "{}" });
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ code: "UNSUPPORTED" });
  });

  it("a fresh start on an existing database applies nothing twice", async () => {
    const again = await startTestServer({ dir: s.dir });
    try {
      const names = await again.db.$queryRaw<{ n: number | bigint }[]>`SELECT COUNT(*) AS n FROM _prisma_migrations`;
      const dirs = fs.readdirSync(path.resolve("prisma/migrations")).filter((d) => /^\d+_/.test(d));
      expect(Number(names[0]!.n)).toBe(dirs.length);
    } finally {
      await again.close();
    }
  });
});

describe("npm start", () => {
  const run = (env: Record<string, string>) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const p = spawn(process.execPath, ["--import", "tsx", "src/adapter/node/main.ts"], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      p.stdout.on("data", (d) => (out += d));
      p.stderr.on("data", (d) => (out += d));
      p.on("exit", (code) => resolve({ code, out }));
    });

  it("exits with a message naming the bad field of CHATDESK_CONFIG", async () => {
    const file = path.join(os.tmpdir(), `chatdesk-bad-${process.pid}.json`);
    fs.writeFileSync(file, JSON.stringify({ sla: { high: { response: "soon" } } }));
    const r = await run({ CHATDESK_CONFIG: file, PORT: "0", DATABASE_URL: `file:${path.join(os.tmpdir(), `cd-${process.pid}.db`)}` });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/sla\.high\.response: expected a duration/);
  });

  it("exits with a message naming a bad environment variable", async () => {
    const r = await run({ PORT: "not-a-port" });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/PORT/);
  });
});
