// DingTalk attachments through the real signed robot route (HTTP mode) and the fake DingTalk: a picture,
// a file, rich text with pictures and a quoted message's picture are exchanged for a downloadUrl
// (POST /v1.0/robot/messageFiles/download with the robot code), read, stored, counted on the card.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDue } from "../../src/app/deliver.js";
import { robotPicture, robotRichText } from "../support/dingtalk-events.js";
import { DT, startDingTalkRig, ticketCardOf, who, type DingTalkRig } from "../support/dingtalk-rig.js";
import { bandsPng } from "../support/png.js";
import { dingtalkMarkdownVisible } from "../support/visible-text.js";

let clock = new Date("2025-05-21T02:00:00Z");
let rig: DingTalkRig;
beforeAll(async () => {
  rig = await startDingTalkRig("http", { now: () => clock });
});
afterAll(() => rig.close());

const PNG = bandsPng();
const from = (p: { id: string; nick: string }) => ({ conversationId: DT.group, senderStaffId: p.id, senderNick: p.nick, robotCode: DT.robotCode, sessionWebhook: rig.fake.sessionWebhookUrl() });
const exchanges = (code: string) => rig.fake.callsTo("/v1.0/robot/messageFiles/download").filter((c) => c.body?.downloadCode === code);
const ticketOf = (msg: object) => rig.server.db.ticket.findFirstOrThrow({ where: { messageId: (msg as { msgId: string }).msgId }, include: { attachments: { orderBy: { id: "asc" } } } });
const stored = (key: string | null) => fs.readFileSync(path.join(rig.server.dir, "attachments", key!));
const noteOf = async (ticketId: number) => dingtalkMarkdownVisible((await ticketCardOf(rig, ticketId)).data.note ?? "");

describe("DingTalk attachments are downloaded after the ack and kept", () => {
  it("a picture: downloadCode + robotCode exchanged with the app token, the URL read, the file stored and counted", async () => {
    rig.fake.files.set("dl-pic-a", { bytes: PNG, contentType: "image/png" });
    const msg = robotPicture("dl-pic-a", from(who.reporter));
    await rig.robot(msg);
    const [x, ...again] = exchanges("dl-pic-a");
    expect(again).toEqual([]);
    expect(x!.body).toEqual({ downloadCode: "dl-pic-a", robotCode: DT.robotCode });
    expect(x!.headers["x-acs-dingtalk-access-token"]).toMatch(/^tok-/);
    const t = await ticketOf(msg);
    const [a] = t.attachments;
    expect(a).toMatchObject({ status: "stored", kind: "image", contentType: "image/png", size: PNG.byteLength, storageKey: `${t.number}/${a!.id}-image-${a!.id}.png` });
    expect(new Uint8Array(stored(a!.storageKey))).toEqual(PNG);
    expect(await noteOf(t.id)).toContain("附件：1 个（1 张图片）");
  });

  it("a file: its fileName kept", async () => {
    rig.fake.files.set("dl-file-a", { bytes: new TextEncoder().encode("trace…"), contentType: "application/octet-stream" });
    const base = robotPicture("x", from(who.reporter));
    const msg = { ...base, msgtype: "file", content: { downloadCode: "dl-file-a", fileName: "错误日志.txt", spaceId: "1", fileId: "2" } };
    await rig.robot(msg);
    const t = await ticketOf(msg);
    expect(t.attachments[0]).toMatchObject({ status: "stored", kind: "file", name: "错误日志.txt", storageKey: `${t.number}/${t.attachments[0]!.id}-错误日志.txt` });
    expect(stored(t.attachments[0]!.storageKey).toString("utf8")).toBe("trace…");
    const note = await noteOf(t.id);
    expect(note).toContain("附件：1 个");
    expect(note).not.toContain("图片");
  });

  it("rich text with two pictures: both stored, the card says 2 images", async () => {
    rig.fake.files.set("dl-rich-1", { bytes: PNG, contentType: "image/png" });
    rig.fake.files.set("dl-rich-2", { bytes: PNG, contentType: "image/jpeg" });
    const msg = robotRichText([{ text: "导出报错" }, { downloadCode: "dl-rich-1", type: "picture" }, { text: "再试一次" }, { downloadCode: "dl-rich-2", type: "picture" }], from(who.reporter));
    await rig.robot(msg);
    const t = await ticketOf(msg);
    expect(t.attachments.map((a) => [a.status, a.contentType])).toEqual([["stored", "image/png"], ["stored", "image/jpeg"]]);
    expect(await noteOf(t.id)).toContain("附件：2 个（2 张图片）");
  });

  it("a quoted message's picture (引用回复 + @bot) is downloaded too", async () => {
    rig.fake.files.set("dl-quoted-pic", { bytes: PNG, contentType: "image/png" });
    const msg = rig.message("看下这个", who.zhang, { conversationId: "cid_quote_att==" });
    const quoted = { msgId: "msgQuotedPic==", msgType: "richText", senderId: "dt_customer_sun", content: { richText: [{ msgType: "text", content: "导出报表报错" }, { msgType: "picture", downloadCode: "dl-quoted-pic" }] } };
    const body = { ...msg, text: { ...(msg.text as object), isReplyMsg: true, repliedMsg: quoted } };
    await rig.robot(body);
    const t = await ticketOf(body);
    expect(t.attachments[0]).toMatchObject({ status: "stored", fileKey: "dl-quoted-pic", messageId: "msgQuotedPic==" });
    expect(exchanges("dl-quoted-pic")).toHaveLength(1);
  });
});

describe("DingTalk: too big, and failures", () => {
  it("an 11 MB file (chunked, no Content-Length) is cut off while streaming and said on the timeline", async () => {
    rig.fake.files.set("dl-big", { bytes: new Uint8Array(11 * 1024 * 1024), contentType: "video/mp4", chunked: true });
    const base = robotPicture("x", from(who.reporter));
    const msg = { ...base, msgtype: "video", content: { downloadCode: "dl-big", duration: "30", videoType: "mp4" } };
    await rig.robot(msg);
    const t = await ticketOf(msg);
    const a = t.attachments[0]!;
    expect(a.status).toBe("too_big");
    const notes = await rig.server.db.ticketEvent.findMany({ where: { ticketId: t.id, kind: "attachment" } });
    expect(notes.map((e) => JSON.parse(e.payload).text)).toEqual([`附件 视频 #${a.id} 超过 10 MB，未保存`]);
  });

  it("a failing exchange is retried by the outbox later, then stored", async () => {
    rig.fake.files.set("dl-flaky", { bytes: PNG, contentType: "image/png" });
    rig.fake.failNext(1, { status: 500 }, "/v1.0/robot/messageFiles/download");
    const msg = robotPicture("dl-flaky", from(who.reporter));
    await rig.robot(msg);
    const t = await ticketOf(msg);
    expect(t.attachments[0]!.status).toBe("pending");
    expect(await rig.server.db.outboundMessage.findFirstOrThrow({ where: { kind: "download", ticketId: t.id } })).toMatchObject({ status: "pending", attempts: 1 });
    clock = new Date(clock.getTime() + 60_000);
    await deliverDue(rig.server.ctx);
    expect((await ticketOf(msg)).attachments[0]!.status).toBe("stored");
    expect(exchanges("dl-flaky")).toHaveLength(2);
  });

  it("a downloadCode DingTalk refuses fails for good, and the timeline says so", async () => {
    const msg = robotPicture("dl-unknown", from(who.reporter));
    await rig.robot(msg);
    const t = await ticketOf(msg);
    const a = t.attachments[0]!;
    expect(a.status).toBe("failed");
    const notes = await rig.server.db.ticketEvent.findMany({ where: { ticketId: t.id, kind: "attachment" } });
    expect(notes.map((e) => JSON.parse(e.payload).text)).toEqual([`附件 图片 #${a.id} 下载失败：DingTalk messageFiles/download failed (HTTP 400: unknownError downloadCode无效)`]);
  });
});
