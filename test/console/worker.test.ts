// The console on the Cloudflare Worker (the real bundle in workerd, a local D1): the same routes
// work there — sessions with Web Crypto, pages, CSV, the report SQL on D1 — and Excel, read back here as Excel would.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalWorker, type LocalWorker } from "../support/worker.js";
import { readXlsx } from "../support/xlsx-read.js";
import { teamConfig } from "../support/server.js";
import { ADMIN_TOKEN, hiddenValue, parseCsv, SESSION_SECRET } from "./support.js";

let w: LocalWorker;
const cookies = new Map<string, string>();

beforeAll(async () => {
  w = await startLocalWorker({
    vars: { LOG_LEVEL: "warn", CHATDESK_ADMIN_TOKEN: ADMIN_TOKEN, CHATDESK_SESSION_SECRET: SESSION_SECRET, CHATDESK_CONFIG_JSON: JSON.stringify(teamConfig) },
  });
  // Two tickets as the store writes them (times are Prisma's ISO text).
  const t = (d: string) => `${d}.000+00:00`;
  for (const [n, status, dept, received] of [
    ["FB20250617001", "open", "tech", "2025-06-17T02:00:00"],
    ["FB20250618001", "closed", "product", "2025-06-18T01:00:00"],
  ] as const) {
    await w.query(
      `INSERT INTO "Ticket" (number, title, description, status, category, priority, department, handlerId, reporterId, platform, receivedAt, responseDueAt, resolutionDueAt, lastProgressAt, customerContact, updatedAt)
       VALUES (?, ?, ?, ?, 'bug', 'high', ?, 'zhang', 'ou_r', 'feishu', ?, ?, ?, ?, '13812345678', ?)`,
      n, `标题 ${n}`, `描述 ${n}`, status, dept, t(received), t("2025-06-17T06:00:00"), t("2099-01-01T00:00:00"), t(received), t(received),
    );
  }
}, 180_000);
afterAll(() => w?.close());

async function req(path: string, init: RequestInit = {}): Promise<Response> {
  const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await w.fetch(path, { redirect: "manual", ...init, headers: { ...(cookie ? { cookie } : {}), ...(init.headers as Record<string, string>) } });
  const set = res.headers.get("set-cookie");
  // The harness hands headers over as a plain object: one Set-Cookie per response is all we use.
  if (set) {
    const [pair] = set.split(";");
    const i = pair!.indexOf("=");
    cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
  }
  return res;
}

describe("console on the Worker", () => {
  it("401 before sign-in; the admin token signs in (Web Crypto sessions)", async () => {
    expect((await req("/console/tickets")).status).toBe(401);
    const login = await req("/console/login");
    expect(login.status).toBe(200);
    const csrf = hiddenValue(await login.text(), "_csrf")!;
    const res = await req("/console/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: csrf, token: ADMIN_TOKEN, next: "/console/tickets" }).toString(),
    });
    expect(res.status).toBe(303);
    expect(cookies.has("cd_session")).toBe(true);
  });

  it("serves the list from D1 and its CSV", async () => {
    const page = await req("/console/tickets?status=open");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-number="FB20250617001"');
    expect(html).not.toContain('data-number="FB20250618001"');
    const csv = await req("/console/tickets/export.csv");
    expect(csv.status).toBe(200);
    const rows = parseCsv(new TextDecoder().decode(await csv.arrayBuffer()));
    expect(rows.slice(1).map((r) => r[0])).toEqual(["FB20250618001", "FB20250617001"]);
  });

  it("runs the report aggregates on D1", async () => {
    const res = await req("/console/reports?period=custom&from=2025-06-01&to=2025-06-18");
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/data-kpi="received"><div class="small muted">新增工单<\/div><div class="v">2<\/div>/);
  });

  it("exports Excel: the same rows as the CSV, header frozen; the report has one sheet per table", async () => {
    const res = await req("/console/tickets/export.xlsx");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const [sheet] = readXlsx(await res.arrayBuffer());
    const csv = parseCsv(new TextDecoder().decode(await (await req("/console/tickets/export.csv")).arrayBuffer()));
    expect(sheet).toMatchObject({ name: "工单", frozenRows: 1 });
    expect(sheet!.rows[0]).toEqual(csv[0]);
    expect(sheet!.rows.slice(1).map((r) => r[0])).toEqual(["FB20250618001", "FB20250617001"]);
    const report = await req("/console/reports/export.xlsx?period=custom&from=2025-06-01&to=2025-06-18");
    expect(report.status).toBe(200);
    expect(readXlsx(await report.arrayBuffer()).map((s) => s.name)).toEqual(["概览", "趋势", "类型", "部门分布", "渠道分布", "高频问题", "处理人", "满意度"]);
  });
});
