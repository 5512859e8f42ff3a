// The fake Feishu and DingTalk open platforms (test/fakes) on loopback, the workflow config and
// the environment the server child is started with, and what the fakes saw being delivered.
import fs from "node:fs";
import path from "node:path";
import { startFakeDingTalk, type FakeDingTalk } from "../../test/fakes/dingtalk-server.js";
import { startFakeFeishu, type FakeFeishuServer } from "../../test/fakes/feishu-server.js";
import { APP_ID, TEST_SECRETS } from "../../test/support/feishu-events.js";
import { teamConfig } from "../../test/support/server.js";

export const DINGTALK_KEY = "ding-app-key";
export const DINGTALK_SECRET = "ding-app-secret";

/** The integration tests' team (handlers in every department) plus a DingTalk card template, so replies are cards. */
export const BENCH_CONFIG = { ...teamConfig, dingtalk: { cardTemplateId: "bench-card-template.schema" } };

export interface Fakes {
  feishu: FakeFeishuServer;
  dingtalk: FakeDingTalk;
  close(): Promise<void>;
}

export async function startFakes(): Promise<Fakes> {
  const [feishu, dingtalk] = await Promise.all([startFakeFeishu(), startFakeDingTalk({ appKey: DINGTALK_KEY, appSecret: DINGTALK_SECRET })]);
  return { feishu, dingtalk, close: async () => void (await Promise.all([feishu.close(), dingtalk.close()])) };
}

/** Environment of a server child: webhook mode on both platforms, SDK/API calls pointed at the fakes. */
export function serverEnv(dir: string, fakes: Fakes): Record<string, string> {
  const configFile = path.join(dir, "workflow.json");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(configFile, JSON.stringify(BENCH_CONFIG, null, 2));
  return {
    DATABASE_URL: `file:${path.join(dir, "chatdesk.db")}`,
    CHATDESK_CONFIG: configFile,
    LOG_LEVEL: "info",
    FEISHU_APP_ID: APP_ID,
    FEISHU_APP_SECRET: "bench-app-secret",
    FEISHU_VERIFICATION_TOKEN: TEST_SECRETS.verificationToken,
    FEISHU_ENCRYPT_KEY: TEST_SECRETS.encryptKey,
    FEISHU_DOMAIN: fakes.feishu.url,
    FEISHU_MODE: "webhook",
    DINGTALK_CLIENT_ID: DINGTALK_KEY,
    DINGTALK_CLIENT_SECRET: DINGTALK_SECRET,
    DINGTALK_API_BASE: fakes.dingtalk.url,
    // The old OAPI (contact names, /topapi/v2/user/get) too: left at oapi.dingtalk.com, each new sender's name
    // lookup waited out its 2 s bound here (no internet), which the unbounded processing had hidden.
    DINGTALK_OAPI_BASE: fakes.dingtalk.url,
    DINGTALK_MODE: "http",
  };
}

export const dbFileOf = (dir: string) => path.join(dir, "chatdesk.db");

/** First successful reply-card delivery per source message, and how many times it was delivered. */
export interface Deliveries {
  first: Map<string, number>;
  count: Map<string, number>;
}

function collect(entries: Iterable<[string, number]>): Deliveries {
  const first = new Map<string, number>();
  const count = new Map<string, number>();
  for (const [key, at] of entries) {
    if (!first.has(key) || first.get(key)! > at) first.set(key, at);
    count.set(key, (count.get(key) ?? 0) + 1);
  }
  return { first, count };
}

const FEISHU_REPLY = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/;

/** Feishu: the ticket card is an interactive reply to the source message, keyed by its message_id. */
export function feishuCards(fake: FakeFeishuServer): Deliveries {
  return collect(
    (function* () {
      for (const c of fake.calls) {
        if (c.status !== 200 || c.method !== "POST") continue;
        const m = FEISHU_REPLY.exec(c.path);
        if (m && (c.body as { msg_type?: string } | undefined)?.msg_type === "interactive") yield [decodeURIComponent(m[1]!), c.at ?? 0];
      }
    })(),
  );
}

/** DingTalk: the ticket card is createAndDeliver into the group, keyed by the conversation id (one per event in the benches). */
export function dingtalkCards(fake: FakeDingTalk): Deliveries {
  return collect(
    (function* () {
      for (const c of fake.calls) {
        if (c.status !== 200 || c.path !== "/v1.0/card/instances/createAndDeliver") continue;
        const space = String(c.body?.openSpaceId ?? "");
        const m = /^dtv1\.card\/\/IM_GROUP\.(.+)$/.exec(space);
        if (m) yield [m[1]!, c.at ?? 0];
      }
    })(),
  );
}
