// Who may see and do what in the console, over HTTP against the real server: 401 without a session,
// 403 without a role (or for reports without lead rights), CSRF on every POST, the admin token,
// contact masking, and that a page action goes through the same rules as the card.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitFeedback } from "../../src/app/tickets/submit.js";
import { ADMIN_TOKEN, Client, hiddenValue, people, reporter, seed, signInAdmin, signInFeishu, startConsoleWorld, type ConsoleWorld, type Seeded } from "./support.js";

let w: ConsoleWorld;
let data: Seeded;
beforeAll(async () => {
  w = await startConsoleWorld();
  data = await seed(w);
}, 120_000);
afterAll(() => w?.close());

const newTicket = (text: string, chatId = "oc_tech") => submitFeedback(w.server.ctx, { text, reporter, platform: "feishu", chatId, messageId: `om_${Math.random()}` });
const version = async (id: number) => (await w.server.db.ticket.findUniqueOrThrow({ where: { id } })).version;

/** The CSRF token and version a ticket page offers to its forms. */
async function formOf(c: Client, number: string) {
  const html = await (await c.get(`/console/tickets/${number}`)).text();
  return { csrf: hiddenValue(html, "_csrf")!, v: hiddenValue(html, "v")!, html };
}

describe("without a session", () => {
  const anon = () => new Client(w.url);

  it("pages answer 401 with the sign-in page", async () => {
    for (const path of ["/console/tickets", `/console/tickets/${data.scenario.number}`, "/console/reports", "/console/nowhere"]) {
      const res = await anon().get(path);
      expect(res.status, path).toBe(401);
      const html = await res.text();
      expect(html).toContain('id="login-feishu"');
      expect(html).not.toContain(data.scenario.title);
    }
  });

  it("exports answer 401 and carry no data", async () => {
    for (const path of ["/console/tickets/export.csv", "/console/tickets/export.xlsx", "/console/reports/export.csv"]) {
      const res = await anon().get(path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get("content-type")).toContain("text/html");
    }
  });

  it("a POST answers 401 and changes nothing", async () => {
    const t = await newTicket("系统报错无法登录 anon");
    const res = await anon().post(`/console/tickets/${t.number}/actions/claim`, { v: "1" });
    expect(res.status).toBe(401);
    expect(await version(t.id)).toBe(1);
  });

  it("a forged or tampered session cookie is no session", async () => {
    const c = await signInFeishu(w, people.wang);
    const real = c.cookies.get("cd_session")!;
    const [payload, sig] = real.split(".");
    const forged = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
    forged.personId = "zhao";
    const tampered = new Client(w.url);
    tampered.cookies.set("cd_session", `${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${sig}`);
    expect((await tampered.get("/console/tickets")).status).toBe(401);
    expect((await c.get("/console/tickets")).status).toBe(200);
  });

  it("a session expires after 12 hours", async () => {
    const c = await signInFeishu(w, people.wang);
    expect((await c.get("/console/tickets")).status).toBe(200);
    w.clock.now = new Date(w.clock.now.getTime() + 12 * 3_600_000 + 1);
    try {
      expect((await c.get("/console/tickets")).status).toBe(401);
    } finally {
      w.clock.now = new Date("2025-06-18T02:00:00Z");
    }
  });
});

describe("signed in without the right role", () => {
  it("a reporter without a console role is refused at sign-in with 403 and gets no session", async () => {
    const c = new Client(w.url);
    w.feishu.oauth.signInAs({ openId: people.liu.openId, name: people.liu.name });
    const res = await c.follow("/console/auth/feishu");
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("你没有使用控制台的权限");
    expect(c.cookies.has("cd_session")).toBe(false);
    expect((await c.get("/console/tickets")).status).toBe(401);
  });

  it("a platform user who is not in the people list is refused with 403", async () => {
    const c = new Client(w.url);
    w.feishu.oauth.signInAs({ openId: "ou_stranger", name: "路人甲" });
    const res = await c.follow("/console/auth/feishu");
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("你的账号（路人甲）未在 ChatDesk 人员配置中");
  });

  it("a handler may not open reports or their exports (403) and sees no link to them", async () => {
    const c = await signInFeishu(w, people.zhang);
    const list = await c.get("/console/tickets");
    expect(list.status).toBe(200);
    expect(await list.text()).not.toContain('href="/console/reports"');
    for (const path of ["/console/reports", "/console/reports/export.csv", "/console/reports/export.xlsx"]) {
      expect((await c.get(path)).status, path).toBe(403);
    }
  });

  it("a handler may not claim another department's ticket: 403 from the same rule as the card", async () => {
    const c = await signInFeishu(w, people.zhang);
    const t = data.productTicket; // product: handled by 李四, 张三 has no role there
    const { csrf, v, html } = await formOf(c, t.number);
    expect(html).not.toContain('data-action="claim"'); // not offered…
    const res = await c.post(`/console/tickets/${t.number}/actions/claim`, { _csrf: csrf, v }); // …and refused
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("你没有权限认领");
    expect(await version(t.id)).toBe(t.version);
  });
});

describe("blocked work (受阻) on the page", () => {
  it("the handler marks a ticket blocked with a reason, the page shows it and offers only 解除受阻, which clears it", async () => {
    const t = await newTicket("系统报错无法登录 blocked");
    const c = await signInFeishu(w, people.zhang);
    let form = await formOf(c, t.number);
    expect(form.html).not.toContain('data-action="block"'); // open tickets cannot be blocked…
    expect((await c.post(`/console/tickets/${t.number}/actions/claim`, { _csrf: form.csrf, v: form.v })).status).toBe(303);

    form = await formOf(c, t.number); // …work in progress can
    expect(form.html).toContain('data-action="block"');
    expect(form.html).not.toContain('data-action="unblock"');
    const res = await c.post(`/console/tickets/${t.number}/actions/block`, { _csrf: form.csrf, v: form.v, text: "需要数据库组配合扩容" });
    expect(res.status).toBe(303);
    expect(await w.server.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).toMatchObject({ status: "in_progress", blockedReason: "需要数据库组配合扩容", blockedBy: "张三" });

    form = await formOf(c, t.number);
    expect(form.html).toMatch(/id="blocked"[^>]*>🚧 受阻：需要数据库组配合扩容（张三，/);
    expect(form.html).toContain('data-action="unblock"');
    expect(form.html).not.toContain('data-action="block"');
    expect((await c.post(`/console/tickets/${t.number}/actions/unblock`, { _csrf: form.csrf, v: form.v })).status).toBe(303);
    const after = await w.server.db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(after).toMatchObject({ blockedAt: null, blockedReason: null });
    const kinds = (await w.server.db.ticketEvent.findMany({ where: { ticketId: t.id }, orderBy: { id: "asc" } })).map((e) => `${e.kind}/${e.source}`);
    // The lead was told at once (the escalation entry), and the page recorded its own actions as "web".
    expect(kinds).toEqual(["created/message", "claimed/web", "blocked/web", "escalated/system", "unblocked/web"]);
  });

  it("a block without a reason is refused and changes nothing", async () => {
    const t = await newTicket("系统报错无法登录 blocked empty");
    const c = await signInFeishu(w, people.zhang);
    let form = await formOf(c, t.number);
    await c.post(`/console/tickets/${t.number}/actions/claim`, { _csrf: form.csrf, v: form.v });
    form = await formOf(c, t.number);
    const res = await c.post(`/console/tickets/${t.number}/actions/block`, { _csrf: form.csrf, v: form.v, text: "  " });
    expect(res.status).toBe(400);
    expect((await w.server.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).blockedAt).toBeNull();
  });
});

describe("CSRF", () => {
  it("refuses a POST without a token, with a wrong one, with another session's, or from another site", async () => {
    const t = await newTicket("系统报错无法登录 csrf");
    const c = await signInFeishu(w, people.wang);
    const other = await signInFeishu(w, people.zhao);
    const { csrf, v } = await formOf(c, t.number);
    const { csrf: otherCsrf } = await formOf(other, t.number);
    const url = `/console/tickets/${t.number}/actions/claim`;

    const attempts: [string, Promise<Response>][] = [
      ["no token", c.post(url, { v })],
      ["wrong token", c.post(url, { v, _csrf: `${csrf.slice(0, -2)}xx` })],
      ["another session's token", c.post(url, { v, _csrf: otherCsrf })],
      ["foreign origin", c.post(url, { v, _csrf: csrf }, { origin: "https://evil.example.com" })],
    ];
    for (const [what, p] of attempts) {
      const res = await p;
      expect(res.status, what).toBe(403);
      expect(await res.text(), what).toContain("表单已失效");
    }
    expect(await version(t.id)).toBe(1);

    const ok = await c.post(url, { v, _csrf: csrf }, { origin: w.url });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe(`/console/tickets/${t.number}?done=claim`);
    expect(await w.server.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).toMatchObject({ status: "in_progress", handlerId: "wang", version: 2 });
  });

  it("signing out needs the token too", async () => {
    const c = await signInFeishu(w, people.wang);
    expect((await c.post("/console/logout", {})).status).toBe(403);
    expect((await c.get("/console/tickets")).status).toBe(200);
    const { csrf } = await formOf(c, data.scenario.number);
    const out = await c.post("/console/logout", { _csrf: csrf });
    expect(out.status).toBe(303);
    expect((await c.get("/console/tickets")).status).toBe(401);
  });

  it("a stale page (the ticket changed since) is answered 409 with the current state", async () => {
    const t = await newTicket("系统报错无法登录 stale");
    const lead = await signInFeishu(w, people.wang);
    const { csrf, v } = await formOf(lead, t.number);
    const first = await lead.post(`/console/tickets/${t.number}/actions/claim`, { _csrf: csrf, v });
    expect(first.status).toBe(303);
    const again = await lead.post(`/console/tickets/${t.number}/actions/priority`, { _csrf: csrf, v, priority: "urgent" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("工单刚被他人更新");
    expect((await w.server.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).priority).not.toBe("urgent");
  });
});

describe("admin token", () => {
  it("wrong token: 401 and no session; right token: read-only access to everything", async () => {
    const c = new Client(w.url);
    const page = await (await c.get("/console/login")).text();
    const csrf = hiddenValue(page, "_csrf")!;
    const wrong = await c.post("/console/login", { _csrf: csrf, token: `${ADMIN_TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("管理员令牌不正确");
    expect(c.cookies.has("cd_session")).toBe(false);
    expect((await new Client(w.url).post("/console/login", { token: ADMIN_TOKEN })).status).toBe(403); // no login CSRF

    const admin = await signInAdmin(w);
    const reports = await admin.get("/console/reports");
    expect(reports.status).toBe(200);
    // 值班与等待: who is on duty today, and time waiting vs worked for the period.
    const reportsHtml = await reports.text();
    expect(reportsHtml).toContain('<section class="card full" id="duty"><h2>今日值班</h2>');
    expect(reportsHtml).toMatch(/已解决工单 等待 \/ 处理用时（平均）：等待客户 [^<]+ · 处理 [^<]+ · 等待客户\/第三方中：0 单/);
    const { html, csrf: adminCsrf } = await formOf(admin, data.productTicket.number);
    expect(html).toContain("13512345678"); // sees contacts
    expect(html).toContain("仅管理员令牌登录时为只读");
    const res = await admin.post(`/console/tickets/${data.productTicket.number}/actions/claim`, { _csrf: adminCsrf, v: String(data.productTicket.version) });
    expect(res.status).toBe(403);
    expect(await version(data.productTicket.id)).toBe(data.productTicket.version);
  });
});

describe("contact masking", () => {
  it("full only for the ticket's department handlers, leads and managers", async () => {
    const t = data.productTicket; // contact 13512345678, department product (handler 李四, lead 王主管)
    const seen = async (who: { openId: string; name: string }) => {
      const html = (await formOf(await signInFeishu(w, who), t.number)).html;
      return /<span id="contact">([^<]*)<\/span>/.exec(html)?.[1];
    };
    expect(await seen(people.li)).toBe("13512345678");
    expect(await seen(people.wang)).toBe("13512345678");
    expect(await seen(people.zhao)).toBe("13512345678"); // a manager sees across departments
    expect(await seen(people.zhang)).toBe("135****5678（已脱敏）");
  });

  it("the CSV masks the same way, row by row", async () => {
    const c = await signInFeishu(w, people.zhang);
    const csv = await (await c.get("/console/tickets/export.csv?q=%E8%81%94%E6%83%B3")).text(); // q=联想
    expect(csv).toContain("135****5678");
    expect(csv).not.toContain("13512345678");
    const own = await (await c.get(`/console/tickets/export.csv?q=${encodeURIComponent("华为技术有限公司")}`)).text();
    expect(own).toContain("13812345678"); // tech tickets: 张三 is one of tech's handlers
  });
});

describe("console configuration", () => {
  it("sets security headers on every page", async () => {
    const res = await new Client(w.url).get("/console/login");
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'nonce-[A-Za-z0-9_-]+' https:\/\/g\.alicdn\.com/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const cookie = res.headers.getSetCookie().find((x) => x.startsWith("cd_login="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/console/);
  });

  it("switches the language with a cookie", async () => {
    const c = await signInFeishu(w, people.wang);
    const res = await c.get("/console/lang?to=en&next=%2Fconsole%2Ftickets");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/console/tickets");
    const html = await (await c.get("/console/tickets")).text();
    expect(html).toContain("Export CSV");
    expect(html).toContain('<html lang="en">');
  });
});
