// Waiting on the customer through DingTalk's real HTTP routes (signed robot and card callbacks, the
// fake DingTalk recording the card updates): the handler pauses with `/wait <编号> customer <原因>`, the
// template card shows 已暂停 … and a 恢复计时 button; the button resumes; paused again, the reporter's
// `#<编号> …` message (DingTalk has no threads) resumes the clock.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPauses } from "../../src/core/waiting.js";
import { buttonActions, buttonClick, startDingTalkRig, ticketCardOf, who, type DingTalkRig } from "../support/dingtalk-rig.js";
import { ticketTemplateViolations } from "../support/dingtalk-card-rules.js";
import { reportIssue } from "../support/dingtalk-scenarios.js";

let now = new Date("2025-05-21T02:00:00Z"); // Wed 10:00 Asia/Shanghai
const at = (local: string) => (now = new Date(`${local.replace(" ", "T")}:00+08:00`));
let rig: DingTalkRig;
beforeAll(async () => {
  rig = await startDingTalkRig("http", { now: () => now });
});
afterAll(() => rig.close());

describe("waiting on the customer, through DingTalk", () => {
  it("pause by command, resume by the card's button, pause again and the reporter's message resumes", async () => {
    const group = "cid_waiting==";
    const { ticket } = await reportIssue(rig, "客户反馈：系统报错，报表导出失败", group);
    const db = rig.server.db;
    const card = await ticketCardOf(rig, ticket.id);
    await rig.click(buttonClick(card, "claim", who.zhang));

    at("2025-05-21 11:00");
    await rig.robot(rig.message(`/wait ${ticket.number} customer 已请客户提供 **日志**`, who.zhang, { conversationId: group }));
    const waiting = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(waiting).toMatchObject({ waitingOn: "customer", waitingReason: "已请客户提供 **日志**", waitingBy: "张三" });
    const shown = await ticketCardOf(rig, ticket.id);
    expect(ticketTemplateViolations(shown.data)).toEqual([]);
    expect(shown.data.content).toContain("⏸ **待客户反馈** · 已暂停 0 分钟：已请客户提供 \\*\\*日志\\*\\*（张三，05-21 11:00 起；恢复后时限顺延）");
    expect(shown.data.headerTags).toContain("待客户反馈");
    expect(buttonActions(shown.data)).toContain("resume");

    at("2025-05-21 14:00");
    await rig.click(buttonClick(shown, "resume", who.zhang));
    const resumed = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(resumed.waitingSince).toBeNull();
    // 11–12 and 13–14: two working hours later than before.
    expect(resumed.resolutionDueAt.getTime() - waiting.resolutionDueAt.getTime()).toBeGreaterThan(0);
    expect(closedPauses(resumed)).toEqual([{ from: new Date("2025-05-21T03:00:00Z"), to: new Date("2025-05-21T06:00:00Z") }]);
    const after = await ticketCardOf(rig, ticket.id);
    expect(after.data.note).toContain("累计暂停 2 小时（工作时间）");
    expect(buttonActions(after.data)).not.toContain("resume");

    at("2025-05-21 15:00");
    await rig.robot(rig.message(`/wait ${ticket.number} 第三方 等待供应商补丁`, who.zhang, { conversationId: group }));
    expect(await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({ waitingOn: "third_party" });
    at("2025-05-21 16:00");
    await rig.robot(rig.message(`#${ticket.number} 供应商补丁已到，客户确认可以继续`, who.reporter, { conversationId: group }));
    const back = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(back.waitingSince).toBeNull();
    expect(closedPauses(back)).toHaveLength(2);
    expect((await ticketCardOf(rig, ticket.id)).data.note).toContain("累计暂停 3 小时（工作时间）");
  });
});
