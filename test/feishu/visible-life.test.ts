// Issue 12: what people read on Feishu through a ticket life — names not ids, labels not codes, the role
// words, and the name of a reporter who is not in the workflow file (contact API, cached after the ack).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupMention } from "../support/feishu-events.js";
import { expectValidCard, startFeishuStack, valueFor, type FeishuStack, type Json } from "../support/feishu-stack.js";
import { feishuCardTexts } from "../support/visible-text.js";

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
    await f.click({ operatorId: "ou_handler_zhang", messageId: cardId, value: valueFor(card(), "priority"), option: "urgent" } as never);
    await f.s.idle();
    const text = visible();
    expect(text).toContain("张三 认领");
    expect(text).not.toMatch(/ou_[a-z]|in_progress|\bopen\b|urgent|medium/);
    expect(((card().header as Json).text_tag_list as Json[]).map((t) => (t.text as Json).content)).toContain("处理中");
  });
});
