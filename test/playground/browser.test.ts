// The playground in a real browser (Debian's Chromium through playwright-core) against the server as
// `npm start` runs it without platform credentials: a whole ticket life on Feishu and on DingTalk —
// message, card, a stranger refused, claim by the handler, progress, resolve, confirm with 5 stars —
// then the clock to the next reminder and to the daily digest, the raw JSON and console side panel,
// English and a 390 px phone. Screenshots go to test/artifacts/playground/ (gitignored).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNodeServer, type NodeServer } from "../../src/adapter/node/server.js";
import { createLogger } from "../../src/log.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = path.resolve(import.meta.dirname, "../artifacts/playground");
/** Wednesday 2026-12-09 10:00 in Asia/Shanghai: working time, so the deadlines are the SLA table's. */
const START = new Date("2026-12-09T02:00:00Z");

let server: NodeServer;
let browser: Browser;
let page: Page;
let url: string;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the playground browser test needs Debian's Chromium (apt-get install chromium; .ci/run does it)`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chatdesk-playground-"));
  server = await startNodeServer({
    env: { PORT: "0", DATABASE_URL: `file:${path.join(dir, "playground.db")}`, LOG_LEVEL: "debug" },
    log: createLogger("debug", {}, (line) => logs.push(JSON.parse(line) as Record<string, unknown>)),
    scheduler: false,
  });
  server.clock!.setOffsetMs(START.getTime() - Date.now());
  url = `${server.env.PUBLIC_URL}/playground`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"] });
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" })).newPage();
  page.on("dialog", (d) => void d.accept());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Deliveries happen after the response, and CI machines are shared: wait generously. */
const eventually = <T,>(probe: () => T | Promise<T>, timeout = 15_000) => expect.poll(probe, { timeout, interval: 100 });

const shot = (name: string, p: Page = page) => p.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

async function as(persona: string) {
  await page.selectOption("#persona", persona);
  await page.waitForFunction((id) => (window as unknown as { playground: { state: { persona: string; rev: number } } }).playground.state.rev > 0 && document.querySelector<HTMLSelectElement>("#persona")!.value === id, persona);
}

async function openChat(platform: "feishu" | "dingtalk", direct = false) {
  const items = page.locator(`.chat-item[data-platform=${platform}]`);
  const item = direct ? items.filter({ hasText: /私聊|Direct/ }).first() : items.first();
  await item.click();
  await eventually(() => item.getAttribute("class")).toContain("active");
}

async function say(text: string) {
  await page.fill("#text", text);
  await page.click("#send");
  await eventually(() => page.inputValue("#text")).toBe("");
}

/** The last bot message holding a card, in the open chat. */
const lastCard = (kind: ".fcard" | ".dcard") => page.locator(`.msg.bot:has(${kind})`).last();

/** The toast the last action showed (photographed as `name`, if given), then cleared. */
/**
 * Fill one input of a DingTalk card form and submit it. The card may be redrawn by a late update between
 * the typing and the click (the bot patches it after each change); then the sandbox sends an empty form and
 * the card says so (输入有误), and a person would type again — so does this, once.
 */
async function submitDtForm(card: Locator, input: string, button: string, value: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const form = card.locator(".dform").filter({ has: page.locator(`[data-local=${input}]`) }).first();
    await form.locator(`[data-local=${input}]`).fill(value);
    await form.locator(`button[data-dt=${button}]`).click();
    const answer = await toast();
    if (!/输入有误/.test(answer + (await cardText(card)))) return;
  }
}

async function toast(name?: string): Promise<string> {
  const t = page.locator(".toast").last();
  await t.waitFor();
  const text = (await t.textContent()) ?? "";
  if (name) await shot(name);
  await page.evaluate(() => document.querySelectorAll(".toast").forEach((x) => x.remove()));
  return text;
}

/** Which of the two handlers the ticket went to (the card's 处理人 field). */
async function handlerOf(card: Locator): Promise<"zhang" | "li"> {
  const text = (await card.textContent()) ?? "";
  return text.includes("张工") ? "zhang" : "li";
}

const cardText = async (card: Locator) => (await card.textContent()) ?? "";

describe("playground in Chromium", { timeout: 120_000 }, () => {
  it("opens on the demo team and the two sandbox groups", async () => {
    const res = await page.goto(url);
    expect(res?.status()).toBe(200);
    await eventually(() => page.locator(".chat-item").count()).toBeGreaterThanOrEqual(2);
    const personas = await page.locator("#persona option").allTextContents();
    expect(personas.join("|")).toMatch(/客服小美 · 反馈人.*张工 · 处理人.*李工 · 处理人.*王主管 · .*组长.*赵总 · 经理.*路人甲/);
    await expect(page.locator(".chat-item[data-platform=feishu]").first().textContent()).resolves.toContain("客户反馈群");
    await expect(page.locator(".chat-item[data-platform=dingtalk]").first().textContent()).resolves.toContain("客服群");
    await shot("01-start");
  });

  it("Feishu: a message becomes a ticket card; a stranger is refused; the handler claims, progresses, resolves; the reporter confirms with 5 stars", async () => {
    await as("mei");
    await openChat("feishu");
    await say("客户华为反馈：导出报表一直转圈，无法下载 #紧急");
    const card = lastCard(".fcard");
    await card.waitFor();
    await eventually(() => cardText(card)).toMatch(/FB20261209001 客户华为反馈：导出报表一直转圈/);
    expect(await cardText(card)).toContain("待处理");
    expect(await cardText(card)).toContain("紧急");
    await shot("02-feishu-card");

    await as("~stranger");
    await card.locator("button[data-fs=button]", { hasText: "认领" }).click();
    expect(await toast("03-feishu-stranger-refused")).toMatch(/无权|不能|权限/);

    const handler = await handlerOf(card);
    await as(handler);
    await card.locator("button[data-fs=button]", { hasText: "认领" }).click();
    await toast();
    await eventually(() => cardText(card)).toContain("处理中");

    await card.locator("form[data-form=progress_form] textarea[name=text]").fill("已联系客户，正在排查导出服务");
    await card.locator("form[data-form=progress_form] button[type=submit]").click();
    await toast();
    await eventually(() => cardText(card)).toContain("已联系客户，正在排查导出服务");
    await shot("04-feishu-in-progress");

    // A reply in the card's thread is progress from the handler.
    await card.locator("[data-reply]").click();
    await say("补充：客户已发来日志");
    await eventually(() => cardText(card)).toContain("补充：客户已发来日志");
    expect(await page.locator(".msg.mine").last().locator(".quote").textContent()).toContain("FB20261209001");

    // The lead changes the priority with the card's select; the card follows.
    await as("wang");
    await card.locator("select[data-fs=select_static]").selectOption("high");
    await toast();
    await eventually(async () => (await card.locator(".fhead .tag").allTextContents()).join(" ")).toContain("高");
    await as(handler);

    await card.locator("form[data-form=resolve_form] textarea[name=result]").fill("已修复导出超时，客户可以正常下载");
    await card.locator("form[data-form=resolve_form] button[type=submit]").click();
    await toast();
    await eventually(() => cardText(card)).toContain("已修复导出超时");

    await as("mei");
    await card.locator("form[data-form=confirm_form] select[name=score]").selectOption("5");
    await card.locator("form[data-form=confirm_form] button[type=submit]").click();
    await toast();
    await eventually(() => cardText(card)).toContain("★★★★★");
    expect(await cardText(card)).toContain("已关闭");
    expect(await card.locator(".badge").first().textContent()).toMatch(/已更新/);
    await shot("05-feishu-closed");
  });

  it("shows the raw JSON of a message and the ticket's console page in the side panel", async () => {
    const card = lastCard(".fcard");
    await card.locator("[data-raw]").click();
    await eventually(() => page.locator("#raw").textContent()).toContain('"schema": "2.0"');
    expect(await page.locator("#raw").textContent()).toContain("card.action.trigger");
    await shot("06-raw-json");

    // The reporter has no console role; the lead does.
    await as("wang");
    await card.locator("[data-ticket]").click();
    const frame = page.frameLocator("#console-frame");
    await eventually(() => frame.locator("body").textContent({ timeout: 10_000 }), 20_000).toContain("FB20261209001");
    await shot("07-console-panel");
    await page.click("#panel-close");
  });

  it("DingTalk: the same life on the shipped card template", async () => {
    await as("mei");
    await openChat("dingtalk");
    await say("客户说系统报错无法登录");
    const card = lastCard(".dcard");
    await card.waitFor();
    await eventually(() => cardText(card)).toMatch(/FB20261209002/);
    expect(await cardText(card)).toContain("待处理");
    await shot("08-dingtalk-card");

    await as("~stranger");
    await card.locator("button[data-dt]", { hasText: "认领" }).click();
    expect(await toast("09-dingtalk-stranger-refused")).toMatch(/无权|不能|权限/);

    await as(await handlerOf(card));
    await card.locator("button[data-dt]", { hasText: "认领" }).click();
    await toast();
    await eventually(() => cardText(card)).toMatch(/处理中 · /);
    // The reporter is told through the session webhook with an @, drawn as DingTalk draws it: "@客服小美".
    const notice = page.locator(".msg.bot .dtext", { hasText: "状态更新为「处理中」" }).last();
    await eventually(() => notice.locator(".at").allTextContents()).toEqual(["@客服小美"]);
    await notice.scrollIntoViewIfNeeded();
    await shot("09b-dingtalk-notice");

    await submitDtForm(card, "input1", "submit", "已远程协助客户重置密码");
    await eventually(() => cardText(card)).toContain("已远程协助客户重置密码");

    const resolve = card.locator(".dform").filter({ has: page.locator("[data-local=form2Input1]") });
    await resolve.locator("[data-local=form2Input1]").fill("登录服务已恢复");
    await resolve.locator("button[data-dt=form2Submit]").click();
    await toast();
    // The status line ("待确认 · 问题反馈 …"), not the 标记已解决 button the card showed before.
    await eventually(() => cardText(card)).toMatch(/待确认 · /);
    await shot("10-dingtalk-resolved");

    await as("mei");
    await submitDtForm(card, "input1", "submit", "5");
    await eventually(() => cardText(card)).toContain("已关闭");
    expect(await cardText(card)).toContain("★★★★★");
    await shot("11-dingtalk-closed");
  });

  it("fast-forwards to the next reminder and sends today's digest to the lead", async () => {
    await openChat("feishu");
    await say("客户说页面加载缓慢");
    await lastCard(".fcard").waitFor();
    await eventually(() => cardText(lastCard(".fcard"))).toContain("FB20261209003");
    const before = await page.locator(".msg.bot").count();
    await page.click("[data-time=reminder]");
    expect(await toast()).toMatch(/提醒 1|升级 1/);
    await eventually(() => page.locator(".msg.bot").count()).toBeGreaterThan(before);
    await eventually(async () => (await page.locator(".msg.bot").last().textContent()) ?? "").toMatch(/FB20261209003/);
    await shot("12-reminder");

    await page.click("[data-time=digest]");
    expect(await toast()).toMatch(/简报 [1-9]/);
    await as("wang");
    await openChat("feishu", true);
    const digest = lastCard(".fcard");
    await digest.waitFor();
    await eventually(() => cardText(digest)).toMatch(/日报|简报/);
    await shot("13-digest");
  });

  it("attaches a pasted image: the ticket counts it and the bot can download it", async () => {
    await as("mei");
    await openChat("feishu");
    // A 1×1 PNG, pasted into the message box the way a browser hands a screenshot over.
    await page.evaluate(() => {
      const png = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([png], "screenshot.png", { type: "image/png" }));
      document.querySelector("#text")!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    await page.locator("#attachments img").waitFor();
    await say("客户截图：导出按钮灰色");
    const mine = page.locator(".msg.mine").last();
    await mine.locator("img.pic").waitFor();
    const card = lastCard(".fcard");
    await eventually(() => cardText(card)).toContain("客户截图：导出按钮灰色");
    expect(await cardText(card)).toContain("附件：1 个（1 张图片）");
    const ticket = await server.db.ticket.findFirst({ where: { description: { contains: "客户截图" } }, include: { attachments: true } });
    expect(ticket?.attachments.map((a) => a.kind)).toEqual(["image"]);
    // The bot downloaded it from the playground's Feishu after the ack (intake.md#attachments).
    await eventually(async () => (await server.db.attachment.findFirst({ where: { ticketId: ticket!.id } }))?.status).toBe("stored");
    await shot("14a-feishu-image");
  });

  it("speaks English and fits a 390 px phone", async () => {
    await page.goto(`${url}?lang=en`);
    await eventually(() => page.locator("#send").textContent()).toBe("Send");
    await openChat("feishu");
    await lastCard(".fcard").waitFor();
    await shot("14-english");

    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" })).newPage();
    await phone.goto(url);
    await phone.locator(".msg").first().waitFor();
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await shot("15-phone", phone);
    await phone.click("#show-chats");
    await shot("16-phone-chats", phone);
  });

  it("resets to an empty database", async () => {
    await page.goto(url);
    await page.click("#reset");
    await eventually(() => page.locator(".msg").count()).toBe(0);
    expect(await server.db.ticket.count()).toBe(0);
    expect(server.clock!.offsetMs()).toBe(0);
  });

  it("plays the tour: one ticket's life step by step, then a reminder and the digest", async () => {
    await page.goto(`${url}?tour=1`);
    for (let i = 1; i <= 8; i++) {
      await eventually(() => page.locator("#tour-bar b").textContent()).toMatch(new RegExp(`^${i}/8`));
      await page.click("#tour-next");
    }
    await eventually(() => page.locator("#tour-bar b").textContent(), 30_000).toBe("演示结束");
    const closed = await server.db.ticket.findFirst({ where: { status: "closed" } });
    expect(closed?.satisfaction).toBe(5);
    await eventually(() => page.locator("#chat-title").textContent()).toMatch(/私聊/);
    await shot("17-tour-end");
  });
});
