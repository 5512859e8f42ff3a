// The console in a real browser (Debian's Chromium through playwright-core) against the real server
// and a seeded database: sign in through Feishu, filter, open a ticket, claim and resolve it on the
// page, see the timeline and the card on the fake Feishu change, download the CSV of the filter, and
// the reports; then the in-app sign-ins (Feishu and DingTalk 免登) on a phone-width screen.
// Screenshots go to test/artifacts/console/ (gitignored).
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleWhere } from "../../src/store/console-query.js";
import { OPEN_STATUSES } from "../../src/store/ticket-query.js";
import { consoleConfig, DINGTALK_KEY, parseCsv, people, seed, startConsoleWorld, type ConsoleWorld, type Seeded } from "./support.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = path.resolve(import.meta.dirname, "../artifacts/console");
const FEISHU_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Lark/7.20.0 LarkLocale/zh_CN ChannelName/Feishu";
const DINGTALK_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 AliApp(DingTalk/7.5.0) com.laiwang.DingTalk/31000000 Channel/201200 language/zh-Hans-CN";
const PHONE = { width: 390, height: 844 };

let w: ConsoleWorld;
let data: Seeded;
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the console browser tests need Debian's Chromium (apt-get install chromium; .ci/run does it)`);
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  w = await startConsoleWorld();
  data = await seed(w);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await w?.close();
});

/** Desktop pages whole; phone pages as the first screen a person sees (and the whole page as -full). */
const shot = async (page: Page, name: string, phone = false) => {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: !phone });
  if (phone) await page.screenshot({ path: path.join(ARTIFACTS, `${name}-full.png`), fullPage: true });
};

/** Poll until `probe` gives a value (deliveries happen after the response). */
async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The latest version of the scenario ticket's card on the fake Feishu, as JSON text. */
function latestCard(messageId: string): string | undefined {
  const cards = w.feishu.cards().filter((c) => c.messageId === messageId);
  return cards.length ? JSON.stringify(cards[cards.length - 1]!.card) : undefined;
}

describe("console in Chromium", () => {
  let desk: BrowserContext;
  let page: Page;

  it("turns an anonymous visitor away with 401 and the sign-in page", async () => {
    desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN", acceptDownloads: true });
    page = await desk.newPage();
    const res = await page.goto(`${w.url}/console/tickets?status=active`);
    expect(res?.status()).toBe(401);
    await expect(page.locator("#login-feishu").textContent()).resolves.toBe("飞书登录");
    await expect(page.locator("#login-dingtalk").textContent()).resolves.toBe("钉钉登录");
    await shot(page, "login");
  });

  it("signs in through Feishu and lands where the visitor wanted to go", async () => {
    const handler = consoleConfig.people.find((p) => p.id === data.scenario.handlerId)!;
    w.feishu.oauth.signInAs({ openId: handler.feishu, name: handler.name });
    await page.click("#login-feishu");
    await page.waitForURL(`${w.url}/console/tickets?status=active`);
    await expect(page.locator(".top .me span").textContent()).resolves.toBe(handler.name);
    // A handler has no reports in the navigation (the calendar, read-only for them, is there).
    await expect(page.locator(".top nav a").allTextContents()).resolves.toEqual(["工单", "日历"]);
  });

  it("filters the list; the count and the rows are exactly the filter's", async () => {
    await page.selectOption("#f-department", "tech");
    await page.selectOption("#f-status", "active");
    await page.click("form.filters button[type=submit]");
    await page.waitForURL(/department=tech/);
    const expected = await w.server.db.ticket.findMany({
      where: { status: { in: OPEN_STATUSES }, department: "tech" },
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      select: { number: true },
    });
    expect(expected.length).toBeGreaterThan(3);
    await expect(page.locator("[data-total]").getAttribute("data-total")).resolves.toBe(String(expected.length));
    const shown = await page.locator("table.tickets tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-number")));
    expect(shown).toEqual(expected.slice(0, 20).map((t) => t.number));
    const statuses = new Set(await page.locator("table.tickets tbody tr td:nth-child(3)").allTextContents());
    expect([...statuses].every((s) => ["待处理", "处理中", "待确认"].includes(s))).toBe(true);
    await shot(page, "list");
  });

  it("downloads a CSV whose rows are the filtered tickets", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("text=导出 CSV")]);
    const file = await download.path();
    const text = fs.readFileSync(file, "utf8");
    expect(text.charCodeAt(0)).toBe(0xfeff); // BOM: Excel reads the Chinese correctly
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header!.slice(0, 3)).toEqual(["反馈编号", "标题", "状态"]);
    const expected = await w.server.db.ticket.findMany({
      where: consoleWhere({ status: OPEN_STATUSES, department: "tech" }, w.clock.now),
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    });
    expect(rows.map((r) => r[0])).toEqual(expected.map((t) => t.number));
    expect(rows.every((r) => r[5] === "技术部")).toBe(true);
    expect(download.suggestedFilename()).toBe("chatdesk-tickets-20250618.csv");
  });

  it("opens the ticket, claims and resolves it; the timeline and the card in the chat follow", async () => {
    const t = data.scenario;
    await page.click(`tr[data-number="${t.number}"] td.nowrap a`);
    await page.waitForURL(`${w.url}/console/tickets/${t.number}`);
    // The ticket's handler sees the customer's contact in full.
    await expect(page.locator("#contact").textContent()).resolves.toBe("13887654321");
    await shot(page, "detail-open");

    await page.click('form[data-action="claim"] button');
    await page.waitForURL(`${w.url}/console/tickets/${t.number}?done=claim`);
    await expect(page.locator(".flash.ok").textContent()).resolves.toBe("认领成功");
    await expect(page.locator(".head .tag").first().textContent()).resolves.toBe("处理中");
    const first = page.locator("#timeline li").first();
    await expect(first.getAttribute("data-kind")).resolves.toBe("claimed");
    await expect(first.textContent()).resolves.toContain("网页");

    await page.fill('form[data-action="resolve"] textarea[name=text]', "已修复登录服务的证书问题");
    await page.click('form[data-action="resolve"] button');
    await page.waitForURL(`${w.url}/console/tickets/${t.number}?done=resolve`);
    await expect(page.locator(".head .tag").first().textContent()).resolves.toBe("待确认");
    await expect(page.locator("#timeline li").first().textContent()).resolves.toContain("已修复登录服务的证书问题");
    await expect(page.locator("#timeline li").evaluateAll((li) => li.map((x) => x.getAttribute("data-kind")))).resolves.toEqual(["resolved", "claimed", "created"]);
    await shot(page, "detail");

    const stored = await w.server.db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(stored).toMatchObject({ status: "resolved", result: "已修复登录服务的证书问题" });
    const events = await w.server.db.ticketEvent.findMany({ where: { ticketId: t.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.kind, e.source])).toEqual([
      ["created", "message"],
      ["claimed", "web"],
      ["resolved", "web"],
    ]);

    // The card in the Feishu group is patched to the new state, and links back to this page.
    const ref = await w.server.db.cardRef.findFirstOrThrow({ where: { ticketId: t.id, platform: "feishu" } });
    const card = await until("the resolved card on the fake Feishu", () => {
      const c = latestCard(ref.ref);
      return c?.includes("已修复登录服务的证书问题") ? c : undefined;
    });
    expect(card).toContain("待确认");
    expect(card).toContain(`${w.url}/console/tickets/${t.number}`);
    expect(card).toContain("在控制台查看");
  });

  it("signs out; a lead signs in through DingTalk and sees the reports", async () => {
    await page.click(".top .me button");
    await page.waitForURL(`${w.url}/console/login`);
    w.dingtalk.oauth.signInAs({ userId: people.wang.dingtalk, unionId: "union-wang", nick: people.wang.name });
    await page.goto(`${w.url}/console/reports?period=month`);
    await page.click("#login-dingtalk");
    await page.waitForURL(`${w.url}/console/reports?period=month`);
    await expect(page.locator(".top .me span").textContent()).resolves.toBe("王主管");
    // Six charts at least, each an inline SVG drawn by the server.
    const charts = await page.locator("section.chart svg").count();
    expect(charts).toBeGreaterThanOrEqual(6);
    const received = await w.server.db.ticket.count({ where: { receivedAt: { gte: new Date("2025-05-19T16:00:00Z"), lt: new Date("2025-06-18T16:00:00Z") } } });
    await expect(page.locator('[data-kpi="received"] .v').textContent()).resolves.toBe(String(received));
    await shot(page, "reports");
    // The same page in English, one click away.
    await page.click(".top .me a");
    await page.waitForURL(`${w.url}/console/reports?period=month`);
    await expect(page.locator("main h1").first().textContent()).resolves.toBe("Reports");
    await expect(page.locator("#chart-volume h2").textContent()).resolves.toBe("Volume");
    await shot(page, "reports-en");
  });

  it("works on a phone in Feishu's in-app browser: 免登 without a click", async () => {
    const phone = await browser.newContext({ viewport: PHONE, userAgent: FEISHU_UA, locale: "zh-CN", deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    w.feishu.oauth.signInAs({ openId: people.wang.openId, name: people.wang.name });
    await p.goto(`${w.url}/console/tickets?status=active`);
    await p.waitForURL(`${w.url}/console/tickets?status=active`);
    await expect(p.locator(".top .me span").textContent()).resolves.toBe("王主管");
    // No horizontal scrolling on a phone.
    await expect(p.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(PHONE.width);
    await shot(p, "list-narrow", true);
    await p.goto(`${w.url}/console/tickets/${data.scenario.number}`);
    await expect(p.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(PHONE.width);
    await shot(p, "detail-narrow", true);
    await p.goto(`${w.url}/console/reports`);
    await expect(p.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(PHONE.width);
    await shot(p, "reports-narrow", true);
    await phone.close();
  });

  it("signs in inside DingTalk through the JSAPI's 免登 code", async () => {
    const phone = await browser.newContext({ viewport: PHONE, userAgent: DINGTALK_UA, locale: "zh-CN", isMobile: true, hasTouch: true });
    const code = w.dingtalk.oauth.inAppCode({ userId: people.zhao.dingtalk, unionId: "union-zhao", nick: people.zhao.name });
    // The real JSAPI comes from DingTalk's CDN; the test serves a stand-in with the same calls.
    await phone.route("https://g.alicdn.com/**", (route) =>
      route.fulfill({
        contentType: "application/javascript",
        body: `window.dd={ready:function(f){f()},error:function(){},runtime:{permission:{requestAuthCode:function(o){if(o.corpId!=="ding-fake-corp"||o.clientId!==${JSON.stringify(DINGTALK_KEY)})return o.onFail({errorMessage:"wrong corpId/clientId"});o.onSuccess({code:${JSON.stringify(code)}})}}}};`,
      }),
    );
    const p = await phone.newPage();
    await p.goto(`${w.url}/console/login?corpId=ding-fake-corp&next=%2Fconsole%2Freports`);
    await p.waitForURL(`${w.url}/console/reports`);
    await expect(p.locator(".top .me span").textContent()).resolves.toBe("赵总");
    await phone.close();
  });
});
