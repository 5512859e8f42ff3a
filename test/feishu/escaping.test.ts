// Issue 13.2: user text on the bot's own Feishu cards and messages stays text. A ticket whose every field
// carries link, @all, colour, heading and code markup goes through the real routes; what the fake Feishu
// received must show those strings literally and contain no live markup but ChatDesk's own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupMention, threadReply } from "../support/feishu-events.js";
import { expectValidCard, startFeishuStack, valueFor, type FeishuStack, type Json } from "../support/feishu-stack.js";
import { feishuCardTexts, feishuLiveMarkup, feishuMarkdowns, feishuTextVisible } from "../support/visible-text.js";

const LINK = "[华为官方](https://evil.example)";
const AT_ALL = "<at id=all></at>";
const FONT = "<font color=red>紧急</font>";
const REPORTER = "ou_reporter_liu";
const ZHANG = "ou_handler_zhang";

let clock = new Date("2025-05-21T02:00:00Z");
let f: FeishuStack;
beforeAll(async () => {
  f = await startFeishuStack({ now: () => clock });
});
afterAll(() => f.close());

/** Everything the fake received: every card (sent or patched) and every text message. */
const received = () => ({
  cards: f.fake.cards().map((c) => expectValidCard(c.card)),
  texts: f.fake.calls.filter((c) => c.path.startsWith("/open-apis/im/") && (c.body as Json).msg_type === "text").map((c) => String((c.content as Json).text)),
});

/** No live markup in any markdown element but our own @mentions of the people listed. */
function expectInert(cards: Json[], mentions: string[]): void {
  for (const card of cards) for (const md of feishuMarkdowns(card)) expect(feishuLiveMarkup(md, { mentions }), md).toEqual([]);
}

describe("Feishu: user text on cards and messages is shown literally", () => {
  let cardId = "";
  let number = "";

  it("a ticket whose fields carry links, @all, colour tags, headings and code: the card shows them as typed", async () => {
    const text = [
      `@_user_1 客户说 ${LINK} 打不开 ${AT_ALL} ${FONT} @all`,
      "# 伪造的标题",
      "`rm -rf /` 和 **粗体** 还有 https://evil.example/bare",
      `客户: ${LINK}`,
      `客户ID: ${AT_ALL}`,
      `联系方式: ${FONT}`,
      "涉及产品: `XX` # v3 <at id=ou_handler_li></at>",
    ].join("\n");
    await f.deliver(groupMention(text, { messageId: "om_evil", senderId: REPORTER }));
    await f.s.idle();
    const t = await f.s.db.ticket.findFirstOrThrow({ where: { messageId: "om_evil" } });
    number = t.number;
    expect(t.customerName).toBe(LINK);
    expect(t.customerId).toBe(AT_ALL);

    const { cards } = received();
    expect(cards).toHaveLength(1);
    cardId = f.fake.cards()[0]!.messageId;
    expectInert(cards, []);
    const visible = feishuCardTexts(cards[0]!).join("\n");
    // The fields and the description, as the reader typed them (the contact is masked on the group card).
    expect(visible).toContain(`客户\n${LINK} (${AT_ALL})`);
    expect(visible).toContain("涉及产品\n`XX` # v3 <at id=ou_handler_li></at>");
    expect(visible).toContain(`客户说 ${LINK} 打不开 ${AT_ALL} ${FONT} @all\n# 伪造的标题\n\`rm -rf /\` 和 **粗体** 还有 https://evil.example/bare`);
    // The header title is plain_text: literal by kind, never markdown.
    const header = cards[0]!.header as Json;
    expect((header.title as Json).tag).toBe("plain_text");
  });

  it("progress notes, results and reasons with markup stay text in the card and in the timeline", async () => {
    clock = new Date("2025-05-21T02:20:00Z");
    const card = () => expectValidCard(f.fake.cards().filter((c) => c.messageId === cardId).at(-1)!.card);
    await f.click({ operatorId: ZHANG, messageId: cardId, chatId: "oc_group1", value: valueFor(card(), "claim") });
    await f.s.idle();
    await f.deliver(threadReply("om_evil", `@_user_1 进展 ${LINK} ${AT_ALL}`, { senderId: ZHANG }));
    await f.s.idle();
    await f.click({ operatorId: ZHANG, messageId: cardId, value: valueFor(card(), "block"), name: "block_form_submit", formValue: { reason: `等 ${FONT} ${LINK}` } });
    await f.s.idle();
    await f.click({ operatorId: ZHANG, messageId: cardId, value: valueFor(card(), "resolve"), name: "resolve_form_submit", formValue: { result: `# 已修复 ${LINK}` } });
    await f.s.idle();

    const { cards, texts } = received();
    expect(cards.length).toBeGreaterThan(3);
    // Our own mentions (the reporter, told of status changes) are the only @ tags anywhere.
    expectInert(cards, []);
    const visible = feishuCardTexts(card()).join("\n");
    expect(visible).toContain(`# 已修复 ${LINK}`);
    expect(visible).toContain(`标记受阻：等 ${FONT} ${LINK}`);
    expect(cards.some((c) => feishuCardTexts(c).join("\n").includes(`进展 ${LINK} ${AT_ALL}`))).toBe(true);
    for (const t of texts) {
      expect(t.match(/<at /g)?.length ?? 0).toBeLessThanOrEqual(1);
      expect(t).not.toMatch(/<at user_id="all"|<at id=all|\]\(https/);
    }
    expect(texts.map((t) => feishuTextVisible(t, (id) => ({ [REPORTER]: "客服小刘", [ZHANG]: "张三" })[id]))).toContain(`@客服小刘 工单 ${number} 已解决，请与客户确认结果并记录满意度。`);
  });

  it("a text message carrying user words cannot @ anyone or link", async () => {
    // /find echoes the query in its card title; an unknown command's reply goes through sendText.
    await f.deliver(groupMention(`@_user_1 /find ${AT_ALL}${LINK}`, { senderId: REPORTER }));
    await f.s.idle();
    const last = received().cards.at(-1)!;
    expect(((last.header as Json).title as Json).content).toContain(AT_ALL);
    expectInert([last], []);
  });
});
