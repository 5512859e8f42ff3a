// The bot's open_id: looked up once through either sender against the fake Feishu, cached, shared,
// and never allowed to hold a webhook answer for long.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botIdentity, botOpenIdOf } from "../../src/adapter/feishu/bot-identity.js";
import { createFeishuFetchSender } from "../../src/adapter/feishu/fetch-sender.js";
import { createFeishuSender } from "../../src/adapter/feishu/sender.js";
import type { FeishuSettings } from "../../src/config/env.js";
import { PlatformError } from "../../src/platform/port.js";
import { startFakeFeishu, type FakeFeishuServer } from "../fakes/feishu-server.js";
import { APP_ID, BOT_OPEN_ID } from "../support/feishu-events.js";

let fake: FakeFeishuServer;
let settings: FeishuSettings;
beforeAll(async () => {
  fake = await startFakeFeishu();
  settings = { appId: APP_ID, appSecret: "secret", domain: fake.url, mode: "webhook" };
});
afterAll(() => fake.close());

const infoCalls = () => fake.calls.filter((c) => c.path === "/open-apis/bot/v3/info");

describe("bot open_id lookup", () => {
  it("both senders read bot.open_id from GET /open-apis/bot/v3/info with a tenant token", async () => {
    const before = infoCalls().length;
    expect(await createFeishuSender(settings).botUserId!()).toBe(BOT_OPEN_ID);
    expect(await createFeishuFetchSender(settings).botUserId!()).toBe(BOT_OPEN_ID);
    const calls = infoCalls().slice(before);
    expect(calls.map((c) => [c.method, c.headers.authorization])).toEqual([
      ["GET", "Bearer t-fake-tenant-token"],
      ["GET", "Bearer t-fake-tenant-token"],
    ]);
  });

  it("a failing lookup is a PlatformError from both senders", async () => {
    fake.failNext(1, { status: 500 });
    await expect(createFeishuFetchSender(settings).botUserId!()).rejects.toBeInstanceOf(PlatformError);
    const sdk = createFeishuSender(settings);
    await sdk.sendText("oc_1", "warm the token"); // so the fault hits the info call, not the token call
    fake.failNext(1, { status: 200, body: { code: 10003, msg: "invalid param" } });
    await expect(sdk.botUserId!()).rejects.toThrow(/code 10003/);
  });

  it("is looked up once, shared by concurrent callers and by routes and the long connection", async () => {
    const sender = createFeishuSender(settings);
    const before = infoCalls().length;
    const a = botOpenIdOf(sender)!;
    expect(botOpenIdOf(sender)).toBe(a); // one cache per sender
    expect(await Promise.all([a(), a(), a()])).toEqual([BOT_OPEN_ID, BOT_OPEN_ID, BOT_OPEN_ID]);
    expect(await a()).toBe(BOT_OPEN_ID);
    expect(infoCalls().length - before).toBe(1);
    expect(botOpenIdOf(undefined)).toBeUndefined();
  });

  it("a slow lookup does not hold the caller; its answer serves the next call", async () => {
    let release: (id: string) => void = () => {};
    const lookup = () => new Promise<string>((r) => (release = r));
    const id = botIdentity(lookup, { waitMs: 20 });
    expect(await id()).toBeUndefined(); // gave up waiting; the lookup keeps going
    release("ou_bot_slow");
    await new Promise((r) => setImmediate(r));
    expect(await id()).toBe("ou_bot_slow");
  });

  it("a lookup that never settles is abandoned after a while and asked again", async () => {
    let t = 0;
    let calls = 0;
    const id = botIdentity(
      () => {
        calls++;
        return calls === 1 ? new Promise<string>(() => {}) : Promise.resolve("ou_bot_second");
      },
      { now: () => t, waitMs: 5, staleAfterMs: 30_000 },
    );
    expect(await id()).toBeUndefined();
    t = 10_000;
    expect(await id()).toBeUndefined(); // still waiting on the first one
    expect(calls).toBe(1);
    t = 31_000;
    expect(await id()).toBe("ou_bot_second");
    expect(calls).toBe(2);
  });

  it("after a failure, asks again only once the retry delay has passed", async () => {
    let t = 0;
    let calls = 0;
    const logs: Record<string, unknown>[] = [];
    const id = botIdentity(
      async () => {
        calls++;
        if (calls === 1) throw new PlatformError("feishu bot info: HTTP 500", true, 500);
        return "ou_bot_later";
      },
      { now: () => t, retryAfterMs: 60_000, log: (o) => logs.push(o) },
    );
    expect(await id()).toBeUndefined();
    expect(logs).toEqual([{ level: "warn", msg: "feishu bot identity lookup failed", error: "feishu bot info: HTTP 500" }]);
    t = 30_000;
    expect(await id()).toBeUndefined();
    expect(calls).toBe(1);
    t = 61_000;
    expect(await id()).toBe("ou_bot_later");
    expect(calls).toBe(2);
  });
});
