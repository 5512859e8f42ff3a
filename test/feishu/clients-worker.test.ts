// With processing on the worker thread (CHATDESK_PROCESSING=worker), the HTTP thread sends nothing
// itself: it calls Feishu only to learn the bot's identity, through the fetch sender, so it never loads
// the official SDK (~100 MB resident); the worker delivers every card and message through the SDK.
process.env.CHATDESK_PROCESSING = "worker";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createSharedClock } from "../../src/adapter/node/clock.js";
import { groupMention } from "../support/feishu-events.js";
import { startFeishuStack, type FeishuStack } from "../support/feishu-stack.js";

const clock = createSharedClock();
clock.pin(new Date("2025-05-21T02:00:00Z"));
let f: FeishuStack;
beforeAll(async () => {
  f = await startFeishuStack({ sharedClock: clock });
  expect(f.s.processing).toBe("worker");
});
afterAll(() => f.close());

it("the bot's identity is asked over fetch on the HTTP thread; the ticket card goes out through the SDK", async () => {
  expect((await f.deliver(groupMention("@_user_1 客户说系统报错无法登录", { messageId: "om_clients", senderId: "ou_reporter_liu" }))).status).toBe(200);
  await f.s.idle();
  const agent = (path: RegExp) => f.fake.calls.filter((c) => path.test(c.path)).map((c) => String(c.headers["user-agent"]));
  // undici's fetch says "node"; the SDK names itself (oapi-node-sdk/<version>).
  expect(agent(/\/bot\/v3\/info$/)).toEqual(["node"]);
  const sent = agent(/\/im\/v1\/messages/);
  expect(sent.length).toBeGreaterThan(0);
  for (const a of sent) expect(a).toMatch(/^oapi-node-sdk\//);
});
