// Long-connection mode (FEISHU_MODE=ws) end to end: the server's SDK WSClient discovers the fake
// gateway through POST /callback/ws/endpoint, connects over WebSocket, and receives protobuf frames;
// messages become tickets and card clicks are answered in the ACK frame, no public URL involved.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allEvents } from "../../src/store/tickets.js";
import { cardActionEvent, groupMention } from "../support/feishu-events.js";
import { actionsOf, eventually, expectValidCard, formsOf, startFeishuStack, statusOf, valueFor, type FeishuStack, type Json } from "../support/feishu-stack.js";

let clock = new Date("2025-05-23T02:00:00Z"); // Fri 10:00 Asia/Shanghai
let f: FeishuStack;
beforeAll(async () => {
  f = await startFeishuStack({ now: () => clock, longConnections: true, env: { FEISHU_MODE: "ws" } });
  await eventually(() => f.fake.ws.connections() === 1, "the long connection to the fake gateway");
});
afterAll(() => f.close());

const REPORTER = "ou_reporter_ws";
const ZHANG = "ou_handler_zhang";
const SOURCE = "om_src_ws";

/** Push one event down the socket and wait for the SDK's ACK frame. */
async function push(payload: unknown) {
  const id = f.fake.ws.push(payload);
  const ack = await f.fake.ws.waitForAck(id);
  await f.s.idle();
  return ack;
}

describe("Feishu long connection, end to end", () => {
  let cardId = "";
  const groupCard = (): Json => expectValidCard(f.fake.cards().filter((c) => c.messageId === cardId).at(-1)!.card);

  it("connects with the app's credentials; no webhook is involved", () => {
    const endpoint = f.fake.calls.filter((c) => c.path === "/callback/ws/endpoint");
    expect(endpoint).toHaveLength(1);
    expect(endpoint[0]!.body).toEqual({ AppID: f.env.FEISHU_APP_ID, AppSecret: f.env.FEISHU_APP_SECRET });
  });

  it("a message event becomes a ticket; the ACK is sent once it is stored", async () => {
    const event = groupMention("@_user_1 客户说系统报错无法登录", { messageId: SOURCE, senderId: REPORTER });
    const ack = await push(event);
    expect(ack).toMatchObject({ code: 200, data: undefined });
    const t = await f.s.db.ticket.findFirstOrThrow({ where: { messageId: SOURCE } });
    expect(t).toMatchObject({ status: "open", reporterId: REPORTER, department: "tech", version: 1 });
    expect(t.description).toBe("客户说系统报错无法登录"); // the bot mention is recognised over ws too
    const ref = await f.s.db.cardRef.findFirstOrThrow({ where: { ticketId: t.id } });
    cardId = ref.ref;
    expect(statusOf(groupCard())).toBe("待处理");

    // Feishu re-pushes over the socket as well: still one ticket.
    expect((await push({ ...event, header: { ...event.header, event_id: "ev_ws_repush" } })).code).toBe(200);
    expect(await f.s.db.ticket.count({ where: { messageId: SOURCE } })).toBe(1);
  });

  it("claim → progress → resolve → confirm, each click answered in the ACK frame with the new card", async () => {
    const steps: { operator: string; action: string; form?: Record<string, string>; status: string; forms: string[] }[] = [
      { operator: ZHANG, action: "claim", status: "处理中", forms: ["progress_form", "resolve_form", "block_form", "wait_form"] },
      { operator: ZHANG, action: "progress", form: { text: "已定位到认证服务超时" }, status: "处理中", forms: ["progress_form", "resolve_form", "block_form", "wait_form"] },
      { operator: ZHANG, action: "resolve", form: { result: "已发布 v3.2.1 修复" }, status: "待确认", forms: ["confirm_form", "reopen_form"] },
      { operator: REPORTER, action: "confirm", form: { score: "4", comment: "还不错" }, status: "已关闭", forms: ["reopen_form"] },
    ];
    for (const [i, step] of steps.entries()) {
      clock = new Date(clock.getTime() + 30 * 60_000);
      const ack = await push(
        cardActionEvent({ operatorId: step.operator, messageId: cardId, value: valueFor(groupCard(), step.action), ...(step.form ? { formValue: step.form } : {}) }),
      );
      expect(ack.code).toBe(200);
      const reply = ack.data as Json;
      expect((reply.toast as Json).type).toBe("success");
      const answered = expectValidCard((reply.card as Json).data);
      expect(statusOf(answered)).toBe(step.status);
      expect(formsOf(answered)).toEqual(step.forms);
      // The group card is patched in place with the same content.
      expect(f.fake.cards().filter((c) => c.method === "PATCH")).toHaveLength(i + 1);
      expect(groupCard()).toEqual(answered);
    }
    expect(actionsOf(groupCard())).toEqual(["reopen"]);

    const t = await f.s.db.ticket.findFirstOrThrow({ where: { messageId: SOURCE } });
    expect(t).toMatchObject({ status: "closed", handlerId: "zhang", satisfaction: 4, customerComment: "还不错", version: 5 });
    expect((await allEvents(f.s.db, t.id)).map((e) => e.kind)).toEqual(["created", "claimed", "progress", "resolved", "confirmed"]);
    expect(await f.s.db.satisfaction.findMany({ where: { ticketId: t.id }, select: { score: true, actorId: true } })).toEqual([{ score: 4, actorId: REPORTER }]);
  });

  it("a click without permission is refused in the ACK and changes nothing", async () => {
    const t = await f.s.db.ticket.findFirstOrThrow({ where: { messageId: SOURCE } });
    const ack = await push(cardActionEvent({ operatorId: "ou_passer_by", messageId: cardId, value: valueFor(groupCard(), "reopen"), formValue: { reason: "不行" } }));
    expect((ack.data as Json).toast).toEqual({ type: "warning", content: expect.stringMatching(/^你没有权限.*（需要：提报人 \/ 主管 \/ 负责人）$/) });
    expect((await f.s.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).version).toBe(t.version);
  });
});
