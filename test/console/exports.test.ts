// Exports over HTTP: the CSV of a filtered list has exactly the tickets the filter means (checked
// against the database filtered independently here), Excel has the same rows, text that would be
// a formula is defused, and the report exports carry the period's figures.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { performAction } from "../../src/app/tickets/act.js";
import { submitFeedback } from "../../src/app/tickets/submit.js";
import { createConsole } from "../../src/console/app.js";
import { consoleSettings } from "../../src/console/settings.js";
import { parseEnv } from "../../src/config/env.js";
import type { TicketRow } from "../../src/store/tickets.js";
import { readXlsx } from "../support/xlsx-read.js";
import { Client, feishuActor, parseCsv, people, reporter, seed, signInFeishu, startConsoleWorld, SESSION_SECRET, type ConsoleWorld, type Seeded } from "./support.js";

let w: ConsoleWorld;
let data: Seeded;
let lead: Client;
let all: TicketRow[];

beforeAll(async () => {
  w = await startConsoleWorld();
  data = await seed(w);
  // A customer who typed a spreadsheet formula; the export must not run it.
  w.clock.now = new Date(w.clock.now.getTime() - 5 * 60_000);
  await submitFeedback(w.server.ctx, { text: "=HYPERLINK(\"http://evil.example\",\"点我\") 系统报错\n客户: @SUM(1+1)", reporter, platform: "feishu", chatId: "oc_tech", messageId: "om_formula" });
  // `%` and `_` in a customer's words: the search takes them literally (issue 12.7).
  await submitFeedback(w.server.ctx, { text: "折扣 50% 不生效，字段 order_id 为空", reporter, platform: "feishu", chatId: "oc_tech", messageId: "om_wildcards" });
  // Re-categorised into another department: the new department's lead assigns it (unassigned).
  const moved = await submitFeedback(w.server.ctx, { text: "系统报错，其实是账单问题", reporter, platform: "feishu", chatId: "oc_tech", messageId: "om_moved" });
  await performAction(w.server.ctx, moved.number, "category", feishuActor(people.wang), { category: "question" });
  w.clock.now = new Date("2025-06-18T02:00:00Z");
  lead = await signInFeishu(w, people.wang);
  all = await w.server.db.ticket.findMany({ orderBy: [{ receivedAt: "desc" }, { id: "desc" }] });
}, 120_000);
afterAll(() => w?.close());

const ACTIVE = ["open", "in_progress"];
const now = () => w.clock.now;
/** The list's "overdue" in plain code: still being worked on, and flagged as breached or past a deadline. */
const overdue = (t: TicketRow) =>
  ACTIVE.includes(t.status) && (t.responseOverdue || t.resolutionOverdue || (!t.firstResponseAt && t.responseDueAt < now()) || t.resolutionDueAt < now());

async function csvNumbers(query: string): Promise<{ numbers: string[]; header: string[]; rows: string[][]; res: Response }> {
  const res = await lead.get(`/console/tickets/export.csv${query}`);
  expect(res.status).toBe(200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM: Excel then reads the Chinese right
  const [header, ...rows] = parseCsv(new TextDecoder().decode(bytes)); // the decoder drops the BOM
  return { numbers: rows.map((r) => r[0]!), header: header!, rows, res };
}

describe("ticket list CSV", () => {
  it("has the tickets each filter means, in list order", async () => {
    const cases: [string, (t: TicketRow) => boolean][] = [
      ["", () => true],
      ["?status=active", (t) => ["open", "in_progress", "resolved"].includes(t.status)],
      ["?status=closed&department=tech", (t) => t.status === "closed" && t.department === "tech"],
      ["?overdue=1", overdue],
      ["?overdue=1&department=tech", (t) => overdue(t) && t.department === "tech"],
      ["?priority=high", (t) => t.priority === "high"],
      ["?category=other", (t) => t.category === "other"],
      ["?handler=li", (t) => t.handlerId === "li"],
      ["?handler=none", (t) => t.handlerId === null],
      // Local dates in Asia/Shanghai, "to" inclusive: 2025-06-01 00:00 +08:00 … 2025-06-10 24:00 +08:00.
      ["?from=2025-06-01&to=2025-06-10", (t) => t.receivedAt >= new Date("2025-05-31T16:00:00Z") && t.receivedAt < new Date("2025-06-10T16:00:00Z")],
      // Text search: number, title, description, customer name or id.
      [`?q=${encodeURIComponent("物流")}`, (t) => [t.number, t.title, t.description, t.customerName ?? "", t.customerId ?? ""].some((x) => x.includes("物流"))],
      [`?q=${encodeURIComponent("招商银行")}`, (t) => t.customerName === "招商银行"],
      // LIKE's wildcards are characters: "%" is not "anything", "_" not "any one character".
      ...["%", "_", "50%", "r_i"].map((q): [string, (t: TicketRow) => boolean] => [`?q=${encodeURIComponent(q)}`, (t) => [t.title, t.description].some((x) => x.includes(q))]),
    ];
    for (const [query, keep] of cases) {
      const expected = all.filter(keep).map((t) => t.number);
      const { numbers } = await csvNumbers(query);
      expect(numbers, `CSV ${query || "(no filter)"}`).toEqual(expected);
      expect(expected.length, `the seed has tickets for ${query}`).toBeGreaterThan(0);
    }
  });

  it("is named and typed for a download, with a header Excel shows in Chinese", async () => {
    const { res, header } = await csvNumbers("?status=open");
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="chatdesk-tickets-20250618.csv"; filename*=UTF-8''chatdesk-tickets-20250618.csv`);
    expect(header).toEqual([
      "反馈编号", "标题", "状态", "优先级", "反馈类型", "责任部门", "负责人", "提报人", "来源", "接收时间", "客户", "客户ID", "客户等级", "联系方式",
      "反馈渠道", "涉及产品", "响应时限", "首次响应", "解决时限", "解决时间", "关闭时间", "是否超时", "满意度", "处理结果", "问题描述",
    ]);
  });

  it("writes one ticket's fields as the page shows them", async () => {
    const { rows } = await csvNumbers(`?q=${data.productTicket.number}`);
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r.slice(0, 10)).toEqual([data.productTicket.number, "希望新增开放接口，方便对接ERP", "待处理", "低", "功能需求 / 新功能需求", "产品部", "李四", "客服小刘", "feishu", "2025-06-18 09:30"]);
    expect(r[13]).toBe("13512345678"); // the lead of product sees the contact
    expect(r[21]).toBe("否");
  });

  it("defuses cells that a spreadsheet would run as a formula", async () => {
    const { rows } = await csvNumbers(`?q=${encodeURIComponent("HYPERLINK")}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]![1]).toBe(`'=HYPERLINK("http://evil.example","点我") 系统报错`);
    expect(rows[0]![10]).toBe("'@SUM(1+1)");
  });
});

describe("Excel", () => {
  it("the list export has the same rows as the CSV", async () => {
    const res = await lead.get("/console/tickets/export.xlsx?status=active&department=tech");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const [ws, ...others] = readXlsx(await res.arrayBuffer());
    expect(others).toEqual([]);
    expect(ws!.name).toBe("工单");
    expect(ws!.frozenRows).toBe(1); // the header stays in view
    const sheet = ws!.rows;
    const { header, rows } = await csvNumbers("?status=active&department=tech");
    expect(sheet[0]).toEqual(header);
    // Formula text stays text in Excel (a string cell is never evaluated), so no quote is added there.
    expect(sheet.slice(1).map((r) => r[0])).toEqual(rows.map((r) => r[0]));
    expect(sheet.length - 1).toBeGreaterThan(3);
  });

  it("the report export has one sheet per table", async () => {
    const res = await lead.get("/console/reports/export.xlsx?period=month");
    expect(res.status).toBe(200);
    const sheets = readXlsx(await res.arrayBuffer());
    expect(sheets.map((s) => s.name)).toEqual(["概览", "趋势", "类型", "部门分布", "渠道分布", "高频问题", "处理人", "满意度"]);
    expect(sheets.find((s) => s.name === "趋势")!.rows).toHaveLength(31); // header + 30 days
  });

  it("a runtime without an Excel writer (the Worker) answers 501 and points to CSV", async () => {
    // The same session key, so the lead's cookie works on this console built without an Excel writer.
    const app = createConsole(w.server.ctx, consoleSettings(parseEnv({ CHATDESK_SESSION_SECRET: SESSION_SECRET })));
    const cookie = [...lead.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await app.request("/console/tickets/export.xlsx".replace("/console", ""), { headers: { cookie } });
    expect(res.status).toBe(501);
    expect(await res.json()).toMatchObject({ code: "UNSUPPORTED", message: expect.stringContaining("CSV") });
    const csv = await app.request("/tickets/export.csv?status=open", { headers: { cookie } });
    expect(csv.status).toBe(200);
  });
});

describe("report CSV", () => {
  it("carries the period's figures, matching the database", async () => {
    const res = await lead.get("/console/reports/export.csv?period=custom&from=2025-06-01&to=2025-06-14");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("chatdesk-report-2025-06-01-2025-06-14.csv");
    const rows = parseCsv(await res.text()); // Response.text() drops the BOM
    const value = (metric: string) => rows.find((r) => r[0] === metric)?.[1];
    const inRange = all.filter((t) => t.receivedAt >= new Date("2025-05-31T16:00:00Z") && t.receivedAt < new Date("2025-06-14T16:00:00Z"));
    expect(value("统计区间")).toBe("2025-06-01 ~ 2025-06-14");
    expect(value("新增工单")).toBe(String(inRange.length));
    expect(value("已解决")).toBe(String(inRange.filter((t) => t.status === "resolved" || t.status === "closed").length));
    expect(value("当前未完结")).toBe(String(all.filter((t) => ACTIVE.includes(t.status)).length));
    // The trend section has one line per day of the period.
    const trendStart = rows.findIndex((r) => r[0] === "趋势");
    expect(rows[trendStart + 1]![0]).toBe("日期");
    expect(rows[trendStart + 2]![0]).toBe("2025-06-01");
    expect(rows[trendStart + 15]![0]).toBe("2025-06-14");
    const byDay = inRange.filter((t) => t.receivedAt >= new Date("2025-05-31T16:00:00Z") && t.receivedAt < new Date("2025-06-01T16:00:00Z")).length;
    expect(rows[trendStart + 2]![1]).toBe(String(byDay));
  });

  it("a lead of some departments gets figures for those only", async () => {
    // 李四 made lead of product alone, on a console over the same database and session key.
    const config = { ...w.server.ctx.config, departments: w.server.ctx.config.departments.map((d) => (d.id === "product" ? { ...d, leads: ["li"] } : d)) };
    const app = createConsole({ ...w.server.ctx, config }, consoleSettings(parseEnv({ CHATDESK_SESSION_SECRET: SESSION_SECRET })));
    const li = await signInFeishu(w, people.li);
    const cookie = [...li.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await app.request("/reports/export.csv?period=custom&from=2025-05-01&to=2025-06-18", { headers: { cookie } });
    expect(res.status).toBe(200);
    const rows = parseCsv(await res.text()); // Response.text() drops the BOM
    const value = (metric: string) => rows.find((r) => r[0] === metric)?.[1];
    expect(value("范围")).toBe("产品部");
    expect(value("新增工单")).toBe(String(all.filter((t) => t.department === "product").length));
    expect(Number(value("新增工单"))).toBeLessThan(all.length);
  });
});

describe("overdue means overdue now", () => {
  // Last in the file: it adds tickets the list checks above do not expect.
  it("a breach flag counts while the ticket is worked on, not once it is closed", async () => {
    const submit = (id: string) => submitFeedback(w.server.ctx, { text: `系统报错无法登录 ${id}`, reporter, platform: "feishu", chatId: "oc_tech", messageId: id });
    const flagged = await submit("om_flag_active");
    const history = await submit("om_flag_closed");
    const later = new Date(now().getTime() + 30 * 86_400_000); // deadlines well in the future: only the flag can match
    await w.server.db.ticket.update({ where: { id: flagged.id }, data: { responseOverdue: true, responseDueAt: later, resolutionDueAt: later } });
    await w.server.db.ticket.update({ where: { id: history.id }, data: { status: "closed", resolutionOverdue: true, responseDueAt: later, resolutionDueAt: later } });
    const { numbers } = await csvNumbers("?overdue=1");
    expect(numbers).toContain(flagged.number);
    expect(numbers).not.toContain(history.number);
  });
});
