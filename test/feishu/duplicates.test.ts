// Duplicate detection at intake through the real Feishu routes: a second ticket in the same group that
// says the same thing in other words is offered for merging; 合并到 and 不是重复 from the card.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupMention } from "../support/feishu-events.js";
import { actionsOf, expectValidCard, responseCard, startFeishuStack, statusOf, textOf, valueFor, type FeishuStack, type Json } from "../support/feishu-stack.js";

let clock = new Date("2025-05-21T02:00:00Z"); // Wed 10:00 Asia/Shanghai
let f: FeishuStack;
beforeAll(async () => {
  f = await startFeishuStack({ now: () => clock });
});
afterAll(() => f.close());

const LIU = "ou_reporter_liu";
const CHEN = "ou_reporter_chen";
const WANG = "ou_lead_wang";

/** The newest copy of the card the fake holds for the ticket whose source message is `source`. */
async function cardOf(number: string): Promise<Json> {
  const t = await f.s.db.ticket.findUniqueOrThrow({ where: { number }, include: { cards: true } });
  const refs = new Set(t.cards.map((c) => c.ref));
  const copies = f.fake.cards().filter((c) => refs.has(c.messageId));
  return expectValidCard(copies.at(-1)!.card);
}

async function submit(text: string, messageId: string, senderId: string): Promise<string> {
  await f.deliver(groupMention(`@_user_1 ${text}`, { messageId, senderId }));
  await f.s.idle();
  return (await f.s.db.ticket.findFirstOrThrow({ where: { messageId } })).number;
}

describe("duplicate detection on Feishu", () => {
  let first = "";
  let second = "";

  it("a ticket that says the same in other words is flagged on its reply card, with the other's title and status", async () => {
    first = await submit("客户说导出 excel 报表时一直转圈，十分钟都导不出来", "om_dup_1", LIU);
    expect(actionsOf(await cardOf(first))).not.toContain("not_duplicate");
    clock = new Date("2025-05-21T03:00:00Z");
    second = await submit("excel 报表导出一直转圈，等十分钟也导不出来", "om_dup_2", CHEN);
    const t2 = await f.s.db.ticket.findUniqueOrThrow({ where: { number: second } });
    expect(t2.duplicateOfId).not.toBeNull();
    expect(t2.duplicateScore).toBeGreaterThanOrEqual(0.3);
    const card = await cardOf(second);
    expect(textOf(card)).toContain(`⚠️ 可能与 ${first} 重复：客户说导出 excel 报表时一直转圈，十分钟都导不出来（待处理）`);
    expect(actionsOf(card)).toEqual(expect.arrayContaining(["merge", "not_duplicate"]));
    expect(valueFor(card, "merge")).toMatchObject({ action: "merge", ticket: second, into: first });
    // Different problem, same group and shared words: no suggestion.
    const other = await submit("客户说报表里的销售额统计不对，比实际少一半", "om_dup_3", LIU);
    expect((await f.s.db.ticket.findUniqueOrThrow({ where: { number: other } })).duplicateOfId).toBeNull();
  });

  it("a handler may not merge; the reporter merges into the suggested ticket and both cards change", async () => {
    const refused = await f.click({ operatorId: "ou_handler_zhang", value: valueFor(await cardOf(second), "merge") });
    expect(refused.body.toast).toMatchObject({ type: "warning" });
    expect(String((refused.body.toast as Json).content)).toContain("没有权限");
    expect((await f.s.db.ticket.findUniqueOrThrow({ where: { number: second } })).status).toBe("open");

    // The duplicate had progress and an attachment before it was merged.
    const dup = await f.s.db.ticket.findUniqueOrThrow({ where: { number: second } });
    await f.s.db.attachment.create({ data: { ticketId: dup.id, platform: "feishu", kind: "image", fileKey: "img_dup_shot", messageId: "om_dup_2" } });
    await f.click({ operatorId: "ou_lead_wang", value: { action: "note", ticket: second }, name: "x", formValue: { text: "客户补充：只有 Chrome 上这样" } });
    await f.s.idle();
    const res = await f.click({ operatorId: CHEN, value: valueFor(await cardOf(second), "merge") });
    expect(res.body.toast).toMatchObject({ type: "success" });
    expect(statusOf(responseCard(res.body))).toBe("已合并");
    await f.s.idle();
    const t2 = await f.s.db.ticket.findUniqueOrThrow({ where: { number: second } });
    const t1 = await f.s.db.ticket.findUniqueOrThrow({ where: { number: first } });
    expect(t2).toMatchObject({ status: "merged", mergedIntoId: t1.id, duplicateOfId: null });
    expect(textOf(await cardOf(second))).toContain(`已合并到 ${first}`);
    // The target counts one more report, holds the attachment and the carried-over note, and its card says so.
    expect(t1).toMatchObject({ status: "open", reportCount: 2, version: 2 });
    expect(await f.s.db.attachment.findMany({ where: { fileKey: "img_dup_shot" }, select: { ticketId: true } })).toEqual([{ ticketId: t1.id }]);
    const carried = await f.s.db.ticketEvent.findMany({ where: { ticketId: t1.id }, orderBy: { id: "asc" } });
    expect(carried.map((e) => e.kind)).toEqual(["created", "merged_in", "note"]);
    expect(JSON.parse(carried[1]!.payload)).toMatchObject({ from: second, reporterId: CHEN, votes: 1 });
    expect(JSON.parse(carried[2]!.payload)).toMatchObject({ text: "客户补充：只有 Chrome 上这样", mergedFrom: second });
    const target = await cardOf(first);
    expect(textOf(target)).toMatch(/报告次数\n2/);
    expect(textOf(target)).toContain("附件：1 个（1 张图片）");
    expect(textOf(target)).toContain(`合并入重复工单：${second}`);

    // Both reporters hear when the target moves on.
    clock = new Date("2025-05-21T03:30:00Z"); // the outbox paces each chat by the clock
    const claim = await f.click({ operatorId: "ou_handler_zhang", value: valueFor(target, "claim") });
    expect(claim.body.toast).toEqual({ type: "success", content: "认领成功" });
    await f.s.idle();
    const told = f.fake.calls.filter((c) => String((c.content as Json | undefined)?.text ?? "").includes(`${first} 状态更新为「处理中」`));
    expect(told).toHaveLength(1);
    expect(String((told[0]!.content as Json).text)).toBe(`<at user_id="${LIU}"></at> <at user_id="${CHEN}"></at> 你提报的工单 ${first} 状态更新为「处理中」。`);
    expect(actionsOf(await cardOf(second))).not.toContain("merge");
  });

  it("不是重复 dismisses the suggestion and the buttons go away", async () => {
    clock = new Date("2025-05-21T04:00:00Z");
    const third = await submit("excel 报表导出一直在转圈，十分钟还是导不出来", "om_dup_4", CHEN);
    const card = await cardOf(third);
    expect(textOf(card)).toContain(`可能与 ${first} 重复`);
    const res = await f.click({ operatorId: WANG, value: valueFor(card, "not_duplicate") });
    expect(res.body.toast).toEqual({ type: "success", content: "不是重复成功" });
    await f.s.idle();
    const t3 = await f.s.db.ticket.findUniqueOrThrow({ where: { number: third } });
    expect(t3).toMatchObject({ status: "open", duplicateOfId: null });
    const after = await cardOf(third);
    expect(textOf(after)).not.toContain("可能与");
    expect(actionsOf(after)).not.toContain("not_duplicate");
  });
});
