// The console on the Cloudflare Worker (the real bundle in workerd, a local D1): the same routes
// work there — server-side sessions in D1 signed with a key kept in D1, sign-in throttling by
// CF-Connecting-IP, pages, CSV, the report SQL on D1 — and Excel, read back here as Excel would.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalWorker, type LocalWorker } from "../support/worker.js";
import { bandsPng } from "../support/png.js";
import { readXlsx } from "../support/xlsx-read.js";
import { teamConfig } from "../support/server.js";
import { ADMIN_TOKEN, hiddenValue, parseCsv } from "./support.js";

let w: LocalWorker;
const cookies = new Map<string, string>();

beforeAll(async () => {
  w = await startLocalWorker({
    // No CHATDESK_SESSION_SECRET: the Worker makes its key and keeps it in D1.
    vars: { LOG_LEVEL: "warn", CHATDESK_ADMIN_TOKEN: ADMIN_TOKEN, CHATDESK_CONFIG_JSON: JSON.stringify(teamConfig) },
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
    // The signing key and the session live in D1, shared by every isolate.
    expect(await w.query(`SELECT name, length(value) AS len FROM "ServerSecret"`)).toEqual([{ name: "console-session-key", len: 43 }]);
    expect(await w.query(`SELECT personId, via, admin, revokedAt FROM "ConsoleSession"`)).toEqual([{ personId: "", via: "admin", admin: 1, revokedAt: null }]);
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

  it("serves a stored attachment from R2: an image inline, an SVG only as a download", async () => {
    const [t] = await w.query<{ id: number }>(`SELECT id FROM "Ticket" WHERE number = 'FB20250617001'`);
    const png = bandsPng(4, 4);
    await w.r2Put("FB20250617001/1-shot.png", png, "image/png");
    await w.r2Put("FB20250617001/2-logo.svg", new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>"), "image/svg+xml");
    for (const [id, kind, name, type] of [[1, "image", "shot.png", "image/png"], [2, "file", "logo.svg", "image/svg+xml"]] as const) {
      await w.query(`INSERT INTO "Attachment" (id, ticketId, platform, kind, fileKey, name, size, status, contentType, storageKey) VALUES (?, ?, 'feishu', ?, ?, ?, 10, 'stored', ?, ?)`, id, t!.id, kind, `key${id}`, name, type, `FB20250617001/${id}-${name}`);
    }
    const img = await req("/console/tickets/FB20250617001/attachments/1");
    expect(img.status).toBe(200);
    expect(img.headers.get("content-type")).toBe("image/png");
    expect(img.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await img.arrayBuffer())).toEqual(png);
    const svg = await req("/console/tickets/FB20250617001/attachments/2");
    expect(svg.headers.get("content-type")).toBe("application/octet-stream");
    expect(svg.headers.get("content-disposition")).toMatch(/^attachment; filename="logo.svg"/);
    const page = await (await req("/console/tickets/FB20250617001")).text();
    expect(page).toContain('<img src="/console/tickets/FB20250617001/attachments/1"');
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

  it("logout revokes the session in D1: a copy of the cookie is refused afterwards", async () => {
    const copied = cookies.get("cd_session")!;
    const csrf = hiddenValue(await (await req("/console/tickets")).text(), "_csrf")!;
    const out = await req("/console/logout", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ _csrf: csrf }).toString() });
    expect(out.status).toBe(303);
    expect(await w.query(`SELECT revokedWhy FROM "ConsoleSession"`)).toEqual([{ revokedWhy: "logout" }]);
    const replay = await w.fetch("/console/tickets", { headers: { cookie: `cd_session=${copied}` } });
    expect(replay.status).toBe(401);
  });

  it("throttles admin-token guesses per CF-Connecting-IP and account: 429 with Retry-After", async () => {
    const guess = async (token: string) => {
      const headers = { "cf-connecting-ip": "203.0.113.9" };
      const login = await w.fetch("/console/login", { headers });
      const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
      return w.fetch("/console/login", {
        method: "POST",
        redirect: "manual",
        headers: { ...headers, cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: hiddenValue(await login.text(), "_csrf")!, token }).toString(),
      });
    };
    for (let i = 0; i < 5; i++) expect((await guess(`wrong-token-${i}`)).status).toBe(401);
    const locked = await guess(ADMIN_TOKEN);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(50);
    const rows = await w.query<{ key: string; failures: number }>(`SELECT key, failures FROM "SignInThrottle" ORDER BY key`);
    expect(rows).toEqual([
      { key: "account:admin", failures: 5 },
      { key: "addr:203.0.113.9", failures: 5 },
    ]);
  });
});
