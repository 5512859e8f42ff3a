// DingTalk's closest equivalent of "make that message a ticket": quote (引用回复) a message and @ the bot.
// Through the real signed robot route (HTTP mode) and the fake DingTalk.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDingTalkRig, ticketCardOf, who, type DingTalkRig } from "../support/dingtalk-rig.js";

let rig: DingTalkRig;
beforeAll(async () => {
  rig = await startDingTalkRig("http");
});
afterAll(() => rig.close());

/** A reply that quotes a customer's message (text.isReplyMsg + text.repliedMsg) and @s the bot. */
function quoting(reply: string, quoted: Record<string, unknown>, group: string): Record<string, unknown> {
  const msg = rig.message(reply, who.zhang, { conversationId: group });
  const text = msg.text as Record<string, unknown>;
  return { ...msg, text: { ...text, isReplyMsg: true, repliedMsg: quoted } };
}

describe("DingTalk: quoting a message with @bot", () => {
  it("takes the quoted text and its author into the ticket; the one who quoted is the reporter", async () => {
    const msg = quoting("客户: 星巴克", { msgId: "msgQuoted1==", msgType: "text", senderId: "dt_customer_sun", createdAt: Date.now(), content: { text: "小程序扫码付款失败，提示网络异常" } }, "cid_quote1==");
    await rig.robot(msg);
    const t = await rig.server.db.ticket.findFirstOrThrow({ where: { messageId: msg.msgId as string } });
    expect(t).toMatchObject({ description: "小程序扫码付款失败，提示网络异常", customerName: "星巴克", reporterId: who.zhang.id, sourceUserId: "dt_customer_sun" });
    const created = await rig.server.db.ticketEvent.findFirstOrThrow({ where: { ticketId: t.id, kind: "created" } });
    expect(JSON.parse(created.payload)).toMatchObject({ via: "quote", author: "dt_customer_sun" });
    const card = await ticketCardOf(rig, t.id);
    expect(JSON.parse(card.data.fields!)).toEqual(expect.arrayContaining([{ label: "提报人", value: `${who.zhang.nick}（消息作者：dt_customer_sun）` }]));
  });

  it("reads the other observed shape (content.content) and quoted rich text with a picture", async () => {
    const a = quoting("", { msgId: "msgQuoted2==", msgType: "text", senderId: "dt_customer_sun", content: { content: "发票抬头开错了，需要重开" } }, "cid_quote2==");
    await rig.robot(a);
    expect(await rig.server.db.ticket.findFirstOrThrow({ where: { messageId: a.msgId as string } })).toMatchObject({ description: "发票抬头开错了，需要重开" });
    const b = quoting("看下这个", { msgId: "msgQuoted3==", msgType: "richText", senderId: "dt_customer_sun", content: { richText: [{ msgType: "text", content: "导出报表报错" }, { msgType: "picture", downloadCode: "dl-quoted-pic" }] } }, "cid_quote3==");
    await rig.robot(b);
    const t = await rig.server.db.ticket.findFirstOrThrow({ where: { messageId: b.msgId as string }, include: { attachments: true } });
    expect(t.description).toBe("导出报表报错\n看下这个");
    expect(t.attachments.map((x) => [x.kind, x.fileKey])).toEqual([["image", "dl-quoted-pic"]]);
  });

  it("a quoted bot card is not taken in (it has no text of the customer's)", async () => {
    const msg = quoting("这个问题还在", { msgId: "msgCard1==", msgType: "interactiveCard", content: { cardContent: {} } }, "cid_quote4==");
    await rig.robot(msg);
    const t = await rig.server.db.ticket.findFirstOrThrow({ where: { messageId: msg.msgId as string } });
    expect(t).toMatchObject({ description: "这个问题还在", sourceUserId: null });
  });
});
