// /whoami through the real webhook routes of both platforms: the person's id, the chat's id, and a
// workflow-file entry that pasted into people[] makes them a known person.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseWorkflowConfig } from "../../src/config/load.js";
import { personByPlatformId } from "../../src/core/routing.js";
import { groupMention, p2pMessage } from "../support/feishu-events.js";
import { startFeishuStack, type FeishuStack, type Json } from "../support/feishu-stack.js";
import { startDingTalkRig, webhookTexts, who, type DingTalkRig } from "../support/dingtalk-rig.js";
import { teamConfig } from "../support/server.js";

/** The JSON line of the reply, parsed, pasted into people[] of a workflow file. */
function pasted(reply: string): { id: string; name: string; feishu?: string; dingtalk?: string } {
  const line = reply.split("\n").find((l) => l.startsWith("{"));
  expect(line, reply).toBeDefined();
  return JSON.parse(line!) as { id: string; name: string };
}

describe("/whoami on Feishu", () => {
  let f: FeishuStack;
  beforeAll(async () => {
    f = await startFeishuStack();
  });
  afterAll(() => f.close());
  const texts = () =>
    f.fake.calls.filter((c) => c.path.startsWith("/open-apis/im/") && (c.body as Json).msg_type === "text").map((c) => String((c.content as Json).text));

  it("tells a stranger their open_id, the group's chat id and the entry to add; the entry works", async () => {
    const before = await f.s.db.ticket.count();
    await f.deliver(groupMention("@_user_1 /whoami", { senderId: "ou_newcomer_0001", chatId: "oc_support_room" }));
    await f.s.idle();
    const reply = texts().at(-1)!;
    expect(reply.split("\n").slice(0, 3)).toEqual([
      "你的飞书 open_id：ou_newcomer_0001",
      "本会话 ID：oc_support_room（可填入 departments[].chats.feishu 或 digestChats.feishu）",
      "在工作流文件（CHATDESK_CONFIG）的 people 中加入下面这一项（id 和 name 改成你的），再把这个 id 写进部门的 handlers / leads / managers，重启 ChatDesk 后生效：",
    ]);
    const entry = pasted(reply);
    expect(entry).toEqual({ id: "your_id", name: "你的姓名", feishu: "ou_newcomer_0001" });
    const config = parseWorkflowConfig({ ...teamConfig, people: [...teamConfig.people, entry] });
    expect(personByPlatformId(config, "feishu", "ou_newcomer_0001")?.id).toBe("your_id");
    expect(await f.s.db.ticket.count()).toBe(before); // a command, not a ticket
  });

  it("recognises a configured person, in a direct chat (no chat id to share)", async () => {
    await f.deliver(p2pMessage("/whoami", { senderId: "ou_handler_zhang" }));
    await f.s.idle();
    const reply = texts().at(-1)!;
    expect(reply).toContain("你的飞书 open_id：ou_handler_zhang");
    expect(reply).toContain("工作流文件中你是「张三」（id：zhang）。");
    expect(reply).not.toContain("本会话 ID");
    expect(pasted(reply)).toMatchObject({ id: "zhang", name: "张三", feishu: "ou_handler_zhang", dingtalk: "dt_zhang" });
  });
});

describe("/whoami on DingTalk (HTTP callback, reply through the session webhook)", () => {
  let rig: DingTalkRig;
  beforeAll(async () => {
    rig = await startDingTalkRig("http");
  });
  afterAll(() => rig.close());
  const lastText = () => {
    const calls = webhookTexts(rig.fake);
    return String((calls.at(-1)!.body as { text?: { content?: string } }).text?.content);
  };

  it("tells a person their staffId and the group's open conversation id", async () => {
    await rig.robot(rig.message("/whoami", who.stranger));
    expect(lastText().split("\n").slice(0, 2)).toEqual(["你的钉钉 userId（staffId）：dt_stranger", "本会话 ID：cid_tech==（可填入 departments[].chats.dingtalk 或 digestChats.dingtalk）"]);
    expect(pasted(lastText())).toEqual({ id: "your_id", name: "你的姓名", dingtalk: "dt_stranger" });
  });

  it("without a staffId (only the conversation-local senderId) says why no entry can be made", async () => {
    await rig.robot(rig.message("/whoami", who.stranger, { senderStaffId: undefined, senderId: "$:LWCP_v1:$abcDEF123" }));
    expect(lastText()).toContain("钉钉没有提供你的 userId（staffId）");
    expect(lastText()).not.toContain("{");
  });
});
