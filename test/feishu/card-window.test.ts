// Feishu JSON 2.0 cards can be updated for 14 days only (https://open.larksuite.com/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/patch:
// later PATCHes fail with 230031). A change to a ticket whose card is older posts a fresh ticket card as a
// reply to it, in its thread, and later changes update that copy; nothing is dead-lettered.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupMention } from "../support/feishu-events.js";
import { expectValidCard, startFeishuStack, statusOf, textOf, type FeishuStack } from "../support/feishu-stack.js";

const DAY = 24 * 3_600_000;
let clock = new Date("2025-05-21T02:00:00Z"); // Wed 10:00 Asia/Shanghai
let f: FeishuStack;
beforeAll(async () => {
  f = await startFeishuStack({ now: () => clock });
});
afterAll(() => f.close());

const ZHANG = "ou_handler_zhang";
const cardCalls = () => f.fake.cards();

describe("a Feishu ticket card older than 14 days", () => {
  it("is not PATCHed: a fresh card goes out as a reply in its thread and becomes the copy later changes update", async () => {
    await f.deliver(groupMention("@_user_1 客户说导出报表一直转圈", { messageId: "om_src_window", senderId: "ou_reporter_liu" }));
    await f.s.idle();
    const t = await f.s.db.ticket.findFirstOrThrow({ where: { messageId: "om_src_window" } });
    const [first] = await f.s.db.cardRef.findMany({ where: { ticketId: t.id } });
    expect(first).toMatchObject({ platform: "feishu", chatId: "oc_group1", retiredAt: null });

    // Fifteen days later the handler claims it by command.
    clock = new Date(clock.getTime() + 15 * DAY);
    const before = cardCalls().length;
    await f.deliver(groupMention(`@_user_1 /claim ${t.number}`, { messageId: "om_claim_window", senderId: ZHANG }));
    await f.s.idle();
    const sent = cardCalls().slice(before);
    expect(sent.filter((c) => c.method === "PATCH")).toEqual([]);
    const replies = f.fake.calls.filter((c) => c.method === "POST" && c.path === `/open-apis/im/v1/messages/${first!.ref}/reply` && (c.body as { msg_type?: string }).msg_type === "interactive");
    expect(replies).toHaveLength(1);
    const fresh = expectValidCard(sent.find((c) => c.method === "POST")!.card);
    expect(statusOf(fresh)).toBe("处理中");
    expect(textOf(fresh)).toContain("客户说导出报表一直转圈");

    // The old copy is retired (replies in its thread still find the ticket); the fresh one is the live copy.
    const refs = await f.s.db.cardRef.findMany({ where: { ticketId: t.id }, orderBy: { id: "asc" } });
    expect(refs.map((r) => [r.ref, r.retiredAt !== null])).toEqual([
      [first!.ref, true],
      [sent.find((c) => c.method === "POST")!.messageId, false],
    ]);
    expect(refs[1]!.createdAt.toISOString()).toBe(clock.toISOString());

    // The next change updates the fresh copy in place, and the old one is left alone.
    const mid = cardCalls().length;
    await f.deliver(groupMention(`@_user_1 /progress ${t.number} 已定位到导出服务超时`, { messageId: "om_progress_window", senderId: ZHANG }));
    await f.s.idle();
    const next = cardCalls().slice(mid);
    expect(next.map((c) => [c.method, c.messageId])).toEqual([["PATCH", refs[1]!.ref]]);
    expect(textOf(expectValidCard(next[0]!.card))).toContain("已定位到导出服务超时");

    const outbox = await f.s.db.outboundMessage.findMany({ where: { ticketId: t.id } });
    expect(outbox.filter((o) => o.status !== "sent" && o.status !== "superseded")).toEqual([]);
  });

  it("a card Feishu refuses to update (230031) inside the window is replaced the same way, not dead-lettered", async () => {
    await f.deliver(groupMention("@_user_1 客户说发票无法下载", { messageId: "om_src_refused", senderId: "ou_reporter_liu" }));
    await f.s.idle();
    const t = await f.s.db.ticket.findFirstOrThrow({ where: { messageId: "om_src_refused" } });
    const [first] = await f.s.db.cardRef.findMany({ where: { ticketId: t.id } });
    const before = cardCalls().length;
    const patch = `/open-apis/im/v1/messages/${first!.ref}`;
    f.fake.failWhen((c) => c.method === "PATCH" && c.path === patch, { status: 400, body: { code: 230031, msg: "The message has exceeded the update time limit." } });
    await f.deliver(groupMention(`@_user_1 /claim ${t.number}`, { messageId: "om_claim_refused", senderId: ZHANG }));
    await f.s.idle();
    const sent = cardCalls().slice(before);
    expect(sent.map((c) => c.method)).toEqual(["POST"]);
    expect(f.fake.calls.filter((c) => c.path === `${patch}/reply`)).toHaveLength(1);
    expect(statusOf(expectValidCard(sent[0]!.card))).toBe("处理中");
    const refs = await f.s.db.cardRef.findMany({ where: { ticketId: t.id }, orderBy: { id: "asc" } });
    expect(refs.map((r) => r.retiredAt !== null)).toEqual([true, false]);
    expect(await f.s.db.outboundMessage.count({ where: { ticketId: t.id, status: "dead" } })).toBe(0);
  });
});
