// D1 has no transactions: a Worker that dies between the timeline insert and the ticket update leaves an
// event holding the next version. The store must not let that freeze the ticket forever, nor mistake a
// change still in flight for an abandoned one. The half-written state is reproduced on SQLite by hand.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { performAction } from "../../src/app/tickets/act.js";
import { submitFeedback } from "../../src/app/tickets/submit.js";
import type { ChatDeskError } from "../../src/core/errors.js";
import type { Actor } from "../../src/core/types.js";
import { allEvents } from "../../src/store/tickets.js";
import { startTestServer, teamConfig, type TestServer } from "../support/server.js";

const reporter: Actor = { platform: "feishu", userId: "ou_reporter_1", name: "客服小刘" };
const zhang: Actor = { platform: "feishu", userId: "ou_handler_zhang", name: "张三" };
let clock = new Date("2025-05-21T02:00:00Z");
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ config: teamConfig, now: () => clock });
});
afterAll(() => s.close());

async function halfWrittenClaim(at: Date) {
  const t = await submitFeedback(s.ctx, { text: "系统报错无法登录", reporter, platform: "feishu", chatId: "oc_group" });
  // What a dead invocation leaves: the event for version 2, the ticket still at version 1.
  await s.db.ticketEvent.create({
    data: { ticketId: t.id, at, actorId: zhang.userId, actorName: zhang.name ?? null, kind: "claimed", source: "card", ticketVersion: 2, payload: "{}" },
  });
  return t;
}

describe("a change left half-written", () => {
  it("an abandoned claim on the next version is cleared and the change goes through", async () => {
    const t = await halfWrittenClaim(new Date(clock.getTime() - 5 * 60_000));
    const r = await performAction(s.ctx, t.number, "claim", zhang);
    expect(r.ticket).toMatchObject({ status: "in_progress", handlerId: "zhang", version: 2 });
    const events = await allEvents(s.db, t.id);
    expect(events.map((e) => [e.kind, e.ticketVersion])).toEqual([
      ["created", 1],
      ["claimed", 2],
    ]);
    expect(events[1]!.at.toISOString()).toBe(clock.toISOString());
  });

  it("a fresh claim is taken for a change in flight: the caller gets a conflict and nothing is removed", async () => {
    const t = await halfWrittenClaim(new Date(clock.getTime() - 5_000));
    const code = await performAction(s.ctx, t.number, "claim", zhang).then(
      () => "OK",
      (e: ChatDeskError) => e.code,
    );
    expect(code).toBe("CONFLICT");
    expect(await s.db.ticketEvent.count({ where: { ticketId: t.id, ticketVersion: 2 } })).toBe(1);
    expect((await s.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).version).toBe(1);
  });
});
