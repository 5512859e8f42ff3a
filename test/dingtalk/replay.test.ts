// DingTalk card-callback replay over HTTP against the real server: the signature covers only the
// timestamp, so a captured (timestamp, signature) pair must work once — not with another body, not on
// another instance sharing the database — and only within minutes of being made.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CARD_SIGN_WINDOW_MS } from "../../src/adapter/dingtalk/sign.js";
import { SIGN_WINDOW_MS } from "../../src/adapter/dingtalk/sign.js";
import { signedCardRequest, signedRobotRequest } from "../support/dingtalk-events.js";
import { buttonClick, dingtalkConfig, groupMessage, dingtalkEnv, DT, nextTimestamp, startDingTalkRig, ticketCardOf, who, type DingTalkRig } from "../support/dingtalk-rig.js";
import { reportIssue } from "../support/dingtalk-scenarios.js";
import { startTestServer, type TestServer } from "../support/server.js";

let rig: DingTalkRig;
let other: TestServer;
beforeAll(async () => {
  rig = await startDingTalkRig("http");
  // A second instance on the same database, as two Node processes (or Worker isolates on one D1) would be.
  other = await startTestServer({ dir: rig.server.dir, config: dingtalkConfig, env: dingtalkEnv("http", rig.fake) });
}, 60_000);
afterAll(async () => {
  await other?.close();
  await rig?.close();
});

const post = (base: string, req: { method: string; headers: Record<string, string>; body: string }) => fetch(`${base}/webhooks/dingtalk/cards`, req);
const ticketOf = (id: number) => rig.server.db.ticket.findUniqueOrThrow({ where: { id } });
const rejections = (s: TestServer) => s.logs.filter((l) => l.msg === "dingtalk card callback rejected" && l.code === "SIGNATURE_REPLAYED");

describe("a captured card-callback signature", () => {
  it("authorises its own click once; the same headers with another body, or again, are refused and change nothing", async () => {
    const { ticket } = await reportIssue(rig, "客户反馈：系统报错无法登录", "cid_replay==");
    const card = await ticketCardOf(rig, ticket.id);
    const claim = await signedCardRequest(buttonClick(card, "claim", who.zhang), DT.appSecret, nextTimestamp());
    const first = await post(rig.server.url, claim);
    expect(first.status).toBe(200);
    await rig.server.idle();
    const claimed = await ticketOf(ticket.id);
    expect(claimed).toMatchObject({ status: "in_progress", handlerId: "zhang" });

    // The attacker keeps the headers and writes their own body: a stranger rejecting the ticket.
    const forged = { ...claim, body: JSON.stringify(buttonClick(await ticketCardOf(rig, ticket.id), "reject", who.stranger)) };
    const inboundBefore = await rig.server.db.inboundEvent.count();
    for (const [where, base, req] of [
      ["another body", rig.server.url, forged],
      ["the same request again", rig.server.url, claim],
      ["another instance on the same database", other.url, forged],
    ] as const) {
      const res = await post(base, req);
      expect(res.status, where).toBe(401);
      expect(await res.json(), where).toEqual({ error: "SIGNATURE_REPLAYED" });
    }
    await rig.server.idle();
    expect(await ticketOf(ticket.id)).toMatchObject({ status: "in_progress", version: claimed.version });
    expect(await rig.server.db.inboundEvent.count()).toBe(inboundBefore);
    expect(rejections(rig.server)).toHaveLength(2);
    expect(rejections(other)).toHaveLength(1);
  });

  it("another spelling of the same signature (base64 padding bits) is the same signature", async () => {
    const { ticket } = await reportIssue(rig, "客户反馈：报表导出失败", "cid_replay_b64==");
    const card = await ticketCardOf(rig, ticket.id);
    const req = await signedCardRequest(buttonClick(card, "claim", who.zhang), DT.appSecret, nextTimestamp());
    expect((await post(rig.server.url, req)).status).toBe(200);
    // 32 bytes in base64: the last character before "=" carries two unused bits.
    const sig = req.headers["x-ddpaas-signature"]!;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const last = alphabet.indexOf(sig[42]!);
    const respelled = `${sig.slice(0, 42)}${alphabet[last ^ 1]}=`;
    expect(respelled).not.toBe(sig);
    const res = await post(rig.server.url, { ...req, headers: { ...req.headers, "x-ddpaas-signature": respelled } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "SIGNATURE_REPLAYED" });
  });

  it("is accepted only within minutes of its timestamp (DingTalk documents no window)", async () => {
    const { ticket } = await reportIssue(rig, "客户反馈：页面加载缓慢", "cid_replay_stale==");
    const card = await ticketCardOf(rig, ticket.id);
    const click = buttonClick(card, "claim", who.zhang);
    const stale = await post(rig.server.url, await signedCardRequest(click, DT.appSecret, String(Date.now() - CARD_SIGN_WINDOW_MS - 60_000)));
    expect(stale.status).toBe(401);
    expect(await stale.json()).toEqual({ error: "TIMESTAMP_STALE" });
    expect(CARD_SIGN_WINDOW_MS).toBeLessThanOrEqual(5 * 60_000);
    expect((await ticketOf(ticket.id)).status).toBe("open");

    const fresh = await post(rig.server.url, await signedCardRequest(click, DT.appSecret, String(Date.now() - CARD_SIGN_WINDOW_MS + 60_000)));
    expect(fresh.status).toBe(200);
  });

  it("is remembered only as long as it could pass the timestamp check", async () => {
    const rows = await rig.server.db.usedSignature.findMany({ where: { key: { startsWith: "dingtalk-card:" } } });
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(2 * CARD_SIGN_WINDOW_MS);
  });
});

describe("a captured robot-callback signature", () => {
  const robotPost = (base: string, req: { method: string; headers: Record<string, string>; body: string }) => fetch(`${base}/webhooks/dingtalk/robot`, req);
  const robotRejections = (s: TestServer) => s.logs.filter((l) => l.msg === "dingtalk robot callback rejected" && l.code === "SIGNATURE_REPLAYED");

  it("brings its own message once; redelivered it is deduplicated; with another message it is refused and nothing is stored", async () => {
    const genuine = groupMessage(rig.fake, "客户反馈：发票无法下载", who.reporter, { msgId: "msgRobotReplay1==" });
    const req = await signedRobotRequest(genuine, DT.appSecret);
    expect((await robotPost(rig.server.url, req)).status).toBe(200);
    await rig.server.idle();
    const ticketsBefore = await rig.server.db.ticket.count();
    const inboundBefore = await rig.server.db.inboundEvent.count();

    // DingTalk redelivering the same message with the same headers: accepted, and a no-op.
    const again = await robotPost(rig.server.url, req);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ msgtype: "empty" });

    // The attacker keeps the headers and writes another message, as someone else, on both instances.
    const forged = { ...req, body: JSON.stringify(groupMessage(rig.fake, "/reject 不是问题", who.stranger, { msgId: "msgForgedRobot==" })) };
    for (const base of [rig.server.url, other.url]) {
      const res = await robotPost(base, forged);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: "SIGNATURE_REPLAYED" });
    }
    await rig.server.idle();
    expect(await rig.server.db.ticket.count()).toBe(ticketsBefore);
    expect(await rig.server.db.inboundEvent.count()).toBe(inboundBefore);
    expect(robotRejections(rig.server)).toHaveLength(1);
    expect(robotRejections(other)).toHaveLength(1);
  });

  it("is remembered for as long as DingTalk's hour lets it pass", async () => {
    const rows = await rig.server.db.usedSignature.findMany({ where: { key: { startsWith: "dingtalk-robot:" } } });
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.expiresAt.getTime() - Date.now()).toBeGreaterThan(SIGN_WINDOW_MS);
      expect(r.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(2 * SIGN_WINDOW_MS);
    }
  });
});
