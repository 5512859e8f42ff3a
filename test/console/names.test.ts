// Issue 12 in the console: a handler and a reporter who are not in the workflow file are shown by their
// cached platform names (PersonName) on the ticket list, the ticket page (fields and timeline), the
// reports page and the CSV export — never by "feishu:ou_…" or a bare open_id — through the real routes,
// signed in as the lead.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { performAction } from "../../src/app/tickets/act.js";
import { submitFeedback } from "../../src/app/tickets/submit.js";
import type { Actor } from "../../src/core/types.js";
import { saveName } from "../../src/store/person-names.js";
import type { TicketRow } from "../../src/store/tickets.js";
import { feishuActor, parseCsv, people, signInFeishu, startConsoleWorld, type Client, type ConsoleWorld } from "./support.js";

/** Text a person reads in a page: tags gone (each a line break), entities decoded, blank lines dropped. */
const pageText = (html: string) =>
  html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, "")
    .replace(/<[^>]+>/g, "\n")
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e]!)
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join("\n");

/** A guest reporter and a colleague from another team: in no department of the workflow file. */
const guest: Actor = { platform: "feishu", userId: "ou_guest", name: "小钱" };
const outsider: Actor = { platform: "feishu", userId: "ou_outsider" };
const IDS = /ou_guest|ou_outsider|feishu:/;

let w: ConsoleWorld;
let lead: Client;
let t: TicketRow;
beforeAll(async () => {
  w = await startConsoleWorld();
  const ctx = w.server.ctx;
  w.clock.now = new Date(w.clock.now.getTime() - 3_600_000);
  t = await submitFeedback(ctx, { text: "系统报错，客户的报表导不出来\n客户: 招商银行", reporter: guest, platform: "feishu", chatId: "oc_tech", messageId: "om_names_1" });
  await performAction(ctx, t.number, "reassign", feishuActor(people.wang), { target: outsider.userId }, "command");
  await performAction(ctx, t.number, "claim", outsider, {}, "card");
  await performAction(ctx, t.number, "progress", outsider, { text: "已联系数据库团队" }, "card");
  // The cache as the processing after an ack leaves it: the guest's real name (the event said 小钱).
  await saveName(w.server.db, { platform: "feishu", userId: "ou_guest", name: "钱多多", source: "api", fetchedAt: w.clock.now });
  await saveName(w.server.db, { platform: "feishu", userId: "ou_outsider", name: "外援老周", source: "api", fetchedAt: w.clock.now });
  w.clock.now = new Date("2025-06-18T02:00:00Z");
  lead = await signInFeishu(w, people.wang);
}, 60_000);
afterAll(() => w?.close());

describe("the console names people outside the workflow file from the cache", () => {
  it("the ticket list: the handler column reads 外援老周", async () => {
    const res = await lead.get("/console/tickets");
    expect(res.status).toBe(200);
    const html = await res.text();
    const row = new RegExp(`<tr[^>]*>(?:(?!</tr>)[\\s\\S])*${t.number}(?:(?!</tr>)[\\s\\S])*</tr>`).exec(html)?.[0] ?? "";
    expect(pageText(row)).toContain("外援老周");
    expect(pageText(html)).not.toMatch(IDS);
  });

  it("the ticket page: 处理人 / 提报人 and the timeline by name", async () => {
    const res = await lead.get(`/console/tickets/${t.number}`);
    expect(res.status).toBe(200);
    const text = pageText(await res.text());
    expect(text).toMatch(/处理人\n外援老周/);
    expect(text).toMatch(/提报人\n钱多多/);
    expect(text).toMatch(/外援老周\n认领/);
    expect(text).toMatch(/外援老周\n进展/);
    expect(text).toContain("张三 → 外援老周");
    expect(text).not.toMatch(IDS);
    expect(text).not.toContain("小钱");
  });

  it("the reports page: the handler's load row reads 外援老周", async () => {
    const res = await lead.get("/console/reports?period=week");
    expect(res.status).toBe(200);
    const html = await res.text();
    const row = /<tr data-handler="feishu:ou_outsider">([\s\S]*?)<\/tr>/.exec(html)?.[1];
    expect(row, "a load row for the outsider").toBeDefined();
    expect(pageText(row!).split("\n")[0]).toBe("外援老周");
    expect(pageText(html)).not.toMatch(IDS);
  });

  it("the CSV export: 处理人 and 提报人 columns by name", async () => {
    const res = await lead.get("/console/tickets/export.csv");
    expect(res.status).toBe(200);
    const [header, ...rows] = parseCsv(new TextDecoder().decode(new Uint8Array(await res.arrayBuffer())));
    const row = rows.find((r) => r[0] === t.number)!;
    expect(row[header!.indexOf("处理人")]).toBe("外援老周");
    expect(row[header!.indexOf("提报人")]).toBe("钱多多");
    expect(rows.flat().join("\n")).not.toMatch(IDS);
  });
});
