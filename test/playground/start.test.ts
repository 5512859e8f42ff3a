// When the playground runs: on by itself without platform credentials (one log line with its URL, on
// loopback), off with CHATDESK_PLAYGROUND=0, and with =1 beside real credentials as a second,
// sandboxed bot with its own database, which never touches the real platform.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startNodeServer, type NodeServer } from "../../src/adapter/node/server.js";
import { parseEnv } from "../../src/config/env.js";
import { createLogger } from "../../src/log.js";
import { listenHost, playgroundMode, sandboxEnv, generateCredentials } from "../../src/playground/mode.js";
import { startFakeFeishu, type FakeFeishuServer } from "../fakes/feishu-server.js";

let servers: NodeServer[] = [];
let fakes: FakeFeishuServer[] = [];
afterEach(async () => {
  for (const s of servers) await s.close();
  for (const f of fakes) await f.close();
  servers = [];
  fakes = [];
});

async function start(env: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chatdesk-pg-start-"));
  const logs: Record<string, unknown>[] = [];
  const s = await startNodeServer({
    env: { PORT: "0", DATABASE_URL: `file:${path.join(dir, "chatdesk.db")}`, LOG_LEVEL: "info", ...env },
    log: createLogger("info", {}, (l) => logs.push(JSON.parse(l) as Record<string, unknown>)),
    scheduler: false,
  });
  servers.push(s);
  return { s, logs, dir };
}

const api = (base: string, p: string, body: unknown) =>
  fetch(`${base}/playground/api/${p}`, { method: "POST", headers: { "content-type": "application/json", "x-playground": "1" }, body: JSON.stringify(body) });

describe("playground start-up", () => {
  it("decides the mode from the credentials and CHATDESK_PLAYGROUND", () => {
    const creds = { FEISHU_APP_ID: "cli_x", FEISHU_APP_SECRET: "s" };
    expect(playgroundMode(parseEnv({}))).toBe("only");
    expect(playgroundMode(parseEnv({ CHATDESK_PLAYGROUND: "0" }))).toBe("off");
    expect(playgroundMode(parseEnv(creds))).toBe("off");
    expect(playgroundMode(parseEnv({ ...creds, CHATDESK_PLAYGROUND: "1" }))).toBe("beside");
    expect(playgroundMode(parseEnv({ DINGTALK_CLIENT_ID: "d", DINGTALK_CLIENT_SECRET: "s", CHATDESK_PLAYGROUND: "0" }))).toBe("off");
    expect(listenHost(undefined, true)).toBe("127.0.0.1");
    expect(listenHost("0.0.0.0", true)).toBe("0.0.0.0");
    expect(listenHost(undefined, false)).toBe("0.0.0.0");
    const env = sandboxEnv({ FEISHU_APP_ID: "real", DINGTALK_CORP_ID: "real", PORT: "3000" }, generateCredentials(), "http://127.0.0.1:3000");
    expect(env.FEISHU_APP_ID).toMatch(/^cli_pg/);
    expect(env.DINGTALK_CORP_ID).not.toBe("real");
    expect(env.FEISHU_DOMAIN).toBe("http://127.0.0.1:3000/playground/peer/feishu");
    expect(env.DATABASE_URL).toBe("file:./data/playground.db");
  });

  it("without credentials serves /playground on loopback, says so in one line, and the webhooks verify the sandbox's signatures", async () => {
    const { s, logs } = await start({});
    const lines = logs.filter((l) => String(l.msg).startsWith("playground:"));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.msg).toBe(`playground: open ${s.env.PUBLIC_URL}/playground (no platform credentials set, so Feishu and DingTalk are sandboxed on this machine)`);
    expect(logs.find((l) => l.msg === "chatdesk listening")?.host).toBe("127.0.0.1");
    expect((await fetch(`${s.env.PUBLIC_URL}/playground`)).status).toBe(200);
    // The real routes, with the sandbox's keys: an unsigned body is refused like any other.
    const r = await fetch(`${s.url}/webhooks/feishu/events`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ schema: "2.0", header: { event_type: "im.message.receive_v1", token: "nope" }, event: {} }) });
    expect(r.status).toBe(401);
    // Its API refuses calls a cross-site page could make.
    const cross = await fetch(`${s.url}/playground/api/reset`, { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" });
    expect(cross.status).toBe(403);
  });

  it("CHATDESK_PLAYGROUND=0 leaves a server without platforms", async () => {
    const { s, logs } = await start({ CHATDESK_PLAYGROUND: "0" });
    expect((await fetch(`${s.url}/playground`)).status).toBe(404);
    expect((await fetch(`${s.url}/webhooks/feishu/events`, { method: "POST", body: "{}" })).status).toBe(503);
    expect(logs.some((l) => String(l.msg).startsWith("playground:"))).toBe(false);
    expect(logs.find((l) => l.msg === "chatdesk listening")?.host).toBe("0.0.0.0");
  });

  it("CHATDESK_PLAYGROUND=1 beside real credentials runs a sandboxed second bot that never reaches the real platform", async () => {
    const feishu = await startFakeFeishu();
    fakes.push(feishu);
    const { s, logs, dir } = await start({ CHATDESK_PLAYGROUND: "1", FEISHU_APP_ID: "cli_real", FEISHU_APP_SECRET: "real-secret", FEISHU_VERIFICATION_TOKEN: "vt", FEISHU_DOMAIN: feishu.url });
    const sandbox = s.playground!;
    expect(sandbox).toBeDefined();
    expect(sandbox.env.FEISHU_APP_ID).toMatch(/^cli_pg/);
    expect(sandbox.env.DATABASE_URL).toBe(`file:${path.join(dir, "playground.db")}`);
    const line = logs.find((l) => String(l.msg).startsWith("playground:"));
    expect(line?.url).toBe(`${sandbox.url}/playground`);
    const redirect = await fetch(`${s.url}/playground`, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe(`${sandbox.url}/playground`);

    const sent = await api(sandbox.env.PUBLIC_URL!, "send", { chat: "oc_pgfeedback000000000000000000000", as: "mei", text: "客户说系统报错无法登录", mentionBot: true });
    expect(sent.status).toBe(200);
    await sandbox.idle();
    expect(await sandbox.db.ticket.count()).toBe(1);
    expect(await s.db.ticket.count()).toBe(0);
    expect(feishu.calls.filter((c) => c.path.startsWith("/open-apis/im/"))).toHaveLength(0);
  });
});
