// Tickets from messages already in the conversation, through the real Feishu routes and the fake open
// platform: a staff member's reaction on a customer's message, and an @bot reply in a thread (its root).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processPendingInbound } from "../../src/app/inbound.js";
import { apiMessage } from "../fakes/feishu-server.js";
import { reactionEvent, threadReply } from "../support/feishu-events.js";
import { expectValidCard, startFeishuStack, textOf, type FeishuStack } from "../support/feishu-stack.js";

let clock = new Date("2025-05-21T02:00:00Z");
let f: FeishuStack;
beforeAll(async () => {
  f = await startFeishuStack({ now: () => clock });
});
afterAll(() => f.close());

const WANG = "ou_lead_wang"; // 王主管, in people
const SUN = "ou_customer_sun"; // a customer in the group, not in people
const gets = (id: string) => f.fake.calls.filter((c) => c.method === "GET" && c.path === `/open-apis/im/v1/messages/${id}`);
const ticketOf = (messageId: string) => f.s.db.ticket.findMany({ where: { messageId } });

describe("a reaction turns a message into a ticket", () => {
  it("OK by a staff member on a customer's message: the message is fetched, the author is the source, the reactor the reporter", async () => {
    f.fake.messages.set("om_cust_1", apiMessage({ messageId: "om_cust_1", senderId: SUN, text: "你们的APP扫码付款一直失败，提示网络异常" }));
    const res = await f.deliver(reactionEvent({ messageId: "om_cust_1", userId: WANG }));
    expect(res).toEqual({ status: 200, body: {} });
    await f.s.idle();
    expect(gets("om_cust_1")).toHaveLength(1);
    expect(gets("om_cust_1")[0]!.headers.authorization).toBe("Bearer t-fake-tenant-token");
    const [t, ...more] = await ticketOf("om_cust_1");
    expect(more).toEqual([]);
    expect(t).toMatchObject({ description: "你们的APP扫码付款一直失败，提示网络异常", reporterId: WANG, reporterName: "王主管", sourceUserId: SUN, chatId: "oc_group1", platform: "feishu" });
    const created = await f.s.db.ticketEvent.findFirstOrThrow({ where: { ticketId: t!.id, kind: "created" } });
    expect(JSON.parse(created.payload)).toMatchObject({ via: "reaction", author: SUN });
    // The card answers the customer's message in its thread, and says who wrote it.
    const reply = f.fake.calls.find((c) => c.path === "/open-apis/im/v1/messages/om_cust_1/reply");
    expect(reply).toBeDefined();
    const card = expectValidCard(f.fake.cards().find((c) => c.method === "POST" && c.card && JSON.stringify(c.card).includes(t!.number))!.card);
    expect(textOf(card)).toContain(`王主管（消息作者：${SUN}）`);
  });

  it("the same reaction re-pushed, and a second staff member's reaction, make no second ticket", async () => {
    await f.deliver(reactionEvent({ messageId: "om_cust_1", userId: WANG }));
    await f.deliver(reactionEvent({ messageId: "om_cust_1", userId: "ou_handler_zhang" }));
    await f.s.idle();
    expect(await ticketOf("om_cust_1")).toHaveLength(1);
  });

  it("ignores other emoji, people not in the workflow file, the bot's own reactions and our own cards", async () => {
    f.fake.messages.set("om_cust_2", apiMessage({ messageId: "om_cust_2", senderId: SUN, text: "发票抬头开错了" }));
    f.fake.messages.set("om_card_x", apiMessage({ messageId: "om_card_x", senderType: "app", senderId: "cli_app", msgType: "interactive", content: {} }));
    await f.deliver(reactionEvent({ messageId: "om_cust_2", userId: WANG, emoji: "THUMBSUP" }));
    await f.deliver(reactionEvent({ messageId: "om_cust_2", userId: "ou_stranger" }));
    await f.deliver(reactionEvent({ messageId: "om_cust_2", userId: WANG, operatorType: "app" }));
    await f.deliver(reactionEvent({ messageId: "om_card_x", userId: WANG }));
    await f.s.idle();
    expect(await ticketOf("om_cust_2")).toEqual([]);
    expect(await ticketOf("om_card_x")).toEqual([]);
    expect(gets("om_cust_2")).toHaveLength(0); // decided before any API call
  });

  it("a failing message API is retried later, not dropped", async () => {
    f.fake.messages.set("om_cust_3", apiMessage({ messageId: "om_cust_3", senderId: SUN, text: "合同附件下载不了，点下载没反应" }));
    f.fake.outage({ status: 500 }, "/open-apis/im/v1/messages/om_cust_3");
    await f.deliver(reactionEvent({ messageId: "om_cust_3", userId: WANG }));
    await f.s.idle();
    expect(await ticketOf("om_cust_3")).toEqual([]);
    expect(await f.s.db.inboundEvent.findFirstOrThrow({ where: { id: { contains: "om_cust_3" } } })).toMatchObject({ status: "pending", attempts: 1 });
    f.fake.outage(undefined);
    clock = new Date(clock.getTime() + 60_000);
    await processPendingInbound(f.s.ctx);
    await f.s.idle();
    expect(await ticketOf("om_cust_3")).toHaveLength(1);
  });
});

describe("an @bot reply in a thread takes the thread's root into the ticket", () => {
  it("root text first, then the reply; the root's author is the source, the replier the reporter", async () => {
    clock = new Date("2025-05-21T03:00:00Z");
    f.fake.messages.set("om_root_1", apiMessage({ messageId: "om_root_1", senderId: SUN, text: "考勤打卡定位不准，在公司也显示外勤" }));
    await f.deliver(threadReply("om_root_1", "@_user_1 客户: 星巴克", { messageId: "om_reply_1", senderId: "ou_handler_zhang" }));
    await f.s.idle();
    expect(gets("om_root_1")).toHaveLength(1);
    const [t] = await ticketOf("om_reply_1");
    expect(t).toMatchObject({ description: "考勤打卡定位不准，在公司也显示外勤", customerName: "星巴克", reporterId: "ou_handler_zhang", sourceUserId: SUN });
  });
});
