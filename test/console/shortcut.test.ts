// Feishu's message shortcut (消息快捷操作) through the real console routes and the fake open platform: the
// page Feishu opens, the JSAPI signature it gets (checked against an independent SHA-1 over the fake's
// jsapi_ticket), the posted message id stored as an inbound event and filed like a reaction (the message
// read back, its author the source, the signed-in person the reporter, the card in the message's thread),
// the status page, and the whole page in Chromium with Feishu's JSAPI played by a stub —
// screenshot in test/artifacts/console/shortcut-done.png.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processPendingInbound } from "../../src/app/inbound.js";
import { apiMessage, JSAPI_TICKET } from "../fakes/feishu-server.js";
import { textOf } from "../support/feishu-stack.js";
import { Client, hiddenValue, people, signInFeishu, startConsoleWorld, type ConsoleWorld } from "./support.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = path.resolve(import.meta.dirname, "../artifacts/console");
const SUN = "ou_customer_sun";

let w: ConsoleWorld;
beforeAll(async () => {
  w = await startConsoleWorld();
}, 60_000);
afterAll(() => w?.close());

const sha1 = (s: string) => createHash("sha1").update(s).digest("hex");
const pageUrl = () => `${w.url}/console/shortcut?from=message_action&bdp_launch_query=${encodeURIComponent(JSON.stringify({ __trigger_id__: "trig-1" }))}`;
const ticketsOf = (messageId: string) => w.server.db.ticket.findMany({ where: { messageId } });
const ticketCalls = () => w.feishu.calls.filter((c) => c.path === "/open-apis/jssdk/ticket/get");

async function openPage(c: Client): Promise<string> {
  const res = await c.get(pageUrl().slice(w.url.length));
  expect(res.status).toBe(200);
  const html = await res.text();
  return hiddenValue(html, "_csrf")!;
}

describe("the shortcut page and its JSAPI signature", () => {
  it("needs the console sign-in", async () => {
    expect((await new Client(w.url).get("/console/shortcut")).status).toBe(401);
  });

  it("loads Feishu's H5 SDK (allowed by the CSP) and asks for getBlockActionSourceDetail", async () => {
    const c = await signInFeishu(w, people.zhang);
    const res = await c.get("/console/shortcut");
    expect(res.headers.get("content-security-policy")).toContain("https://lf1-cdn-tos.bytegoofy.com");
    const html = await res.text();
    expect(html).toContain("h5-js-sdk-1.5.35.js");
    expect(html).toContain("getBlockActionSourceDetail");
    expect(html).toContain("正在读取你选中的消息");
  });

  it("signs this page's URL with the jsapi_ticket: SHA-1 of jsapi_ticket, noncestr, timestamp (ms), url; the ticket is fetched once", async () => {
    const c = await signInFeishu(w, people.zhang);
    const csrf = await openPage(c);
    const before = ticketCalls().length;
    for (let i = 0; i < 2; i++) {
      const res = await c.fetch("/console/shortcut/jssdk", { method: "POST", headers: { "content-type": "application/json", "x-csrf-token": csrf, origin: w.url }, body: JSON.stringify({ url: `${pageUrl()}#frag` }) });
      expect(res.status).toBe(200);
      const cfg = (await res.json()) as { appId: string; timestamp: number; nonceStr: string; signature: string };
      expect(cfg.appId).toBe("cli_console_test");
      expect(Math.abs(cfg.timestamp - Date.now())).toBeLessThan(60_000);
      expect(cfg.signature).toBe(sha1(`jsapi_ticket=${JSAPI_TICKET}&noncestr=${cfg.nonceStr}&timestamp=${cfg.timestamp}&url=${pageUrl()}`));
    }
    expect(ticketCalls().length - before).toBeLessThanOrEqual(1);
    expect(ticketCalls().at(-1)!.headers.authorization).toBe("Bearer t-fake-tenant-token");
  });

  it("signs nothing but the shortcut page, and nothing without the CSRF token", async () => {
    const c = await signInFeishu(w, people.zhang);
    const csrf = await openPage(c);
    const post = (url: string, token = csrf) => c.fetch("/console/shortcut/jssdk", { method: "POST", headers: { "content-type": "application/json", "x-csrf-token": token, origin: w.url }, body: JSON.stringify({ url }) });
    expect((await post(`${w.url}/console/tickets`)).status).toBe(400);
    expect((await post("not a url")).status).toBe(400);
    expect((await post(pageUrl(), "forged")).status).toBe(403);
  });
});

describe("a message chosen with the shortcut becomes a ticket", () => {
  it("read back from Feishu; its author is the source, the signed-in person the reporter; the card answers in its thread", async () => {
    w.feishu.messages.set("om_sc_1", apiMessage({ messageId: "om_sc_1", chatId: "oc_tech", senderId: SUN, text: "客户孙先生反馈：收银机打印小票时程序闪退" }));
    const c = await signInFeishu(w, people.zhang);
    const csrf = await openPage(c);
    const res = await c.post("/console/shortcut", { _csrf: csrf, messageId: "om_sc_1" }, { origin: w.url });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/console/shortcut/status?message=om_sc_1");
    await w.server.idle();

    const [t, ...more] = await ticketsOf("om_sc_1");
    expect(more).toEqual([]);
    expect(t).toMatchObject({ description: "客户孙先生反馈：收银机打印小票时程序闪退", reporterId: people.zhang.openId, reporterName: "张三", sourceUserId: SUN, chatId: "oc_tech", platform: "feishu" });
    const created = await w.server.db.ticketEvent.findFirstOrThrow({ where: { ticketId: t!.id, kind: "created" } });
    expect(JSON.parse(created.payload)).toMatchObject({ via: "shortcut", author: SUN });
    expect(w.feishu.calls.some((x) => x.path === "/open-apis/im/v1/messages/om_sc_1/reply")).toBe(true);
    const card = w.feishu.cards().find((x) => x.method === "POST" && JSON.stringify(x.card).includes(t!.number))!.card;
    expect(textOf(card)).toContain("收银机打印小票时程序闪退");
    expect(textOf(card)).toContain("张三（消息作者：");

    const status = await (await c.get(res.headers.get("location")!)).text();
    expect(status).toContain(`已建单：${t!.number} ${t!.title}`);
    expect(status).toContain(`href="/console/tickets/${t!.number}"`);
  });

  it("choosing it again, or by someone else, files nothing new and shows the ticket", async () => {
    const again = await signInFeishu(w, people.zhang);
    await again.post("/console/shortcut", { _csrf: await openPage(again), messageId: "om_sc_1" }, { origin: w.url });
    const lead = await signInFeishu(w, people.wang);
    const res = await lead.post("/console/shortcut", { _csrf: await openPage(lead), messageId: "om_sc_1" }, { origin: w.url });
    await w.server.idle();
    expect(await ticketsOf("om_sc_1")).toHaveLength(1);
    const [t] = await ticketsOf("om_sc_1");
    expect(await (await lead.get(res.headers.get("location")!)).text()).toContain(`这条消息已是工单：${t!.number}`);
  });

  it("refuses a bad id, a forged form and a message that is gone, storing nothing or saying why", async () => {
    const c = await signInFeishu(w, people.zhang);
    const csrf = await openPage(c);
    const events = await w.server.db.inboundEvent.count();
    expect((await c.post("/console/shortcut", { _csrf: csrf, messageId: "https://evil.example/" }, { origin: w.url })).status).toBe(400);
    expect((await c.post("/console/shortcut", { _csrf: "forged", messageId: "om_sc_2" }, { origin: w.url })).status).toBe(403);
    expect(await w.server.db.inboundEvent.count()).toBe(events);

    const res = await c.post("/console/shortcut", { _csrf: csrf, messageId: "om_gone" }, { origin: w.url });
    await w.server.idle();
    expect(await ticketsOf("om_gone")).toEqual([]);
    expect(await (await c.get(res.headers.get("location")!)).text()).toContain("这条消息没有建单");
  });

  it("a failing message API is retried later, not dropped; the status page says so meanwhile", async () => {
    w.feishu.messages.set("om_sc_3", apiMessage({ messageId: "om_sc_3", chatId: "oc_tech", senderId: SUN, text: "会员积分没有到账" }));
    w.feishu.outage({ status: 500 }, "/open-apis/im/v1/messages/om_sc_3");
    const c = await signInFeishu(w, people.zhang);
    const res = await c.post("/console/shortcut", { _csrf: await openPage(c), messageId: "om_sc_3" }, { origin: w.url });
    await w.server.idle();
    expect(await ticketsOf("om_sc_3")).toEqual([]);
    expect(await (await c.get(res.headers.get("location")!)).text()).toContain("暂时读不到这条消息，稍后自动重试");
    w.feishu.outage(undefined);
    w.clock.now = new Date(w.clock.now.getTime() + 60_000);
    await processPendingInbound(w.server.ctx);
    await w.server.idle();
    expect(await ticketsOf("om_sc_3")).toHaveLength(1);
  });
});

describe("the shortcut in Chromium, Feishu's JSAPI played by a stub", () => {
  let browser: Browser | undefined;
  afterAll(() => browser?.close());

  it("signs, reads the chosen message, files it and lands on the ticket (screenshot: test/artifacts/console/shortcut-done.png)", async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the console browser tests need Debian's Chromium`);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    w.feishu.messages.set("om_sc_4", apiMessage({ messageId: "om_sc_4", chatId: "oc_tech", senderId: SUN, text: "门店平板登录后一直白屏" }));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"] });
    const phone = await browser.newContext({ viewport: { width: 390, height: 760 }, locale: "zh-CN" });
    // What Feishu's client provides inside its browser: h5sdk.config/ready/error and tt.getBlockActionSourceDetail.
    // The configs go to the test (a binding outlives the page's navigations).
    const cfg: { timestamp: number; nonceStr: string; signature: string; jsApiList: string[] }[] = [];
    await phone.exposeFunction("recordConfig", (o: (typeof cfg)[number]) => void cfg.push(o));
    await phone.addInitScript(() => {
      const w = window as unknown as Record<string, unknown>;
      w.h5sdk = {
        config: (o: Record<string, unknown>) => (w.recordConfig as (o: unknown) => void)({ ...o, onFail: undefined }),
        ready: (cb: () => void) => setTimeout(cb, 10),
        error: () => {},
      };
      w.tt = {
        getBlockActionSourceDetail: (o: { triggerCode: string; success: (r: unknown) => void }) =>
          o.success({ bizType: "message", content: { actionTime: 1716256800, messages: [{ messageType: "text", openMessageId: `om_sc_4`, openChatId: "oc_tech", sender: { name: "孙先生", open_id: "ou_customer_sun" }, trigger: o.triggerCode }] } }),
      };
    });
    const page = await phone.newPage();
    w.feishu.oauth.signInAs({ openId: people.zhang.openId, name: people.zhang.name });
    await page.goto(`${w.url}/console/auth/feishu?next=${encodeURIComponent(pageUrl().slice(w.url.length))}`);
    await page.waitForURL(/\/console\/shortcut\/status\?message=om_sc_4/);
    expect(cfg).toHaveLength(1);
    expect(cfg[0]!.jsApiList).toEqual(["getBlockActionSourceDetail"]);
    expect(cfg[0]!.signature).toBe(sha1(`jsapi_ticket=${JSAPI_TICKET}&noncestr=${cfg[0]!.nonceStr}&timestamp=${cfg[0]!.timestamp}&url=${pageUrl()}`));
    await w.server.idle();
    const [t] = await ticketsOf("om_sc_4");
    expect(t).toMatchObject({ reporterId: people.zhang.openId, sourceUserId: SUN });
    const outcome = page.locator("#shortcut-outcome[data-kind=ticket]");
    await outcome.waitFor({ timeout: 15_000 });
    expect(await outcome.textContent()).toBe(`已建单：${t!.number} ${t!.title}`);
    await page.screenshot({ path: path.join(ARTIFACTS, "shortcut-done.png"), fullPage: true });
    await page.locator("#shortcut-open").click();
    await page.waitForURL(`${w.url}/console/tickets/${t!.number}`);
  }, 60_000);
});
