// A whole ticket life through Feishu: the real server on loopback, the real webhook routes with real
// encryption and signatures, the real SDK sender talking to the fake Feishu open platform.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSharedClock } from "../../src/adapter/node/clock.js";
import { allEvents } from "../../src/store/tickets.js";
import { groupMention, threadReply } from "../support/feishu-events.js";
import {
  actionsOf,
  callbackValues,
  expectValidCard,
  formsOf,
  responseCard,
  startFeishuStack,
  statusOf,
  textOf,
  valueFor,
  type FeishuStack,
  type Json,
} from "../support/feishu-stack.js";
import { testProcessing } from "../support/server.js";

// A clock the processing worker thread reads too (life-worker.test.ts runs this file with it).
const clock = createSharedClock();
clock.pin(new Date("2025-05-21T02:00:00Z")); // Wed 10:00 Asia/Shanghai, a working day
let f: FeishuStack;
beforeAll(async () => {
  f = await startFeishuStack({ sharedClock: clock });
  expect(f.s.processing).toBe(testProcessing());
});
afterAll(() => f.close());

const REPORTER = "ou_reporter_liu";
const ZHANG = "ou_handler_zhang";
const SOURCE = "om_src_life";

const messageCalls = () => f.fake.calls.filter((c) => c.path.startsWith("/open-apis/im/"));
const textsSent = () =>
  messageCalls()
    .filter((c) => (c.body as Json).msg_type === "text")
    .map((c) => String((c.content as Json).text));

describe("a Feishu ticket life, end to end", () => {
  let number = "";
  let cardId = "";
  /** The card as the group sees it now: the latest version the fake received for the ticket card. */
  const groupCard = (): Json => {
    const copies = f.fake.cards().filter((c) => c.messageId === cardId);
    return expectValidCard(copies[copies.length - 1]!.card);
  };
  const ticket = () => f.s.db.ticket.findUniqueOrThrow({ where: { number } });
  const patches = () => f.fake.cards().filter((c) => c.method === "PATCH");

  it("an encrypted, signed @bot message becomes a ticket and a reply card", async () => {
    const res = await f.deliver(
      groupMention("@_user_1 客户说系统报错无法登录 @_user_2 请看看\n客户: 华为技术有限公司\n联系方式: 13812345678", { messageId: SOURCE, senderId: REPORTER }),
    );
    // Acknowledged with an empty body; the work happens after the answer.
    expect(res).toEqual({ status: 200, body: {} });
    await f.s.idle();

    const t = await f.s.db.ticket.findFirstOrThrow({ where: { messageId: SOURCE } });
    number = t.number;
    expect(number).toBe("FB20250521001");
    expect(t).toMatchObject({
      status: "open",
      platform: "feishu",
      chatId: "oc_group1",
      reporterId: REPORTER,
      category: "bug",
      department: "tech",
      handlerId: "zhang",
      customerName: "华为技术有限公司",
      customerContact: "13812345678",
      version: 1,
    });
    // The bot's own mention is gone (its open_id came from /bot/v3/info); Alice's is kept by name.
    expect(t.description).toMatch(/^客户说系统报错无法登录 @Alice 请看看/);
    expect(t.description).not.toMatch(/ChatDesk|@_user/);
    expect(f.fake.calls.filter((c) => c.path === "/open-apis/bot/v3/info")).toHaveLength(1);
    expect(await f.s.db.inboundEvent.findUniqueOrThrow({ where: { id: `feishu:msg:${SOURCE}` } })).toMatchObject({ status: "done", attempts: 1 });

    // The card goes out as a reply in the source message's thread, through the SDK with a tenant token.
    const reply = messageCalls().find((c) => c.path === `/open-apis/im/v1/messages/${SOURCE}/reply`);
    expect(reply).toBeDefined();
    expect(reply!.headers.authorization).toBe("Bearer t-fake-tenant-token");
    expect(reply!.body).toMatchObject({ msg_type: "interactive" });
    const sent = f.fake.cards();
    expect(sent).toHaveLength(1);
    cardId = sent[0]!.messageId;
    expect(sent[0]!.method).toBe("POST");
    const card = groupCard();
    expect(statusOf(card)).toBe("待处理");
    expect(actionsOf(card)).toEqual(["claim", "priority", "reassign", "reject"]);
    expect(valueFor(card, "claim")).toEqual({ action: "claim", ticket: number, v: "1" });
    expect(textOf(card)).toContain("138****5678"); // contact masked on the group card
    expect(textOf(card)).not.toContain("13812345678");
    expect(await f.s.db.cardRef.findMany({ where: { ticketId: t.id }, select: { ref: true, chatId: true } })).toEqual([{ ref: cardId, chatId: "oc_group1" }]);
    // The assigned handler is @mentioned in the chat.
    expect(textsSent()).toEqual([`<at user_id="${ZHANG}"></at> 工单 ${number} 已分派给你，请及时处理。`]);
  });

  it("claim: the callback answers with the updated card, and the group card is patched in place", async () => {
    clock.pin(new Date("2025-05-21T02:20:00Z"));
    const res = await f.click({ operatorId: ZHANG, messageId: cardId, chatId: "oc_group1", value: valueFor(groupCard(), "claim") });
    expect(res.status).toBe(200);
    expect(res.body.toast).toEqual({ type: "success", content: "认领成功" });
    const answered = responseCard(res.body);
    expect(statusOf(answered)).toBe("处理中");
    expect(actionsOf(answered)).not.toContain("claim");
    expect(formsOf(answered)).toEqual(["progress_form", "resolve_form", "block_form", "wait_form"]);
    await f.s.idle();

    const t = await ticket();
    expect(t).toMatchObject({ status: "in_progress", handlerId: "zhang", version: 2 });
    expect(t.firstResponseAt?.toISOString()).toBe("2025-05-21T02:20:00.000Z");
    expect(patches().map((p) => p.messageId)).toEqual([cardId]);
    // The patch carries exactly the card the clicker saw in the answer.
    expect(groupCard()).toEqual(answered);
    expect(textOf(groupCard())).toContain("张三");
    // The reporter hears about the status change, in the ticket's thread.
    const last = messageCalls().at(-1)!;
    expect(last.path).toBe(`/open-apis/im/v1/messages/${SOURCE}/reply`);
    expect(last.content).toEqual({ text: `<at user_id="${REPORTER}"></at> 你提报的工单 ${number} 状态更新为「处理中」。` });
  });

  it("progress from the card's form, then from a reply in the ticket's thread", async () => {
    clock.pin(new Date("2025-05-21T03:00:00Z"));
    const res = await f.click({
      operatorId: ZHANG,
      messageId: cardId,
      value: valueFor(groupCard(), "progress"),
      name: "progress_form_submit",
      formValue: { text: "已定位到认证服务超时" },
    });
    expect(res.body.toast).toEqual({ type: "success", content: "提交进展成功" });
    await f.s.idle();
    expect(await ticket()).toMatchObject({ status: "in_progress", version: 3 });
    expect(textOf(groupCard())).toContain("已定位到认证服务超时");

    // A handler's reply in the thread (Feishu sets root_id to the thread's first message) is progress.
    clock.pin(new Date("2025-05-21T03:30:00Z"));
    const reply = await f.deliver(threadReply(SOURCE, "@_user_1 热修复已提交测试", { senderId: ZHANG }));
    expect(reply.status).toBe(200);
    await f.s.idle();
    const t = await ticket();
    expect(t).toMatchObject({ version: 4 });
    expect(t.lastProgressAt.toISOString()).toBe("2025-05-21T03:30:00.000Z");
    expect(textOf(groupCard())).toContain("热修复已提交测试");
    expect(textsSent().at(-1)).toBe(`已记录到工单 ${number}。`);
    expect(patches().map((p) => p.messageId)).toEqual([cardId, cardId, cardId]);
  });

  it("resolve with a result: the card asks the reporter to confirm and rate", async () => {
    clock.pin(new Date("2025-05-21T06:00:00Z"));
    const res = await f.click({
      operatorId: ZHANG,
      messageId: cardId,
      value: valueFor(groupCard(), "resolve"),
      name: "resolve_form_submit",
      formValue: { result: "已发布 v3.2.1 修复" },
    });
    expect(res.body.toast).toEqual({ type: "success", content: "标记已解决成功" });
    const answered = responseCard(res.body);
    expect(statusOf(answered)).toBe("待确认");
    expect(formsOf(answered)).toEqual(["confirm_form", "reopen_form"]);
    await f.s.idle();
    const t = await ticket();
    expect(t).toMatchObject({ status: "resolved", result: "已发布 v3.2.1 修复", version: 5 });
    expect(t.resolvedAt?.toISOString()).toBe("2025-05-21T06:00:00.000Z");
    expect(groupCard()).toEqual(answered);
    expect(textsSent().at(-1)).toBe(`<at user_id="${REPORTER}"></at> 工单 ${number} 已解决，请与客户确认结果并记录满意度。`);
  });

  it("the reporter confirms with a rating: closed, satisfaction stored, card final", async () => {
    clock.pin(new Date("2025-05-21T07:00:00Z"));
    const res = await f.click({
      operatorId: REPORTER,
      messageId: cardId,
      value: valueFor(groupCard(), "confirm"),
      name: "confirm_form_submit",
      formValue: { score: "5", comment: "客户很满意" },
    });
    expect(res.body.toast).toEqual({ type: "success", content: "确认解决成功" });
    const answered = responseCard(res.body);
    expect(statusOf(answered)).toBe("已关闭");
    expect((answered.header as Json).template).toBe("green");
    expect(formsOf(answered)).toEqual(["reopen_form"]); // the reporter may still reopen; nothing else
    expect(actionsOf(answered)).toEqual(["reopen"]);
    expect(textOf(answered)).toContain("★★★★★");
    await f.s.idle();

    const t = await ticket();
    expect(t).toMatchObject({ status: "closed", satisfaction: 5, customerComment: "客户很满意", version: 6 });
    expect(t.closedAt?.toISOString()).toBe("2025-05-21T07:00:00.000Z");
    const ratings = await f.s.db.satisfaction.findMany({ where: { ticketId: t.id } });
    expect(ratings).toHaveLength(1);
    expect(ratings[0]).toMatchObject({ score: 5, comment: "客户很满意", actorId: REPORTER });
    expect(ratings[0]!.at.toISOString()).toBe("2025-05-21T07:00:00.000Z");

    const events = await allEvents(f.s.db, t.id);
    expect(events.map((e) => e.kind)).toEqual(["created", "claimed", "progress", "progress", "resolved", "confirmed"]);
    expect(events.map((e) => e.ticketVersion)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.map((e) => e.actorId)).toEqual([REPORTER, ZHANG, ZHANG, ZHANG, ZHANG, REPORTER]);
    expect(events.map((e) => e.source)).toEqual(["message", "card", "card", "command", "card", "card"]);
    expect(JSON.parse(events[5]!.payload)).toMatchObject({ from: "resolved", to: "closed", score: 5, comment: "客户很满意" });
  });

  it("the fake saw one card message, patched in place once per change, every version valid", () => {
    const cards = f.fake.cards();
    expect(cards.map((c) => [c.method, c.messageId])).toEqual([["POST", cardId], ...Array(5).fill(["PATCH", cardId])]);
    for (const c of cards) expectValidCard(c.card);
    expect(cards.map((c) => statusOf(c.card))).toEqual(["待处理", "处理中", "处理中", "处理中", "待确认", "已关闭"]);
    // Each version's buttons carry that version, so a click on an outdated copy is refused.
    expect(cards.map((c) => callbackValues(c.card)[0]!.v)).toEqual(["1", "2", "3", "4", "5", "6"]);
    // One tenant token per SDK client: the HTTP thread's, and the processing worker's when there is one.
    expect(f.fake.tokenRequests()).toBe(testProcessing() === "worker" ? 2 : 1);
  });
});
