import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeActionValue, encodeActionValue, parseCardCallback, parseRobotMessage } from "../../src/adapter/dingtalk/parse.js";
import type { InboundCardAction, InboundMessage } from "../../src/platform/inbound.js";
import { cardCallback, robotGroupText, robotP2PText, robotPicture, robotRichText } from "../support/dingtalk-events.js";

function msg(body: unknown): InboundMessage {
  const r = parseRobotMessage(body);
  if ("ignored" in r) throw new Error(`ignored: ${r.ignored}`);
  return r.event;
}
function click(body: unknown, deliveryId?: string): InboundCardAction {
  const r = parseCardCallback(body, deliveryId);
  if ("ignored" in r) throw new Error(`ignored: ${r.ignored}`);
  return r.event;
}

describe("parseRobotMessage", () => {
  it("group text @bot → group chat, trimmed text, msgId as dedupe key, session webhook", () => {
    const body = robotGroupText({ text: "客户华为反馈：系统报错无法登录", conversationId: "cid6EUxx==", msgId: "msgA==", createAt: 1708327204136 });
    const ev = msg(body);
    expect(ev).toMatchObject({
      kind: "message",
      platform: "dingtalk",
      dedupeId: "msgA==",
      messageId: "msgA==",
      chatId: "group:cid6EUxx==",
      chatType: "group",
      sender: { userId: "0147008602", name: "小钉" },
      text: "客户华为反馈：系统报错无法登录",
      mentionedBot: true,
      attachments: [],
      sentAt: new Date(1708327204136).toISOString(),
      sessionWebhook: body.sessionWebhook,
      sessionWebhookExpiresAt: 1708327204136 + 5_400_000,
    });
  });

  it("1:1 text → user:<staffId> chat, addressed to the bot", () => {
    const ev = msg(robotP2PText({ text: "/list", senderStaffId: "manager1234" }));
    expect(ev.chatId).toBe("user:manager1234");
    expect(ev.chatType).toBe("p2p");
    expect(ev.mentionedBot).toBe(true);
    expect(ev.text).toBe("/list");
  });

  it("falls back to senderId when senderStaffId is missing (unpublished robot)", () => {
    const ev = msg(robotP2PText({ senderStaffId: undefined, senderId: "$:LWCP_v1:$abc" }));
    expect(ev.sender.userId).toBe("$:LWCP_v1:$abc");
  });

  it("accepts the Stream data string shape once parsed, and createAt as a string", () => {
    const data = JSON.stringify(robotGroupText({ createAt: undefined }));
    const ev = msg({ ...JSON.parse(data), createAt: "1690362101894" });
    expect(ev.sentAt).toBe(new Date(1690362101894).toISOString());
  });

  it("reads the doc variant with a top-level content string", () => {
    const b = robotGroupText();
    delete (b as Record<string, unknown>).text;
    expect(msg({ ...b, content: " 你好" }).text).toBe("你好");
  });

  it("picture → image attachment with the downloadCode", () => {
    const ev = msg(robotPicture("dl-123"));
    expect(ev.text).toBe("");
    expect(ev.attachments).toEqual([{ kind: "image", fileKey: "dl-123" }]);
  });

  it("richText → text parts joined, pictures as attachments", () => {
    const ev = msg(robotRichText([{ text: "截图如下：" }, { downloadCode: "dl-a", type: "picture" }, { text: " 登录报错" }]));
    expect(ev.text).toBe("截图如下： 登录报错");
    expect(ev.attachments).toEqual([{ kind: "image", fileKey: "dl-a" }]);
  });

  it("1:1 file → file attachment with its name", () => {
    const b = robotP2PText();
    delete (b as Record<string, unknown>).text;
    const ev = msg({ ...b, msgtype: "file", content: { downloadCode: "dl-f", fileName: "log.zip" } });
    expect(ev.attachments).toEqual([{ kind: "file", fileKey: "dl-f", name: "log.zip" }]);
  });

  it("ignores quota-exhausted callbacks (both field spellings) and non-messages", () => {
    const b = robotGroupText();
    delete (b as Record<string, unknown>).text;
    expect(parseRobotMessage({ ...b, errorCode: 20001, errorMessage: "超量" })).toHaveProperty("ignored");
    expect(parseRobotMessage({ ...b, errCode: 20001, errMsg: "超量" })).toHaveProperty("ignored");
    expect(parseRobotMessage({ hello: "world" })).toHaveProperty("ignored");
    expect(parseRobotMessage(null)).toHaveProperty("ignored");
    expect(parseRobotMessage("text")).toHaveProperty("ignored");
  });
});

describe("ActionValue encoding", () => {
  it("round-trips and rejects values without an action", () => {
    const v = { action: "resolve", ticket: "FB20240521001", v: "3" };
    expect(decodeActionValue(encodeActionValue(v))).toEqual(v);
    expect(decodeActionValue(v)).toEqual(v);
    expect(decodeActionValue('{"ticket":"x"}')).toBeUndefined();
    expect(decodeActionValue("not json")).toBeUndefined();
  });
});

describe("parseCardCallback", () => {
  it("button: outTrackId as cardRef, clicker, our value from params.value, group from spaceId", () => {
    const ev = click(cardCallback({ outTrackId: "chatdesk-1", userId: "u1", value: { action: "claim", ticket: "FB1" }, spaceId: "cidG==" }), "m-1");
    expect(ev).toEqual({
      kind: "card_action",
      platform: "dingtalk",
      dedupeId: "chatdesk-1:u1:m-1",
      actor: { userId: "u1" },
      cardRef: "chatdesk-1",
      chatId: "group:cidG==",
      value: { action: "claim", ticket: "FB1" },
    });
  });

  it("reads the `value` field when `content` is absent", () => {
    const ev = click(cardCallback({ outTrackId: "t", value: { action: "reject", ticket: "FB2" }, asValueField: true }));
    expect(ev.value).toEqual({ action: "reject", ticket: "FB2" });
  });

  it("form submit: maps template slots back to input names", () => {
    const params = { value: encodeActionValue({ action: "resolve", ticket: "FB3" }), form: '{"input1":"result","input2":"note"}', input1: " 已修复 ", input2: "" };
    const ev = click(cardCallback({ outTrackId: "t", params }));
    expect(ev.value).toEqual({ action: "resolve", ticket: "FB3" });
    expect(ev.form).toEqual({ result: "已修复", note: "" });
  });

  it("the build sheet's example clicks (button, form 2 submit) parse to the action and its inputs", () => {
    const sheet = JSON.parse(readFileSync(new URL("../../cards/dingtalk/ticket-template.json", import.meta.url), "utf8")) as {
      callbackExample: { content: string; form2SubmitContent: string };
    };
    const claim = click({ type: "actionCallback", outTrackId: "t", userId: "u1", content: sheet.callbackExample.content });
    expect(claim.value).toEqual({ action: "claim", ticket: "FB20240521001" });
    expect(claim.form).toBeUndefined();
    const resolve = click({ type: "actionCallback", outTrackId: "t", userId: "u1", content: sheet.callbackExample.form2SubmitContent });
    expect(resolve.value).toEqual({ action: "resolve", ticket: "FB20240521001", v: "2" });
    expect(resolve.form).toEqual({ result: "已发布 v3.2.1 修复" });
  });

  it("select: option from {value}, from {index} + options, or a plain string", () => {
    const value = encodeActionValue({ action: "priority", ticket: "FB4" });
    const options = JSON.stringify([{ value: "urgent", text: "紧急" }, { value: "high", text: "高" }]);
    expect(click(cardCallback({ outTrackId: "t", params: { value, option: { value: "high" } } })).option).toBe("high");
    expect(click(cardCallback({ outTrackId: "t", params: { value, option: { index: 0 }, options } })).option).toBe("urgent");
    expect(click(cardCallback({ outTrackId: "t", params: { value, option: "low" } })).option).toBe("low");
  });

  it("hand-built templates: plain action/ticket params and free inputs", () => {
    const ev = click(cardCallback({ outTrackId: "t", params: { action: "progress", ticket: "FB5", local_input: "在查" } }));
    expect(ev.value).toEqual({ action: "progress", ticket: "FB5" });
    expect(ev.form).toEqual({ local_input: "在查" });
  });

  it("the same click redelivered gets the same dedupe key without a delivery id", () => {
    const body = cardCallback({ outTrackId: "t", userId: "u", value: { action: "claim", ticket: "FB6" } });
    expect(click(body).dedupeId).toBe(click(structuredClone(body)).dedupeId);
    const other = cardCallback({ outTrackId: "t", userId: "u", value: { action: "reject", ticket: "FB6" } });
    expect(click(other).dedupeId).not.toBe(click(body).dedupeId);
  });

  it("ignores other callback types, missing ids and clicks without an action", () => {
    expect(parseCardCallback({ ...cardCallback({ outTrackId: "t" }), type: "dynamicDataCallback" })).toHaveProperty("ignored");
    expect(parseCardCallback({ ...cardCallback({ outTrackId: "t" }), userId: undefined })).toHaveProperty("ignored");
    expect(parseCardCallback(cardCallback({ outTrackId: "t", params: { something: "else" } }))).toHaveProperty("ignored");
    expect(parseCardCallback({ ...cardCallback({ outTrackId: "t" }), content: "{bad", value: undefined })).toHaveProperty("ignored");
    expect(parseCardCallback(42)).toHaveProperty("ignored");
  });
});

describe("parseRobotMessage: implausible fields", () => {
  // The robot callback's signature covers only the timestamp, so the body's ids are bounded here.
  it("ignores messages whose ids, name or session webhook are not what DingTalk sends", () => {
    const long = "x".repeat(257);
    const cases: [string, Record<string, unknown>][] = [
      ["chat id longer than 256 characters", robotGroupText({ conversationId: long })],
      ["sender id longer than 256 characters", robotGroupText({ senderStaffId: long })],
      ["message id longer than 256 characters", robotGroupText({ msgId: long })],
      ["sender name longer than 128 characters", robotGroupText({ senderNick: "名".repeat(129) })],
      ["session webhook is not a plausible URL", robotGroupText({ sessionWebhook: "javascript:alert(1)" })],
    ];
    for (const [reason, body] of cases) expect(parseRobotMessage(body), reason).toEqual({ ignored: reason });
    expect("event" in parseRobotMessage(robotGroupText({ conversationId: "c".repeat(200) }))).toBe(true);
  });
});
