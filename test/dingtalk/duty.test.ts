// On duty and capacity through DingTalk's real HTTP routes (signed robot callbacks, the fake DingTalk
// recording the replies): /leave and /duty in the group, assignment skipping the person on leave, and a
// full pool that queues the ticket with the lead @mentioned.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dingtalkConfig, startDingTalkRig, webhookTexts, who, type DingTalkRig } from "../support/dingtalk-rig.js";
import { reportIssue } from "../support/dingtalk-scenarios.js";

let now = new Date("2025-05-21T02:00:00Z"); // Wed 10:00 Asia/Shanghai
let rig: DingTalkRig;
beforeAll(async () => {
  rig = await startDingTalkRig("http", {
    now: () => now,
    config: {
      people: dingtalkConfig.people.map((p) => (p.id === "li" ? { ...p, capacity: 1 } : p)),
      departments: dingtalkConfig.departments.map((d) => (d.id === "tech" ? { ...d, roster: { wed: ["zhang", "li"] } } : d)),
    },
  });
});
afterAll(() => rig.close());

const group = "cid_duty==";
const replies = () => webhookTexts(rig.fake).map((c) => String(c.body?.text?.content ?? ""));
async function say(text: string, from: { id: string; nick: string }) {
  const before = replies().length;
  await rig.robot(rig.message(text, from, { conversationId: group }));
  return replies().slice(before);
}

describe("on duty and capacity, through DingTalk", () => {
  it("/leave, /duty, assignment skips the person on leave, a full pool queues the ticket and @s the lead", async () => {
    expect(await say("/leave 2025-05-21", who.zhang)).toEqual(["已登记 张三 2025-05-21~2025-05-21 休假。"]);
    const { ticket } = await reportIssue(rig, "客户反馈：系统报错，报表无法导出", group);
    expect(ticket).toMatchObject({ department: "tech", handlerId: "li" });
    const duty = await say("/duty", who.li);
    expect(duty[0]).toContain("技术部：李四（在办 1 / 1）");

    const second = await reportIssue(rig, "客户反馈：系统报错，支付回调失败", group);
    expect(second.ticket.handlerId).toBeNull();
    const told = webhookTexts(rig.fake).filter((c) => String(c.body?.text?.content ?? "").includes(second.ticket.number));
    expect(told.map((c) => c.body)).toEqual([
      {
        msgtype: "text",
        text: { content: `技术部值班处理人的在办工单都已达上限，工单 ${second.ticket.number} 已进入部门队列，有人空出时自动分派；主管也可直接分派。 @dt_wang` },
        at: { atUserIds: ["dt_wang"], isAtAll: false },
      },
    ]);
  });
});
