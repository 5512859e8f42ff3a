// The console's attachments: a ticket whose files were downloaded from the fake Feishu (the real
// download job through the outbox), its page's attachments section, the authenticated file route
// (nosniff, Content-Disposition, active types only as downloads), and the page in Chromium with the
// image drawn inline — screenshot in test/artifacts/console/ticket-attachments.png.
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announceTicket } from "../../src/app/notify.js";
import { submitFeedback } from "../../src/app/tickets/submit.js";
import type { TicketRow } from "../../src/store/tickets.js";
import { bandsPng } from "../support/png.js";
import { Client, people, reporter, signInFeishu, startConsoleWorld, type ConsoleWorld } from "./support.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = path.resolve(import.meta.dirname, "../artifacts/console");
const PNG = bandsPng(240, 120);
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

let w: ConsoleWorld;
let t: TicketRow;
let ids: Record<string, number>;

beforeAll(async () => {
  w = await startConsoleWorld();
  const res = w.feishu.resources;
  res.set("om_att_1/img_v3_shot", { bytes: PNG, contentType: "image/png" });
  res.set("om_att_1/file_v3_svg", { bytes: SVG, contentType: "image/svg+xml", fileName: "logo.svg" });
  res.set("om_att_1/file_v3_html", { bytes: new TextEncoder().encode("<script>alert(1)</script>"), contentType: "text/html", fileName: "页面.html" });
  res.set("om_att_1/file_v3_big", { bytes: new Uint8Array(11 * 1024 * 1024), contentType: "application/zip", fileName: "dump.zip" });
  t = await submitFeedback(w.server.ctx, {
    text: "客户反馈导出报表报错，截图和日志见附件\n客户: 招商银行",
    reporter,
    platform: "feishu",
    chatId: "oc_tech",
    messageId: "om_att_1",
    attachments: [
      { kind: "image", fileKey: "img_v3_shot" },
      { kind: "file", fileKey: "file_v3_svg", name: "logo.svg" },
      { kind: "file", fileKey: "file_v3_html", name: "页面.html" },
      { kind: "file", fileKey: "file_v3_big", name: "dump.zip" },
    ],
  });
  await announceTicket(w.server.ctx, t);
  await w.server.idle();
  const rows = await w.server.db.attachment.findMany({ where: { ticketId: t.id } });
  ids = Object.fromEntries(rows.map((a) => [a.fileKey, a.id]));
}, 60_000);

afterAll(() => w?.close());

const fileUrl = (key: string) => `/console/tickets/${t.number}/attachments/${ids[key]}`;

describe("the attachment file route", () => {
  it("needs the console sign-in", async () => {
    const res = await new Client(w.url).get(fileUrl("img_v3_shot"));
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
  });

  it("serves a stored image inline, nosniff, with its name", async () => {
    const c = await signInFeishu(w, people.zhang);
    const res = await c.get(fileUrl("img_v3_shot"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-disposition")).toMatch(/^inline; filename="image-\d+\.png"/);
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
    expect((await c.get(`${fileUrl("img_v3_shot")}?download`)).headers.get("content-disposition")).toMatch(/^attachment;/);
  });

  it("serves SVG and HTML only as downloads, never as their own type", async () => {
    const c = await signInFeishu(w, people.zhang);
    for (const [key, name] of [["file_v3_svg", "logo.svg"], ["file_v3_html", "页面.html"]] as const) {
      const res = await c.get(fileUrl(key));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/octet-stream");
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${name.replace(/[^\x20-\x7e]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(name)}`);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("answers 404 for what is not stored, and for another ticket's number", async () => {
    const c = await signInFeishu(w, people.zhang);
    expect((await c.get(fileUrl("file_v3_big"))).status).toBe(404);
    const other = await w.server.db.ticket.create({ data: { ...t, id: undefined, number: `${t.number.slice(0, -3)}999`, messageId: "om_other" } as never });
    expect((await c.get(`/console/tickets/${other.number}/attachments/${ids.img_v3_shot}`)).status).toBe(404);
  });
});

describe("the ticket page's attachments", () => {
  let browser: Browser | undefined;
  afterAll(() => browser?.close());

  it("lists each file; the image inline, the others as links, the too-big one with why", async () => {
    const c = await signInFeishu(w, people.zhang);
    const html = await (await c.get(`/console/tickets/${t.number}`)).text();
    const section = html.slice(html.indexOf('id="attachments"'), html.indexOf("</section>", html.indexOf('id="attachments"')));
    expect(section).toContain(`<img src="${fileUrl("img_v3_shot")}"`);
    expect(section.match(/<img /g)).toHaveLength(1); // the SVG is not drawn
    expect(section).toContain(`<a href="${fileUrl("file_v3_svg")}?download">logo.svg</a>`);
    expect(section).toContain("dump.zip");
    expect(section).toContain("超过 10 MB，未保存");
  });

  it("shows the image in Chromium (screenshot: test/artifacts/console/ticket-attachments.png)", async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the console browser tests need Debian's Chromium`);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
    const page = await desk.newPage();
    w.feishu.oauth.signInAs({ openId: people.zhang.openId, name: people.zhang.name });
    await page.goto(`${w.url}/console/auth/feishu?next=${encodeURIComponent(`/console/tickets/${t.number}`)}`);
    await page.waitForURL(`${w.url}/console/tickets/${t.number}`);
    const img = page.locator("#attachments img");
    await img.waitFor();
    await page.waitForFunction(() => (document.querySelector("#attachments img") as HTMLImageElement | null)?.complete === true);
    expect(await img.evaluate((el: HTMLImageElement) => [el.naturalWidth, el.naturalHeight])).toEqual([240, 120]);
    await expect(page.locator("#attachments li[data-status=too_big]").textContent()).resolves.toContain("超过 10 MB，未保存");
    await expect(page.locator("#timeline").textContent()).resolves.toContain("附件 dump.zip 超过 10 MB，未保存");
    await page.locator("#attachments").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, "ticket-attachments.png"), fullPage: true });
  }, 60_000);
});
