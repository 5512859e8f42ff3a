// Start the real Node server on loopback with a fresh SQLite file in a temp dir.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startNodeServer, type NodeServer, type NodeServerOptions } from "../../src/adapter/node/server.js";
import { parseWorkflowConfig } from "../../src/config/load.js";
import { createLogger } from "../../src/log.js";

export interface TestServer extends NodeServer {
  dir: string;
  logs: Record<string, unknown>[];
}

export interface TestServerOptions extends Omit<NodeServerOptions, "config"> {
  /** Override object merged over the defaults (docs/spec.md). */
  config?: unknown;
  /** Reuse a database directory (restart tests). */
  dir?: string;
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "chatdesk-test-"));
  const logs: Record<string, unknown>[] = [];
  const log = createLogger("debug", {}, (line) => logs.push(JSON.parse(line) as Record<string, unknown>));
  const server = await startNodeServer({
    pollMs: 0,
    longConnections: false,
    scheduler: false,
    ...opts,
    log: opts.log ?? log,
    config: parseWorkflowConfig(opts.config ?? {}),
    // Tests say which platforms they use; the playground (on by default without credentials) has its own tests.
    env: { PORT: "0", DATABASE_URL: `file:${path.join(dir, "chatdesk.db")}`, LOG_LEVEL: "debug", CHATDESK_PLAYGROUND: "0", CHATDESK_PROCESSING: testProcessing(), ...(opts.env ?? {}) },
  });
  return Object.assign(server, { dir, logs });
}

/**
 * Tests process inline by default (deterministic, and `now`/senders may be functions); a file that sets
 * process.env.CHATDESK_PROCESSING = "worker" before starting its servers runs them with the worker thread.
 */
export const testProcessing = () => (process.env.CHATDESK_PROCESSING === "worker" ? "worker" : "inline");

/** A config with people and pools, used by most integration tests. */
export const teamConfig = {
  people: [
    { id: "zhang", name: "张三", feishu: "ou_handler_zhang", dingtalk: "dt_zhang" },
    { id: "li", name: "李四", feishu: "ou_handler_li", dingtalk: "dt_li" },
    { id: "wang", name: "王主管", feishu: "ou_lead_wang", dingtalk: "dt_wang" },
    { id: "zhao", name: "赵总", feishu: "ou_manager_zhao", dingtalk: "dt_zhao" },
  ],
  departments: [
    { id: "tech", name: "技术部", nameEn: "Tech Support", handlers: ["zhang", "li"], leads: ["wang"], managers: ["zhao"], chats: { feishu: "oc_tech", dingtalk: "cid_tech" } },
    { id: "product", name: "产品部", handlers: ["li"], leads: ["wang"] },
    { id: "service", name: "客服部", handlers: ["zhang"], leads: ["wang"] },
    { id: "service_ops", name: "客服运营部", handlers: ["zhang"], leads: ["wang"] },
    { id: "service_lead", name: "客服部主管", handlers: ["wang"], leads: ["wang"] },
    { id: "supply_chain", name: "供应链部", handlers: ["li"], leads: ["wang"] },
    { id: "finance", name: "财务部", handlers: ["li"], leads: ["wang"] },
  ],
  digestChats: { feishu: ["oc_managers"], dingtalk: ["cid_managers"] },
};
