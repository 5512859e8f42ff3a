// Duplicate detection at intake through the real DingTalk routes (HTTP mode, signed callbacks, fake DingTalk):
// with the card template the two buttons; without one the markdown card names the commands, which work.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buttonActions, buttonClick, groupMessages, startDingTalkRig, ticketCardOf, webhookTexts, type DingTalkRig } from "../support/dingtalk-rig.js";
import { reportIssue } from "../support/dingtalk-scenarios.js";
import { dingtalkMarkdownVisible } from "../support/visible-text.js";

let clock = new Date("2025-05-21T02:00:00Z");
const later = (min: number) => (clock = new Date(clock.getTime() + min * 60_000));
const reporter2 = { id: "dt_cs_chen", nick: "客服小陈" };

describe("DingTalk with the card template", () => {
  let rig: DingTalkRig;
  beforeAll(async () => {
    rig = await startDingTalkRig("http", { now: () => clock });
  });
  afterAll(() => rig.close());

  it("flags the similar ticket on its card and merges it with 合并到", async () => {
    const { ticket: a } = await reportIssue(rig, "客户说小程序扫码付款失败，提示网络异常\n客户: 星巴克");
    later(30);
    const msg = rig.message("星巴克那边扫码付款的时候小程序提示网络异常，付款失败\n客户: 星巴克", reporter2);
    await rig.robot(msg);
    const b = await rig.server.db.ticket.findFirstOrThrow({ where: { messageId: msg.msgId as string } });
    expect(b.duplicateOfId).toBe(a.id);
    const card = await ticketCardOf(rig, b.id);
    expect(card.data.content).toContain(`可能与 ${a.number} 重复：客户说小程序扫码付款失败，提示网络异常（待处理）`);
    expect(buttonActions(card.data)).toEqual(expect.arrayContaining(["merge", "not_duplicate"]));

    later(5);
    const reply = await rig.click(buttonClick(card, "merge", reporter2));
    expect(reply.userPrivateData?.cardParamMap.notice).toBe("合并到成功");
    expect(await rig.server.db.ticket.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({ status: "merged", mergedIntoId: a.id });
    const target = await ticketCardOf(rig, a.id);
    expect(JSON.parse(target.data.fields!)).toEqual(expect.arrayContaining([{ label: "报告次数", value: "2" }]));
    expect((await ticketCardOf(rig, b.id)).data.headerSubtitle).toMatch(/^已合并 · /);
  });
});

describe("DingTalk without a template: the commands", () => {
  let rig: DingTalkRig;
  beforeAll(async () => {
    rig = await startDingTalkRig("http", { now: () => clock, config: { dingtalk: {} } });
  });
  afterAll(() => rig.close());
  /** Everything the bot said (session webhook and OpenAPI), newest last, as JSON text. */
  const said = () => [...webhookTexts(rig.fake).map((c) => JSON.stringify(c.body)), ...groupMessages(rig.fake).map((m) => JSON.stringify(m.param))];

  it("lists /merge and /not_duplicate; a reporter may not merge elsewhere; /not_duplicate dismisses", async () => {
    const group = "cid_dup_cmd==";
    const { ticket: a } = await reportIssue(rig, "客户反馈考勤打卡定位不准，在公司也显示外勤", group);
    const { ticket: other } = await reportIssue(rig, "客户反馈合同到期提醒没有发出来", group);
    later(30);
    const msg = rig.message("人在公司打卡却显示外勤，考勤定位不准", reporter2, { conversationId: group });
    await rig.robot(msg);
    const b = await rig.server.db.ticket.findFirstOrThrow({ where: { messageId: msg.msgId as string } });
    expect(b.duplicateOfId).toBe(a.id);
    // Read as people see it (the markdown escapes "_" and friends).
    const md = said().map((x) => dingtalkMarkdownVisible(x.replace(/\\\\/g, "\\"))).filter((x) => x.includes("可能与")).join("\n");
    expect(md).toContain(`可能与 ${a.number} 重复`);
    expect(md).toContain(`/merge ${b.number} ${a.number}`);
    expect(md).toContain(`/not_duplicate ${b.number}`);

    later(5);
    await rig.robot(rig.message(`/merge ${b.number} ${other.number}`, reporter2, { conversationId: group }));
    expect((await rig.server.db.ticket.findUniqueOrThrow({ where: { id: b.id } })).status).toBe("open");
    expect(said().some((x) => x.includes("没有权限"))).toBe(true);

    later(5);
    await rig.robot(rig.message(`/not_duplicate ${b.number}`, reporter2, { conversationId: group }));
    expect(await rig.server.db.ticket.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({ status: "open", duplicateOfId: null });
  });
});
