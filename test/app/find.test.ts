// /find through the real Feishu webhook (signed, encrypted), answered with the list card: the search
// means what it says — `%` and `_` are characters, not wildcards (issue 12.7) — and it is served by
// the FTS5 indexes (3+ characters: trigram; 2-character Chinese terms: character pairs), which the
// triggers keep in step when a ticket is created, edited or deleted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitFeedback } from "../../src/app/tickets/submit.js";
import { listTickets } from "../../src/store/ticket-query.js";
import { groupMention } from "../support/feishu-events.js";
import { expectValidCard, startFeishuStack, textOf, type FeishuStack, type Json } from "../support/feishu-stack.js";

const reporter = { platform: "feishu" as const, userId: "ou_reporter_find", name: "客服小刘" };

describe("/find on Feishu", () => {
  let f: FeishuStack;
  const numbers: Record<string, string> = {};
  beforeAll(async () => {
    f = await startFeishuStack();
    for (const [key, text] of [
      ["percent", "折扣 50% 不生效"],
      ["underscore", "字段 order_id 导出为空"],
      ["login", "系统报错无法登录"],
      ["plain", "希望增加批量导入功能"],
      ["english", "Export times out for ACME"],
    ] as const) {
      const t = await submitFeedback(f.s.ctx, { text, reporter, platform: "feishu", chatId: `oc_ticket_room_${key}`, form: { category: "bug" } });
      numbers[key] = t.number;
    }
    await f.s.idle();
  });
  afterAll(() => f.close());

  let seq = 0;
  /** Send "/find <q>" in a group (one per query: the per-chat send limit would hold back the replies); the list card it answered with: title, ticket numbers, the rest of its text. */
  async function find(q: string): Promise<{ title: string; numbers: string[]; text: string }> {
    const replies = () => f.fake.calls.filter((c) => c.path.endsWith("/reply") && (c.body as Json | undefined)?.msg_type === "interactive");
    const before = replies().length;
    const r = await f.deliver(groupMention(`@_user_1 /find ${q}`, { chatId: `oc_find_room_${++seq}`, messageId: `om_find_${seq}`, senderId: "ou_reporter_find" }));
    expect(r.status).toBe(200);
    await f.s.idle();
    const sent = replies().slice(before);
    expect(sent).toHaveLength(1);
    const card = expectValidCard(JSON.parse(String((sent[0]!.body as Json).content)));
    const title = String(((card.header as Json).title as Json).content);
    const text = textOf(card);
    return { title, numbers: [...text.matchAll(/FB\d{11}/g)].map((m) => m[0]).sort(), text };
  }
  const of = (...keys: string[]) => keys.map((k) => numbers[k]!).sort();

  it("`%` and `_` are literal: `/find %` lists the one ticket with a percent sign, not every ticket", async () => {
    const r = await find("%");
    expect(r.title).toBe("搜索结果：%");
    expect(r.numbers).toEqual(of("percent"));
    expect((await find("50%")).numbers).toEqual(of("percent"));
    expect((await find("_")).numbers).toEqual(of("underscore"));
    expect((await find("r_i")).numbers).toEqual(of("underscore")); // "r_i" of order_id; "_" matches no other character
    expect((await find("%%")).numbers).toEqual([]);
    expect((await find('"')).text).toContain("没有符合条件的工单"); // FTS syntax characters are text too
    expect((await find('无法" OR "导入')).numbers).toEqual([]);
  });

  it("finds 2-character Chinese terms, 3+ character substrings, numbers and English case-insensitively", async () => {
    expect((await find("登录")).numbers).toEqual(of("login"));
    expect((await find("报错无法")).numbers).toEqual(of("login"));
    expect((await find("导入")).numbers).toEqual(of("plain"));
    expect((await find("导")).numbers).toEqual(of("underscore", "plain")); // one character: a (literal) LIKE
    expect((await find("acme")).numbers).toEqual(of("english"));
    expect((await find(numbers.login!.toLowerCase())).numbers).toEqual(of("login"));
    expect((await find("不存在的词")).text).toContain("没有符合条件的工单");
  });

  it("the indexes follow edits and deletions (triggers)", async () => {
    const db = f.s.ctx.db;
    await db.ticket.update({ where: { number: numbers.plain! }, data: { title: "希望增加批量登录功能", description: "希望增加批量登录功能" } });
    expect((await listTickets(db, { text: "登录" })).rows.map((t) => t.number).sort()).toEqual(of("login", "plain"));
    expect((await listTickets(db, { text: "导入" })).total).toBe(0);
    expect((await listTickets(db, { text: "批量登录" })).total).toBe(1);
    await db.ticketEvent.deleteMany({ where: { ticket: { number: numbers.login! } } });
    await db.ticket.delete({ where: { number: numbers.login! } });
    expect((await listTickets(db, { text: "报错无法" })).total).toBe(0);
    expect((await listTickets(db, { text: "登录" })).rows.map((t) => t.number)).toEqual([numbers.plain]);
  });
});
