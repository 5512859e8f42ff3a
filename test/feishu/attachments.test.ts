// Attachments through the real Feishu routes: images and files of a message are downloaded after the
// ack through the SDK client (GET /open-apis/im/v1/messages/:message_id/resources/:file_key) from the fake
// open platform, stored under the data folder, counted on the card; too big and failed are on the timeline.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDue } from "../../src/app/deliver.js";
import { apiMessage } from "../fakes/feishu-server.js";
import { messageEvent, postMessage, reactionEvent, threadReply } from "../support/feishu-events.js";
import { eventually, expectValidCard, startFeishuStack, type FeishuStack } from "../support/feishu-stack.js";
import { bandsPng } from "../support/png.js";
import { teamConfig } from "../support/server.js";
import { feishuCardTexts } from "../support/visible-text.js";

let clock = new Date("2025-05-21T02:00:00Z");
let f: FeishuStack;
beforeAll(async () => {
  f = await startFeishuStack({ now: () => clock });
});
afterAll(() => f.close());

const PNG = bandsPng();
const resourceCalls = (messageId: string) => f.fake.calls.filter((c) => c.method === "GET" && c.path.startsWith(`/open-apis/im/v1/messages/${messageId}/resources/`));
const ticketOf = (messageId: string) => f.s.db.ticket.findFirstOrThrow({ where: { messageId }, include: { attachments: { orderBy: { id: "asc" } } } });
const stored = (key: string | null) => fs.readFileSync(path.join(f.s.dir, "attachments", key!));
/** The visible text of the newest card that names the ticket. */
const cardText = (number: string) => {
  const c = [...f.fake.cards()].reverse().find((x) => JSON.stringify(x.card).includes(number));
  return feishuCardTexts(expectValidCard(c!.card)).join("\n");
};
const timeline = async (ticketId: number) => (await f.s.db.ticketEvent.findMany({ where: { ticketId, kind: "attachment" }, orderBy: { id: "asc" } })).map((e) => JSON.parse(e.payload).text as string);

describe("Feishu attachments are downloaded after the ack and kept", () => {
  it("an image message: fetched with type=image and the tenant token, stored under data/attachments/<ticketNo>/, counted on the card", async () => {
    f.fake.resources.set("om_img_1/img_v3_a", { bytes: PNG, contentType: "image/png" });
    const res = await f.deliver(messageEvent({ messageId: "om_img_1", chatType: "p2p", chatId: "oc_p2p1", messageType: "image", content: { image_key: "img_v3_a" } }));
    expect(res.status).toBe(200);
    await f.s.idle();
    const [call, ...again] = resourceCalls("om_img_1");
    expect(again).toEqual([]);
    expect(call).toMatchObject({ path: "/open-apis/im/v1/messages/om_img_1/resources/img_v3_a", query: { type: "image" } });
    expect(call!.headers.authorization).toBe("Bearer t-fake-tenant-token");
    const t = await ticketOf("om_img_1");
    const [a] = t.attachments;
    expect(a).toMatchObject({ status: "stored", kind: "image", size: PNG.byteLength, contentType: "image/png", storageKey: `${t.number}/${a!.id}-image-${a!.id}.png`, error: null });
    expect(new Uint8Array(stored(a!.storageKey))).toEqual(PNG);
    expect(cardText(t.number)).toContain("附件：1 个（1 张图片）");
  });

  it("a file message: type=file, the platform's file name kept (made safe for the disk)", async () => {
    const bytes = new TextEncoder().encode("2025-05-21 ERROR export failed\n");
    f.fake.resources.set("om_file_1/file_v3_log", { bytes, contentType: "text/plain", fileName: "../导出 日志.log" });
    await f.deliver(messageEvent({ messageId: "om_file_1", chatType: "p2p", chatId: "oc_p2p1", messageType: "file", content: { file_key: "file_v3_log", file_name: "../导出 日志.log" } }));
    await f.s.idle();
    expect(resourceCalls("om_file_1")[0]!.query).toEqual({ type: "file" });
    const t = await ticketOf("om_file_1");
    const [a] = t.attachments;
    expect(a).toMatchObject({ status: "stored", kind: "file", name: "../导出 日志.log", contentType: "text/plain", storageKey: `${t.number}/${a!.id}-_导出 日志.log` });
    expect(stored(a!.storageKey).toString("utf8")).toBe("2025-05-21 ERROR export failed\n");
    const text = cardText(t.number);
    expect(text).toContain("附件：1 个");
    expect(text).not.toContain("图片）");
  });

  it("a post with an image and @bot in a group: the post's image is the ticket's", async () => {
    f.fake.resources.set("om_post_1/img_v3_screenshot1", { bytes: PNG, contentType: "image/png" });
    await f.deliver(postMessage({ messageId: "om_post_1" }));
    await f.s.idle();
    const t = await ticketOf("om_post_1");
    expect(t.attachments.map((a) => [a.kind, a.status])).toEqual([["image", "stored"]]);
    expect(cardText(t.number)).toContain("附件：1 个（1 张图片）");
  });

  it("a reaction on an image message: the reacted message's resource is fetched", async () => {
    f.fake.messages.set("om_cust_img", apiMessage({ messageId: "om_cust_img", senderId: "ou_customer_sun", msgType: "image", content: { image_key: "img_v3_cust" } }));
    f.fake.resources.set("om_cust_img/img_v3_cust", { bytes: PNG, contentType: "image/png" });
    await f.deliver(reactionEvent({ messageId: "om_cust_img", userId: "ou_lead_wang" }));
    await f.s.idle();
    expect(resourceCalls("om_cust_img")).toHaveLength(1);
    expect((await ticketOf("om_cust_img")).attachments[0]).toMatchObject({ status: "stored", messageId: "om_cust_img" });
  });

  it("an @bot reply in a thread whose root is a file: fetched from the root message, not the reply", async () => {
    f.fake.messages.set("om_root_file", apiMessage({ messageId: "om_root_file", senderId: "ou_customer_sun", msgType: "file", content: { file_key: "file_v3_root", file_name: "合同.pdf" } }));
    f.fake.resources.set("om_root_file/file_v3_root", { bytes: new TextEncoder().encode("%PDF-1.4 fake"), contentType: "application/pdf", fileName: "合同.pdf" });
    await f.deliver(threadReply("om_root_file", "@_user_1 客户的合同打不开", { messageId: "om_reply_file" }));
    await f.s.idle();
    expect(resourceCalls("om_root_file")).toHaveLength(1);
    expect(resourceCalls("om_reply_file")).toHaveLength(0);
    const t = await ticketOf("om_reply_file");
    expect(t.attachments[0]).toMatchObject({ status: "stored", name: "合同.pdf", messageId: "om_root_file", contentType: "application/pdf" });
  });
});

describe("downloads hold one file in memory at a time", () => {
  it("three images of one message are fetched one after another, not at once", async () => {
    for (const k of ["a", "b", "c"]) f.fake.resources.set(`om_three/img_v3_three_${k}`, { bytes: PNG, contentType: "image/png" });
    const content = { title: "", content: [[{ tag: "at", user_id: "@_user_1", user_name: "ChatDesk" }, { tag: "text", text: " 三张截图" }], ["a", "b", "c"].map((k) => ({ tag: "img", image_key: `img_v3_three_${k}` }))] };
    const release = f.fake.pause();
    await f.deliver(postMessage({ messageId: "om_three", content }));
    await eventually(() => resourceCalls("om_three").length > 0, "the first download");
    await new Promise((r) => setTimeout(r, 300)); // room for a second one to start, if it would
    expect(resourceCalls("om_three")).toHaveLength(1);
    release();
    await f.s.idle();
    const t = await ticketOf("om_three");
    expect(t.attachments.map((a) => a.status)).toEqual(["stored", "stored", "stored"]);
    expect(resourceCalls("om_three").map((c) => c.path.split("/").pop())).toEqual(["img_v3_three_a", "img_v3_three_b", "img_v3_three_c"]);
  });
});

describe("what cannot be kept is said on the timeline", () => {
  const big = new Uint8Array(11 * 1024 * 1024).fill(7);

  it("11 MB declared in Content-Length: not read, too_big, the timeline names the limit", async () => {
    f.fake.resources.set("om_big_1/file_v3_big", { bytes: big, contentType: "application/zip", fileName: "dump.zip" });
    await f.deliver(messageEvent({ messageId: "om_big_1", chatType: "p2p", chatId: "oc_p2p1", messageType: "file", content: { file_key: "file_v3_big", file_name: "dump.zip" } }));
    await f.s.idle();
    const t = await ticketOf("om_big_1");
    expect(t.attachments[0]).toMatchObject({ status: "too_big", size: big.byteLength, storageKey: null });
    expect(await timeline(t.id)).toEqual(["附件 dump.zip 超过 10 MB，未保存"]);
    expect(fs.existsSync(path.join(f.s.dir, "attachments", t.number))).toBe(false);
  });

  it("11 MB with no Content-Length (chunked): counted while streaming and cut off past 10 MB", async () => {
    f.fake.resources.set("om_big_2/img_v3_big", { bytes: big, contentType: "image/png", chunked: true });
    await f.deliver(messageEvent({ messageId: "om_big_2", chatType: "p2p", chatId: "oc_p2p1", messageType: "image", content: { image_key: "img_v3_big" } }));
    await f.s.idle();
    const t = await ticketOf("om_big_2");
    const a = t.attachments[0]!;
    expect(a.status).toBe("too_big");
    expect(a.size).toBeGreaterThan(10 * 1024 * 1024);
    expect(a.size).toBeLessThan(big.byteLength); // stopped reading, did not take it all
    expect(await timeline(t.id)).toEqual([`附件 图片 #${a.id} 超过 10 MB，未保存`]);
  });

  it("a failing resource API is retried by the outbox later, then stored", async () => {
    f.fake.resources.set("om_flaky/img_v3_flaky", { bytes: PNG, contentType: "image/png" });
    f.fake.failWhen((c) => c.path.includes("/resources/img_v3_flaky"), { status: 503 });
    await f.deliver(messageEvent({ messageId: "om_flaky", chatType: "p2p", chatId: "oc_p2p1", messageType: "image", content: { image_key: "img_v3_flaky" } }));
    await f.s.idle();
    const t = await ticketOf("om_flaky");
    expect(t.attachments[0]!.status).toBe("pending");
    const job = await f.s.db.outboundMessage.findFirstOrThrow({ where: { kind: "download", ticketId: t.id } });
    expect(job).toMatchObject({ status: "pending", attempts: 1 });
    expect(job.lastError).toContain("HTTP 503");
    clock = new Date(clock.getTime() + 60_000);
    await deliverDue(f.s.ctx);
    await f.s.idle();
    expect(resourceCalls("om_flaky")).toHaveLength(2);
    expect((await ticketOf("om_flaky")).attachments[0]).toMatchObject({ status: "stored", size: PNG.byteLength });
    expect(await timeline(t.id)).toEqual([]);
  });

  it("a resource Feishu refuses (not in the message) fails for good, once, and says so", async () => {
    await f.deliver(messageEvent({ messageId: "om_gone", chatType: "p2p", chatId: "oc_p2p1", messageType: "image", content: { image_key: "img_v3_gone" } }));
    await f.s.idle();
    const t = await ticketOf("om_gone");
    const a = t.attachments[0]!;
    expect(a.status).toBe("failed");
    expect(a.error).toContain("234003");
    expect(await timeline(t.id)).toEqual([`附件 图片 #${a.id} 下载失败：feishu resource: HTTP 400 (code 234003: File not in msg.)`]);
    expect(resourceCalls("om_gone")).toHaveLength(1);
  });
});

describe("in English (locale en)", () => {
  let en: FeishuStack;
  beforeAll(async () => {
    en = await startFeishuStack({ now: () => clock, config: { ...teamConfig, locale: "en" } });
  });
  afterAll(() => en.close());

  it("the card says 'Attachments: 2 (1 image)' and the timeline says in English what was too big", async () => {
    en.fake.resources.set("om_en_1/img_v3_en", { bytes: PNG, contentType: "image/png" });
    en.fake.resources.set("om_en_1/file_v3_clip", { bytes: new Uint8Array(11 * 1024 * 1024), contentType: "video/mp4" });
    const content = { title: "Export fails", content: [[{ tag: "at", user_id: "@_user_1", user_name: "ChatDesk" }, { tag: "text", text: " export fails, see screenshot and clip" }], [{ tag: "img", image_key: "img_v3_en" }], [{ tag: "media", file_key: "file_v3_clip", image_key: "img_v3_cover" }]] };
    await en.deliver(postMessage({ messageId: "om_en_1", content }));
    await en.s.idle();
    const t = await en.s.db.ticket.findFirstOrThrow({ where: { messageId: "om_en_1" }, include: { attachments: { orderBy: { id: "asc" } } } });
    expect(t.attachments.map((a) => [a.kind, a.status])).toEqual([["image", "stored"], ["video", "too_big"]]);
    expect(en.fake.calls.find((c) => c.path.endsWith("/resources/file_v3_clip"))!.query).toEqual({ type: "file" });
    const c = [...en.fake.cards()].reverse().find((x) => JSON.stringify(x.card).includes(t.number))!;
    expect(feishuCardTexts(expectValidCard(c.card)).join("\n")).toContain("Attachments: 2 (1 image)");
    const notes = await en.s.db.ticketEvent.findMany({ where: { ticketId: t.id, kind: "attachment" } });
    expect(notes.map((e) => JSON.parse(e.payload).text)).toEqual([`Attachment video #${t.attachments[1]!.id} is over 10 MB and was not kept`]);
  });
});
