// Issue 12: what people read on Feishu through a ticket life — names not ids, labels not codes, the role
// words, and the name of a reporter who is not in the workflow file (contact API, cached after the ack).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupMention } from "../support/feishu-events.js";
import { expectValidCard, startFeishuStack, valueFor, type FeishuStack, type Json } from "../support/feishu-stack.js";
import { feishuCardTexts, feishuTextVisible } from "../support/visible-text.js";

let clock = new Date("2025-05-21T02:00:00Z");
let f: FeishuStack;
beforeAll(async () => {
  f = await startFeishuStack({ now: () => clock });
  f.fake.users.set("ou_reporter_liu", { name: "刘客服" });
});
afterAll(() => f.close());

describe("Feishu: the card shows people by name and codes by label", () => {
  let cardId = "";
  const card = (): Json => expectValidCard(f.fake.cards().filter((c) => c.messageId === cardId).at(-1)!.card);
  const visible = () => feishuCardTexts(card()).join("\n");
  const tags = () => ((card().header as Json).text_tag_list as Json[]).map((t) => (t.text as Json).content);
  /** Feishu draws <at user_id> with the member's name; the test knows the people. */
  const nameOf = (id: string) => ({ ou_reporter_liu: "刘客服", ou_handler_zhang: "张三" })[id];
  /** Text messages since call index `from`: the message they reply to (the thread) and what they read. */
  const textsSince = (from: number) =>
    f.fake.calls
      .slice(from)
      .filter((c) => (c.body as Json | undefined)?.msg_type === "text")
      .map((c) => ({ thread: /\/messages\/([^/]+)\/reply$/.exec(c.path)?.[1] ?? `chat:${String((c.body as Json).receive_id)}`, text: feishuTextVisible(String((c.content as Json).text), nameOf) }));

  it("created, claimed, progressed: 处理人 / 提报人 by name, 状态 labels, no ou_ ids, no raw codes", async () => {
    await f.deliver(groupMention("@_user_1 客户说导出报表一直转圈", { messageId: "om_vis", senderId: "ou_reporter_liu" }));
    await f.s.idle();
    cardId = f.fake.cards()[0]!.messageId;
    expect(await f.s.db.personName.findUnique({ where: { platform_userId: { platform: "feishu", userId: "ou_reporter_liu" } } })).toMatchObject({ name: "刘客服", source: "api" });
    expect(visible()).toContain("提报人\n刘客服");
    expect(visible()).toContain("处理人\n张三");
    expect(visible()).toContain("刘客服 创建工单");

    clock = new Date("2025-05-21T02:20:00Z");
    await f.click({ operatorId: "ou_handler_zhang", messageId: cardId, chatId: "oc_group1", value: valueFor(card(), "claim") });
    await f.s.idle();
    await f.click({ operatorId: "ou_handler_zhang", messageId: cardId, value: valueFor(card(), "progress"), name: "progress_form_submit", formValue: { text: "已联系客户" } });
    await f.s.idle();
    // Priority is the lead's (王主管): the event reads with labels on both sides.
    await f.click({ operatorId: "ou_lead_wang", messageId: cardId, value: valueFor(card(), "priority"), option: "urgent" } as never);
    await f.s.idle();
    const text = visible();
    expect(text).toContain("张三 认领");
    expect(text).toContain("张三 进展：已联系客户");
    expect(text).toContain("王主管 调整优先级：中 → 紧急");
    expect(text).toContain("优先级\n紧急");
    expect(text).not.toMatch(/ou_[a-z]|in_progress|\bopen\b|urgent|medium/);
    expect(tags()).toEqual(["处理中", "紧急"]);
  });

  it("resolved, confirmed with ★4, closed: names, 状态 / 满意度 in words, the reporter @ by name in their message's thread", async () => {
    clock = new Date("2025-05-21T03:00:00Z");
    const before = f.fake.calls.length;
    await f.click({ operatorId: "ou_handler_zhang", messageId: cardId, value: valueFor(card(), "resolve"), name: "resolve_form_submit", formValue: { result: "已发布 v3.2.1 修复" } });
    await f.s.idle();
    let text = visible();
    expect(tags()).toEqual(["待确认", "紧急"]);
    expect(text).toContain("处理结果\n已发布 v3.2.1 修复");
    expect(text).toContain("张三 已解决：已发布 v3.2.1 修复");
    // The reporter is asked, by name, in the thread of their message — where the card was posted too.
    expect(f.fake.calls.find((c) => c.path.endsWith("/reply") && (c.body as Json).msg_type === "interactive")?.path).toBe("/open-apis/im/v1/messages/om_vis/reply");
    expect(textsSince(before)).toEqual([{ thread: "om_vis", text: "@刘客服 工单 FB20250521001 已解决，请与客户确认结果并记录满意度。" }]);

    clock = new Date("2025-05-21T04:00:00Z");
    const beforeConfirm = f.fake.calls.length;
    await f.click({ operatorId: "ou_reporter_liu", messageId: cardId, value: valueFor(card(), "confirm"), name: "confirm_form_submit", formValue: { score: "4", comment: "客户很满意" } });
    await f.s.idle();
    text = visible();
    expect(tags()).toEqual(["已关闭", "紧急"]);
    expect(text).toContain("满意度\n★★★★☆ 满意");
    expect(text).toContain("刘客服 确认解决：★★★★☆ 满意 · 客户很满意");
    expect(text).toContain("提报人\n刘客服");
    expect(text).toContain("处理人\n张三");
    expect(text).not.toMatch(/ou_[a-z]|in_progress|\b(open|closed|resolved)\b|urgent|medium|\bscore\b|"4"/);
    expect(textsSince(beforeConfirm)).toEqual([{ thread: "om_vis", text: "@刘客服 你提报的工单 FB20250521001 状态更新为「已关闭」。" }]);
    expect(await f.s.db.ticket.findFirstOrThrow({ where: { messageId: "om_vis" } })).toMatchObject({ status: "closed", satisfaction: 4, customerComment: "客户很满意" });
  });
});
