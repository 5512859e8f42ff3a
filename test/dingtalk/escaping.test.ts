// Issue 13.2 on DingTalk: user text stays text on the template card (markdown slot, text slots, JSON lists)
// and in robot markdown without a template (body and title), through the real routes. What the fake
// DingTalk received must show the strings literally, with no live link, tag, heading, code or @ of anyone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formSubmit, buttonClick, groupMessages, startDingTalkRig, ticketCardOf, webhookTexts, who, type DingTalkRig } from "../support/dingtalk-rig.js";
import { dingtalkLiveMarkup, dingtalkMarkdownVisible, dingtalkTemplateTexts } from "../support/visible-text.js";

const LINK = "[华为官方](https://evil.example)";
const AT_ALL = "<at id=all></at>";
const FONT = "<font color=red>紧急</font>";
const TEXT = [
  `客户说 ${LINK} 打不开 ${AT_ALL} ${FONT} @all @dt_zhao`,
  "# 伪造的标题",
  "`rm -rf /` 和 **粗体** 还有 https://evil.example/bare",
  `客户: ${LINK}`,
  `客户ID: ${AT_ALL}`,
  `联系方式: ${FONT}`,
  "涉及产品: `XX` # v3 | 表格 | x",
].join("\n");

describe("DingTalk with the card template: user text is shown literally", () => {
  let rig: DingTalkRig;
  beforeAll(async () => {
    rig = await startDingTalkRig("http");
  });
  afterAll(() => rig.close());

  it("fields, description, notes and reasons with markup: the card shows them as typed, nothing live", async () => {
    await rig.robot(rig.message(TEXT, who.reporter));
    const t = await rig.server.db.ticket.findFirstOrThrow({ where: { platform: "dingtalk" } });
    expect(t.customerName).toBe(LINK);
    let card = await ticketCardOf(rig, t.id);
    await rig.click(buttonClick(card, "claim", who.zhang));
    card = await ticketCardOf(rig, t.id);
    await rig.click(formSubmit(card, "progress", { text: `进展 ${LINK} ${AT_ALL} @all` }, who.zhang));
    card = await ticketCardOf(rig, t.id);

    const d = card.data;
    expect(dingtalkLiveMarkup(d.content!), d.content).toEqual([]);
    const visible = dingtalkTemplateTexts(d).join("\n");
    expect(visible).toContain(`客户：${LINK} (${AT_ALL})`);
    expect(visible).toContain("涉及产品：`XX` # v3 | 表格 | x");
    expect(dingtalkMarkdownVisible(d.content!)).toContain(`客户说 ${LINK} 打不开 ${AT_ALL} ${FONT} @all @dt_zhao\n# 伪造的标题\n\`rm -rf /\` 和 **粗体** 还有 https://evil.example/bare`);
    expect(d.note).toContain(`进展 ${LINK} ${AT_ALL} @all`);
    expect(d.headerTitle).toContain(`客户说 ${LINK}`.slice(0, 20));

    // The text messages (the handler told of the assignment, the reporter of the status): only our own @s.
    for (const c of webhookTexts(rig.fake)) {
      const content = String(c.body.text?.content ?? c.body.markdown?.text ?? "");
      expect(c.body.at?.isAtAll ?? false).toBe(false);
      expect(dingtalkLiveMarkup(content, { atUserIds: c.body.at?.atUserIds ?? [] }), content).toEqual([]);
    }
  });
});

describe("DingTalk without a card template: robot markdown and its title stay text", () => {
  let rig: DingTalkRig;
  beforeAll(async () => {
    rig = await startDingTalkRig("http", { config: { dingtalk: {} } });
  });
  afterAll(() => rig.close());

  it("the ticket message shows every field literally; the title is one plain line; only listed ids are @", async () => {
    await rig.robot(rig.message(TEXT, who.reporter));
    type Body = { msgtype: string; markdown?: { title: string; text: string }; actionCard?: { title: string; text: string }; at?: { atUserIds?: string[] } };
    const bodies: Body[] = [
      ...webhookTexts(rig.fake).map((c) => c.body as Body),
      ...groupMessages(rig.fake).map((m) => ({ msgtype: "markdown", markdown: { title: m.param.title ?? "", text: m.param.text ?? m.param.content ?? "" }, at: { atUserIds: [] as string[] } })),
    ];
    const md = bodies.flatMap((b) => { const m = b.markdown ?? b.actionCard; return m?.text ? [{ title: m.title, text: m.text, at: b.at?.atUserIds ?? [] }] : []; });
    const ticketMessage = md.find((b) => b.text.includes("伪造的标题"));
    expect(ticketMessage, JSON.stringify(bodies).slice(0, 500)).toBeDefined();
    for (const b of md) {
      expect(dingtalkLiveMarkup(b.text, { atUserIds: b.at, ownHeading: true }), b.text).toEqual([]);
      expect(b.title).not.toMatch(/\n/);
    }
    const visible = dingtalkMarkdownVisible(ticketMessage!.text);
    expect(visible).toContain(`客户说 ${LINK} 打不开 ${AT_ALL} ${FONT} @all @dt_zhao`);
    expect(visible).toContain(`客户**：${LINK} (${AT_ALL})`.replace("**", ""));
    expect(ticketMessage!.title).toContain("客户说");
  });
});
