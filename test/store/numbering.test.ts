// 1,000 concurrent creations: every ticket gets its own number, the day's sequence has no gaps or
// repeats — including across two independent connections (as two server processes would have).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { submitFeedback } from "../../src/app/tickets/submit.js";
import { createSqliteDb } from "../../src/adapter/node/db.js";
import { nextSequence } from "../../src/store/sequences.js";
import type { Db } from "../../src/store/db.js";
import { startTestServer, type TestServer } from "../support/server.js";

const clock = new Date("2024-11-23T03:00:00Z");
let s: TestServer;
let other: Db;
beforeAll(async () => {
  s = await startTestServer({ now: () => clock });
  other = createSqliteDb(path.join(s.dir, "chatdesk.db"));
});
afterAll(async () => {
  await other.$disconnect();
  await s.close();
});

describe("ticket numbers", () => {
  it("1,000 concurrent submissions get 1,000 distinct numbers FB20241123001…1000", async () => {
    const reporter = { platform: "feishu" as const, userId: "ou_r" };
    const tickets = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => submitFeedback(s.ctx, { text: `客户反馈 ${i}：页面加载缓慢`, reporter, platform: "feishu", chatId: "oc_x" })),
    );
    const numbers = tickets.map((t) => t.number);
    expect(new Set(numbers).size).toBe(1000);
    const seqs = numbers.map((n) => Number(n.slice("FB20241123".length))).sort((a, b) => a - b);
    expect(seqs[0]).toBe(1);
    expect(seqs[999]).toBe(1000);
    expect(numbers).toContain("FB20241123001");
    expect(numbers).toContain("FB202411231000");
    expect(await s.db.ticket.count()).toBe(1000);
  });

  it("two connections bumping the same day's counter never hand out a value twice", async () => {
    const key = "CS20241124";
    const values = await Promise.all(Array.from({ length: 400 }, (_, i) => nextSequence(i % 2 ? s.db : other, key)));
    expect(new Set(values).size).toBe(400);
    expect(Math.max(...values)).toBe(400);
  });

  it("the date part is the local date of the calendar's zone", async () => {
    // 2024-11-23 16:30Z is already the 24th in Asia/Shanghai
    const late = new Date("2024-11-23T16:30:00Z");
    const s2 = await startTestServer({ now: () => late });
    try {
      const t = await submitFeedback(s2.ctx, { text: "系统报错", reporter: { platform: "feishu", userId: "u" }, platform: "feishu" });
      expect(t.number).toBe("FB20241124001");
    } finally {
      await s2.close();
    }
  });
});
