// Issue 15: what one Feishu ticket costs the database, from the signed webhook to the reply card
// and the handler's @ being sent — statements, and transactions that write (each a fsync in WAL).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupMention } from "../support/feishu-events.js";
import { startFeishuStack, type FeishuStack } from "../support/feishu-stack.js";
import { countStatements } from "../support/statement-count.js";

let f: FeishuStack;
beforeAll(async () => {
  f = await startFeishuStack();
  // Warm-up: the bot's identity, the token, first-time names — not what every ticket pays.
  await f.deliver(groupMention("@_user_1 预热：页面打不开", { senderId: "ou_reporter_warm" }));
  await f.s.idle();
});
afterAll(() => f.close());

describe("one Feishu ticket's statements", () => {
  it("is created, answered with its card and the handler's @, in few statements and write transactions", async () => {
    const n = await countStatements(async () => {
      const res = await f.deliver(groupMention("@_user_1 客户说系统报错无法登录\n客户: 华为技术有限公司", { messageId: "om_count_1", senderId: "ou_reporter_liu" }));
      expect(res.status).toBe(200);
      await f.s.idle();
    });
    const t = await f.s.db.ticket.findFirstOrThrow({ where: { messageId: "om_count_1" } });
    const sent = f.fake.calls.filter((c) => c.path.startsWith("/open-apis/im/") && JSON.stringify(c.body).includes(t.number));
    expect(sent.length).toBeGreaterThanOrEqual(2); // the card and the "assigned" @
    const listing = n.sql.map((s) => s.replace(/\s+/g, " ").slice(0, 140)).join("\n");
    console.log(`one Feishu ticket: ${n.statements} statements, ${n.writeTransactions} write transactions`);
    // Before issue 15: 29 statements in 13 write transactions.
    expect(n.statements, listing).toBeLessThanOrEqual(25);
    expect(n.writeTransactions, listing).toBeLessThanOrEqual(7);
    // The creation is one transaction: turn, number, ticket, event, both outbox rows and the inbound done mark.
    const tx = n.sql.slice(n.sql.indexOf("BEGIN"), n.sql.indexOf("COMMIT") + 1).map((s) => s.trim().split("(")[0]!.replace(/`main`\.|[`"]/g, "").trim());
    expect(tx).toEqual([
      "BEGIN",
      "INSERT INTO PoolCursor",
      "INSERT INTO DaySequence",
      "INSERT INTO Ticket",
      "INSERT INTO TicketEvent",
      "INSERT INTO OutboundMessage",
      "INSERT INTO OutboundMessage",
      "UPDATE InboundEvent SET status = ?, processedAt = ?, lockedUntil = ?, lastError = ? WHERE InboundEvent.id = ?",
      "COMMIT",
    ]);
    // No re-read of the ticket just written: no SELECT of Ticket by id before the card went out.
    expect(n.sql.filter((s) => /^SELECT[\s\S]*FROM `main`\.`Ticket` WHERE \(`main`\.`Ticket`\.`id` = \?/.test(s.trim()) && !/`version` FROM/.test(s))).toEqual([]);
  });
});
