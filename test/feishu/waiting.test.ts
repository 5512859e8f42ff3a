// Waiting on the customer through Feishu's real routes: encrypted, signed events and card callbacks,
// the real SDK sender talking to the fake Feishu. The handler pauses the clock from the card's form
// (who + reason), the card says 已暂停 …, the handler resumes from the card, pauses again, and the
// reporter's reply in the ticket's thread resumes it; the deadline moves on by the paused working time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activeMinutes } from "../../src/core/sla.js";
import { closedPauses } from "../../src/core/waiting.js";
import { groupMention, threadReply } from "../support/feishu-events.js";
import { feishuLiveMarkup, feishuMarkdowns } from "../support/visible-text.js";
import { actionsOf, formsOf, responseCard, startFeishuStack, textOf, valueFor, type FeishuStack, type Json } from "../support/feishu-stack.js";

let clock = new Date("2025-05-21T02:00:00Z"); // Wed 10:00 Asia/Shanghai, a working day
let f: FeishuStack;
beforeAll(async () => {
  f = await startFeishuStack({ now: () => clock });
});
afterAll(() => f.close());

const REPORTER = "ou_reporter_liu";
const ZHANG = "ou_handler_zhang";
const SOURCE = "om_src_wait";
const at = (local: string) => (clock = new Date(`${local.replace(" ", "T")}:00+08:00`));

describe("waiting on the customer, through Feishu", () => {
  let number = "";
  let cardId = "";
  const groupCard = (): Json => {
    const copies = f.fake.cards().filter((c) => c.messageId === cardId);
    return copies[copies.length - 1]!.card as Json;
  };
  const ticket = () => f.s.db.ticket.findUniqueOrThrow({ where: { number } });

  it("the handler pauses from the card with who and why; the card says so", async () => {
    await f.deliver(groupMention("@_user_1 客户说导出报表一直转圈 #高", { messageId: SOURCE, senderId: REPORTER }));
    await f.s.idle();
    const t = await f.s.db.ticket.findFirstOrThrow({ where: { messageId: SOURCE } });
    number = t.number;
    cardId = f.fake.cards()[0]!.messageId;
    await f.click({ operatorId: ZHANG, messageId: cardId, value: valueFor(groupCard(), "claim") });
    await f.s.idle();
    expect(formsOf(groupCard())).toContain("wait_form");

    at("2025-05-21 11:00");
    const res = await f.click({
      operatorId: ZHANG,
      messageId: cardId,
      value: valueFor(groupCard(), "wait"),
      name: "wait_form_submit",
      formValue: { waiting_on: "customer", waiting_reason: "已请客户提供 <b>日志</b> [链接](http://x.test)" },
    });
    expect(res.body.toast).toEqual({ type: "success", content: "暂停计时（待反馈）成功" });
    const answered = responseCard(res.body);
    expect(actionsOf(answered)).toContain("resume");
    expect(formsOf(answered)).not.toContain("wait_form");
    // User text stays text: no link, no markup.
    expect(textOf(answered)).toContain("⏸ 待客户反馈 · 已暂停 0 分钟：已请客户提供 <b>日志</b> [链接](http://x.test)（张三，05-21 11:00 起；恢复后时限顺延）");
    expect(feishuMarkdowns(answered).flatMap((m) => feishuLiveMarkup(m))).toEqual([]);
    await f.s.idle();
    expect(await ticket()).toMatchObject({ waitingOn: "customer", waitingBy: "张三" });
    expect(groupCard()).toEqual(answered);
  });

  it("resume from the card: the deadline moves on by the working time paused", async () => {
    const before = await ticket();
    at("2025-05-21 15:00"); // 11–12 and 13–15: 3 working hours paused
    const res = await f.click({ operatorId: ZHANG, messageId: cardId, value: valueFor(groupCard(), "resume") });
    expect(res.body.toast).toEqual({ type: "success", content: "恢复计时成功" });
    await f.s.idle();
    const t = await ticket();
    expect(t.waitingSince).toBeNull();
    expect(closedPauses(t)).toEqual([{ from: new Date("2025-05-21T03:00:00Z"), to: new Date("2025-05-21T07:00:00Z") }]);
    expect(activeMinutes(f.s.ctx.calendar, "working", before.resolutionDueAt, t.resolutionDueAt, [])).toBe(180);
    expect(textOf(groupCard())).toContain("累计暂停 3 小时（工作时间）");
    expect(formsOf(groupCard())).toContain("wait_form");
  });

  it("the reporter's reply in the ticket's thread resumes a pause", async () => {
    at("2025-05-21 16:00");
    await f.click({ operatorId: ZHANG, messageId: cardId, value: valueFor(groupCard(), "wait"), name: "wait_form_submit", formValue: { waiting_on: "third_party", waiting_reason: "等待供应商补丁" } });
    await f.s.idle();
    expect(await ticket()).toMatchObject({ waitingOn: "third_party" });
    expect(textOf(groupCard())).toContain("⏸ 待第三方 · 已暂停 0 分钟：等待供应商补丁（张三，05-21 16:00 起；恢复后时限顺延）");

    at("2025-05-22 10:00"); // 16–18 and 9–10: 3 more working hours
    const res = await f.deliver(threadReply(SOURCE, "@_user_1 供应商补丁已到", { senderId: REPORTER }));
    expect(res.status).toBe(200);
    await f.s.idle();
    const t = await ticket();
    expect(t.waitingSince).toBeNull();
    expect(closedPauses(t)).toHaveLength(2);
    expect(textOf(groupCard())).toContain("累计暂停 6 小时（工作时间）");
    expect(textOf(groupCard())).toContain("供应商补丁已到");
    const ev = await f.s.db.ticketEvent.findFirstOrThrow({ where: { ticketId: t.id, kind: "note" }, orderBy: { id: "desc" } });
    expect(ev.actorId).toBe(REPORTER);
    expect(JSON.parse(ev.payload)).toMatchObject({ resumed: true, on: "third_party" });
  });
});
