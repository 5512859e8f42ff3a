import { describe, expect, it } from "vitest";
import { envelopeFromSdkEvent, parseFeishuPayload, type ParseContext } from "../../src/adapter/feishu/parse.js";
import type { InboundCardAction, InboundMessage } from "../../src/platform/inbound.js";
import {
  APP_ID,
  BOT_OPEN_ID,
  cardActionEvent,
  groupMention,
  messageEvent,
  p2pMessage,
  postMessage,
  threadReply,
  urlVerification,
} from "../support/feishu-events.js";

const ctx = { appId: APP_ID, botOpenId: BOT_OPEN_ID };
const asMessage = (p: unknown, c: ParseContext = ctx): InboundMessage => {
  const r = parseFeishuPayload(p, c);
  if (r.kind !== "message") throw new Error(`expected message, got ${JSON.stringify(r)}`);
  return r;
};
const asAction = (p: unknown): InboundCardAction => {
  const r = parseFeishuPayload(p, ctx);
  if (r.kind !== "card_action") throw new Error(`expected card_action, got ${JSON.stringify(r)}`);
  return r;
};

describe("parseFeishuPayload: messages", () => {
  it("ten or more mentions: @_user_10 … @_user_12 are their own people, not @_user_1 followed by a digit", () => {
    const people = Array.from({ length: 12 }, (_, i) => ({ key: `@_user_${i + 2}`, openId: `ou_p${i + 2}`, name: `同事${i + 2}` }));
    const text = `@_user_1 客户说 ${people.map((p) => p.key).join(" ")} 都遇到了，@_user_12和@_user_10 最急`;
    const m = asMessage(messageEvent({ text, mentions: [{ key: "@_user_1", openId: BOT_OPEN_ID, name: "ChatDesk", bot: true }, ...people] }));
    expect(m.mentionedBot).toBe(true);
    expect(m.text).toBe(`客户说 ${people.map((p) => `@${p.name}`).join(" ")} 都遇到了，@同事12和@同事10 最急`);
    expect(m.text).not.toMatch(/@_user|ChatDesk0|ChatDesk1/);
  });

  it("a name that looks like a mention key is not replaced again", () => {
    const m = asMessage(messageEvent({ text: "@_user_1 @_user_2 看下", mentions: [{ key: "@_user_1", openId: "ou_a", name: "@_user_2" }, { key: "@_user_2", openId: "ou_b", name: "Bob" }] }));
    expect(m.text).toBe("@@_user_2 @Bob 看下");
  });

  it("group @mention: strips the bot, keeps other mentions as names, dedupes on message_id", () => {
    const ev = groupMention(undefined, { messageId: "om_1", createTime: 1700000000123 });
    const m = asMessage(ev);
    expect(m).toMatchObject({
      kind: "message",
      platform: "feishu",
      dedupeId: "om_1",
      messageId: "om_1",
      chatId: "oc_group1",
      chatType: "group",
      sender: { userId: "ou_reporter" },
      text: "客户说系统报错无法登录 @Alice 请看看",
      mentionedBot: true,
      attachments: [],
      sentAt: new Date(1700000000123).toISOString(),
    });
    expect(m.dedupeId).not.toBe(ev.header.event_id);
  });

  it("detects the bot by mentioned_type or bot_info.app_id when its open_id is unknown", () => {
    const byType = messageEvent({
      text: "@_user_1 hi",
      mentions: [{ key: "@_user_1", openId: "ou_x", name: "ChatDesk", bot: true }],
    });
    expect(asMessage(byType, { appId: APP_ID })).toMatchObject({ text: "hi", mentionedBot: true });

    const byApp = messageEvent({ text: "@_user_1 @_user_2 hi" });
    byApp.event.message.mentions = [
      { key: "@_user_1", id: { open_id: "ou_other" }, name: "OtherBot", tenant_key: "t", bot_info: { app_id: "cli_other" } } as never,
      { key: "@_user_2", id: { open_id: "ou_me" }, name: "ChatDesk", tenant_key: "t", bot_info: { app_id: APP_ID } } as never,
    ];
    expect(asMessage(byApp, { appId: APP_ID })).toMatchObject({ text: "@OtherBot hi", mentionedBot: true });
  });

  it("group message that @s only someone else is not a bot mention; @all is never the bot", () => {
    const other = messageEvent({ text: "@_user_1 看下", mentions: [{ key: "@_user_1", openId: "ou_alice", name: "Alice" }] });
    expect(asMessage(other)).toMatchObject({ text: "@Alice 看下", mentionedBot: false });
    const all = messageEvent({ text: "@_all 通知" });
    all.event.message.mentions = [{ key: "@_all", id: {}, name: "所有人", tenant_key: "t" } as never];
    expect(asMessage(all)).toMatchObject({ text: "@所有人 通知", mentionedBot: false });
    expect(asMessage(messageEvent({ text: "plain" }))).toMatchObject({ mentionedBot: false });
  });

  it("without any bot identity, a delivered @mention is assumed to be the bot's", () => {
    const m = asMessage(groupMention(), {});
    expect(m.mentionedBot).toBe(true);
    expect(m.text).toBe("@ChatDesk 客户说系统报错无法登录 @Alice 请看看");
  });

  it("p2p messages are addressed to the bot", () => {
    expect(asMessage(p2pMessage("页面加载缓慢"))).toMatchObject({ chatType: "p2p", chatId: "oc_p2p1", text: "页面加载缓慢", mentionedBot: true });
  });

  it("post rich text → text lines + images as attachments", () => {
    const m = asMessage(postMessage());
    expect(m.text).toBe("客户反馈\n导出报错，截图如下\n\n详见 日志 (https://example.com/log)");
    expect(m.attachments).toEqual([{ kind: "image", fileKey: "img_v3_screenshot1" }]);
    expect(m.mentionedBot).toBe(true);
  });

  it("post content wrapped per locale is read too", () => {
    const ev = postMessage();
    const inner = JSON.parse(ev.event.message.content) as unknown;
    ev.event.message.content = JSON.stringify({ zh_cn: inner });
    expect(asMessage(ev).attachments).toHaveLength(1);
  });

  it("image / file / audio / media messages → attachments", () => {
    expect(asMessage(messageEvent({ messageType: "image", content: { image_key: "img_1" } })).attachments).toEqual([{ kind: "image", fileKey: "img_1" }]);
    expect(asMessage(messageEvent({ messageType: "file", content: { file_key: "file_1", file_name: "log.txt" } })).attachments).toEqual([
      { kind: "file", fileKey: "file_1", name: "log.txt" },
    ]);
    expect(asMessage(messageEvent({ messageType: "audio", content: { file_key: "file_2", duration: 3000 } })).attachments[0]).toMatchObject({
      kind: "audio",
      fileKey: "file_2",
    });
    expect(asMessage(messageEvent({ messageType: "media", content: { file_key: "file_3", image_key: "img_3", file_name: "a.mp4" } })).attachments[0]).toMatchObject({
      kind: "video",
      fileKey: "file_3",
    });
  });

  it("thread replies carry root_id / parent_id", () => {
    expect(asMessage(threadReply("om_root"))).toMatchObject({ rootId: "om_root", parentId: "om_root", text: "补充：客户是VIP" });
  });

  it("ignores unsupported message types, app senders and empty messages", () => {
    expect(parseFeishuPayload(messageEvent({ messageType: "sticker" as never, content: { file_key: "x" } }), ctx)).toMatchObject({ kind: "ignored" });
    const fromApp = messageEvent();
    fromApp.event.sender.sender_type = "app";
    expect(parseFeishuPayload(fromApp, ctx)).toMatchObject({ kind: "ignored" });
    expect(parseFeishuPayload(groupMention("@_user_1"), ctx)).toMatchObject({ kind: "ignored", reason: "empty message" });
  });
});

describe("parseFeishuPayload: card actions", () => {
  it("button click: operator, value, context, dedupe on event_id", () => {
    const ev = cardActionEvent({ eventId: "ev_1", value: { action: "claim", ticket: "FB20240521001" }, messageId: "om_c", chatId: "oc_c" });
    expect(asAction(ev)).toEqual({
      kind: "card_action",
      platform: "feishu",
      dedupeId: "ev_1",
      actor: { userId: "ou_handler" },
      chatId: "oc_c",
      cardRef: "om_c",
      value: { action: "claim", ticket: "FB20240521001" },
    });
  });

  it("form submit and select option", () => {
    const form = asAction(cardActionEvent({ value: { action: "plan", ticket: "T1" }, formValue: { plan: "重启服务", tags: ["a", "b"], n: 3 } }));
    expect(form.form).toEqual({ plan: "重启服务", tags: "a,b", n: "3" });
    const sel = asAction(cardActionEvent({ value: { action: "priority", ticket: "T1" }, option: "high", tag: "select_static" }));
    expect(sel.option).toBe("high");
  });

  it("falls back to the callback token for dedupe; stringifies scalar values", () => {
    const ev = cardActionEvent({ token: "c-abc", value: { action: "list_page", page: 2, ok: true, nested: { x: 1 } } });
    (ev.header as Record<string, unknown>).event_id = undefined;
    const a = asAction(ev);
    expect(a.dedupeId).toBe("c-abc");
    expect(a.value).toEqual({ action: "list_page", page: "2", ok: "true" });
  });

  it("ignores callbacks without an object value carrying `action`", () => {
    expect(parseFeishuPayload(cardActionEvent({ value: "claim" as never }), ctx)).toMatchObject({ kind: "ignored" });
    expect(parseFeishuPayload(cardActionEvent({ value: { ticket: "T1" } }), ctx)).toMatchObject({ kind: "ignored" });
  });

  it("legacy v1 card callback", () => {
    const legacy = {
      open_id: "ou_h",
      user_id: "eu_h",
      open_message_id: "om_l",
      tenant_key: "t",
      token: "c-legacy",
      action: { value: { action: "confirm", ticket: "T9" }, tag: "button" },
    };
    expect(asAction(legacy)).toMatchObject({ dedupeId: "c-legacy", actor: { userId: "ou_h" }, cardRef: "om_l", value: { action: "confirm", ticket: "T9" } });
  });
});

describe("parseFeishuPayload: other payloads", () => {
  it("url_verification → challenge", () => {
    expect(parseFeishuPayload(urlVerification("abc"))).toEqual({ kind: "challenge", challenge: "abc" });
  });

  it("unknown event types and v1 events are ignored", () => {
    expect(parseFeishuPayload({ schema: "2.0", header: { event_type: "im.chat.member.bot.added_v1" }, event: {} })).toMatchObject({ kind: "ignored" });
    expect(parseFeishuPayload({ type: "event_callback", token: "t", event: { type: "message" } })).toMatchObject({ kind: "ignored" });
    expect(parseFeishuPayload(null)).toMatchObject({ kind: "ignored" });
  });
});

describe("envelopeFromSdkEvent", () => {
  it("rebuilds the v2 envelope from the SDK's flattened handler data", () => {
    // What EventDispatcher hands a card.action.trigger handler: header and event merged, card token wins.
    const ev = cardActionEvent({ eventId: "ev_ws", token: "c-ws" });
    const flat = { schema: "2.0", ...ev.header, ...ev.event };
    const a = parseFeishuPayload(envelopeFromSdkEvent("card.action.trigger", flat), ctx);
    expect(a).toMatchObject({ kind: "card_action", dedupeId: "ev_ws", cardRef: "om_card1" });

    const msg = groupMention(undefined, { messageId: "om_ws" });
    const flatMsg = { schema: "2.0", ...msg.header, ...msg.event };
    expect(parseFeishuPayload(envelopeFromSdkEvent("im.message.receive_v1", flatMsg), ctx)).toMatchObject({ kind: "message", dedupeId: "om_ws" });
  });
});

describe("parseFeishuPayload: implausible fields", () => {
  it("ignores a message whose ids are longer than any Feishu id", () => {
    const long = "x".repeat(257);
    expect(parseFeishuPayload(messageEvent({ chatId: long }), ctx)).toEqual({ kind: "ignored", reason: "chat id longer than 256 characters" });
    expect(parseFeishuPayload(messageEvent({ senderId: long }), ctx)).toEqual({ kind: "ignored", reason: "sender id longer than 256 characters" });
    expect(parseFeishuPayload(messageEvent({ rootId: long }), ctx)).toEqual({ kind: "ignored", reason: "root id longer than 256 characters" });
    expect(asMessage(messageEvent({ chatId: "oc_".padEnd(256, "a") })).chatId).toHaveLength(256);
  });
});
