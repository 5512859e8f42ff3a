// DingTalk failures that must lose nothing: the platform API failing for a while (the outbox retries
// until the card arrives), and a crash after the ack (the restart on the same SQLite file processes
// the stored event exactly once), in HTTP and Stream mode.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { deliverDue } from "../../src/app/deliver.js";
import { processPendingInbound } from "../../src/app/inbound.js";
import { TOPIC_ROBOT } from "../../src/adapter/dingtalk/stream.js";
import { createSqliteDb } from "../../src/adapter/node/db.js";
import { startFakeDingTalk, type FakeDingTalk } from "../fakes/dingtalk-server.js";
import { ticketTemplateViolations } from "../support/dingtalk-card-rules.js";
import { robotPicture, signedRobotRequest } from "../support/dingtalk-events.js";
import { bandsPng } from "../support/png.js";
import {
  buttonClick,
  cardCreates,
  cardUpdates,
  dingtalkConfig,
  dingtalkEnv,
  DT,
  groupMessage,
  startDingTalkRig,
  ticketCardOf,
  until,
  webhookTexts,
  who,
  type DingTalkMode,
  type DingTalkRig,
} from "../support/dingtalk-rig.js";
import { reportIssue } from "../support/dingtalk-scenarios.js";

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function rig(mode: DingTalkMode, o: Parameters<typeof startDingTalkRig>[1] = {}): Promise<DingTalkRig> {
  const r = await startDingTalkRig(mode, o);
  cleanup.push(() => r.close());
  return r;
}

async function fakeDingTalk(): Promise<FakeDingTalk> {
  const f = await startFakeDingTalk({ appKey: DT.appKey, appSecret: DT.appSecret, robotCode: DT.robotCode });
  cleanup.push(() => f.close());
  return f;
}

describe("DingTalk API failing for a while", () => {
  it("500s then 429s on card create: the outbox retries with backoff and the card arrives once", async () => {
    let clock = new Date();
    const r = await rig("http", { now: () => clock });
    const create = "/v1.0/card/instances/createAndDeliver";
    r.fake.failNext(2, { status: 500 }, create);
    r.fake.failNext(2, { status: 429, body: { code: "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", message: "API调用频率超限" } }, create);

    const { ticket } = await reportIssue(r, "客户反馈：系统报错无法登录");
    const row = () => r.server.db.outboundMessage.findFirstOrThrow({ where: { ticketId: ticket.id, kind: "send_card" } });
    expect(await row()).toMatchObject({ status: "pending", attempts: 1 });
    expect((await row()).lastError).toContain("HTTP 500");
    expect((await row()).nextAttemptAt.getTime()).toBeGreaterThan(clock.getTime());
    expect(await r.server.db.cardRef.count({ where: { ticketId: ticket.id } })).toBe(0);
    // The handler's @mention is a separate message and is not held up by the card.
    expect(webhookTexts(r.fake).filter((c) => c.body.text.content.includes(ticket.number))).toHaveLength(1);

    // Time passes; each retry is due only after its backoff.
    for (let i = 0; i < 10 && (await row()).status === "pending"; i++) {
      expect(await deliverDue(r.server.ctx, { ids: [(await row()).id] })).toMatchObject({ sent: 0, retried: 0, dead: 0 }); // not due yet
      clock = new Date((await row()).nextAttemptAt.getTime() + 1);
      await deliverDue(r.server.ctx);
      await r.server.idle();
    }
    expect(r.fake.callsTo(create).map((c) => c.status)).toEqual([500, 500, 429, 429, 200]);
    expect(await row()).toMatchObject({ status: "sent", attempts: 5 });
    expect(cardCreates(r.fake)).toHaveLength(1);
    const card = await ticketCardOf(r, ticket.id);
    expect(card.data.headerTitle).toMatch(new RegExp(`^${ticket.number} `));
    expect(ticketTemplateViolations(card.data)).toEqual([]);
  });

  it("a card update that fails is retried until the card shows the new state", async () => {
    let clock = new Date();
    const r = await rig("http", { now: () => clock });
    const { ticket } = await reportIssue(r, "客户反馈：系统报错，订单无法提交");
    const card = await ticketCardOf(r, ticket.id);
    r.fake.failNext(3, { status: 503 }, "/v1.0/card/instances");
    const reply = await r.click(buttonClick(card, "claim", who.zhang));
    expect(reply.userPrivateData?.cardParamMap.noticeKind).toBe("success"); // the click itself succeeded
    expect(r.fake.cards.get(card.ref)!.headerSubtitle).toMatch(/^待处理/); // the group's copy is behind

    const update = () => r.server.db.outboundMessage.findFirstOrThrow({ where: { ticketId: ticket.id, kind: "update_card" } });
    for (let i = 0; i < 10 && (await update()).status === "pending"; i++) {
      clock = new Date((await update()).nextAttemptAt.getTime() + 1);
      await deliverDue(r.server.ctx);
      await r.server.idle();
    }
    expect(cardUpdates(r.fake, card.ref).map((c) => c.status)).toEqual([503, 503, 503, 200]);
    expect(r.fake.cards.get(card.ref)!.headerSubtitle).toMatch(/^处理中/);
  });
});

/* ------------------------------------ crash ------------------------------------ */

interface Crashable {
  url: string;
  child: ChildProcess;
  kill(): Promise<void>;
}

/** The server in a child process that stops before processing anything it acknowledges. */
async function startCrashable(mode: DingTalkMode, fake: FakeDingTalk, dir: string): Promise<Crashable> {
  const configFile = path.join(dir, "chatdesk.json");
  fs.writeFileSync(configFile, JSON.stringify(dingtalkConfig));
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/crash-after-ack.ts"], {
    env: { ...process.env, ...dingtalkEnv(mode, fake), PORT: "0", DATABASE_URL: `file:${path.join(dir, "chatdesk.db")}`, CHATDESK_CONFIG: configFile, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  cleanup.push(() => (child.exitCode === null && child.signalCode === null ? (child.kill("SIGKILL"), exited) : undefined));
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n").find((l) => l.startsWith('{"ready"'));
      if (line) resolve((JSON.parse(line) as { ready: string }).ready);
    });
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    child.once("exit", (code) => reject(new Error(`crashable server exited with ${code}:\n${out}`)));
  });
  return {
    url,
    child,
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** What the killed process left in the database: the event stored, nothing processed. */
async function leftBehind(dir: string) {
  const db = createSqliteDb(path.join(dir, "chatdesk.db"));
  try {
    return {
      inbound: await db.inboundEvent.findMany({ select: { id: true, status: true, attempts: true } }),
      tickets: await db.ticket.count(),
      // Rows for a ticket only: a scheduler tick falling inside the test's second may queue a digest.
      outbox: await db.outboundMessage.count({ where: { ticketId: { not: null } } }),
    };
  } finally {
    await db.$disconnect();
  }
}

describe("crash after the ack", () => {
  const tmp = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chatdesk-crash-"));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  it("HTTP: the acknowledged message is processed exactly once by the restarted server", async () => {
    const fake = await fakeDingTalk();
    const dir = tmp();
    const crashable = await startCrashable("http", fake, dir);
    const msg = groupMessage(fake, "客户反馈：系统报错无法登录，影响全部门店", who.reporter);

    const res = await fetch(`${crashable.url}/webhooks/dingtalk/robot`, await signedRobotRequest(msg, DT.appSecret));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ msgtype: "empty" });
    await crashable.kill();

    const id = `dingtalk:msg:${msg.msgId as string}`;
    expect(await leftBehind(dir)).toEqual({ inbound: [{ id, status: "pending", attempts: 0 }], tickets: 0, outbox: 0 });
    expect(cardCreates(fake)).toHaveLength(0);

    // Restart on the same SQLite file: the startup sweep processes the event.
    const r = await rig("http", { fake, dir });
    const tickets = await r.server.db.ticket.findMany({ where: { messageId: msg.msgId as string } });
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ status: "open", reporterId: who.reporter.id, chatId: `group:${DT.group}`, version: 1 });
    expect(await r.server.db.inboundEvent.findUnique({ where: { id } })).toMatchObject({ status: "done", attempts: 1 });
    expect(cardCreates(fake)).toHaveLength(1);
    await ticketCardOf(r, tickets[0]!.id);

    // DingTalk delivering it again, and later sweeps, change nothing.
    await r.robot(msg);
    expect(await processPendingInbound(r.server.ctx)).toBe(0);
    expect(await r.server.db.ticket.count()).toBe(1);
    expect(await r.server.db.ticketEvent.count()).toBe(1);
    expect(cardCreates(fake)).toHaveLength(1);
    expect(webhookTexts(fake).filter((c) => c.body.text.content.includes(tickets[0]!.number))).toHaveLength(1);
  });

  it("HTTP: a picture acknowledged just before the crash is downloaded and stored by the restarted server", async () => {
    const fake = await fakeDingTalk();
    const dir = tmp();
    const png = bandsPng(8, 8);
    fake.files.set("dl-crash-pic", { bytes: png, contentType: "image/png" });
    const crashable = await startCrashable("http", fake, dir);
    const msg = robotPicture("dl-crash-pic", { conversationId: DT.group, senderStaffId: who.reporter.id, senderNick: who.reporter.nick, robotCode: DT.robotCode, sessionWebhook: fake.sessionWebhookUrl() });
    expect((await fetch(`${crashable.url}/webhooks/dingtalk/robot`, await signedRobotRequest(msg, DT.appSecret))).status).toBe(200);
    await crashable.kill();
    expect(fake.callsTo("/v1.0/robot/messageFiles/download")).toEqual([]);

    const r = await rig("http", { fake, dir });
    const t = await r.server.db.ticket.findFirstOrThrow({ where: { messageId: msg.msgId as string }, include: { attachments: true } });
    expect(t.attachments).toMatchObject([{ status: "stored", size: png.byteLength }]);
    expect(new Uint8Array(fs.readFileSync(path.join(dir, "attachments", t.attachments[0]!.storageKey!)))).toEqual(png);
    expect(fake.callsTo("/v1.0/robot/messageFiles/download")).toHaveLength(1);
  });

  it("Stream: the ACKed frame is processed exactly once by the restarted server", async () => {
    const fake = await fakeDingTalk();
    const dir = tmp();
    const crashable = await startCrashable("stream", fake, dir);
    await fake.waitForConnections(1);
    const msg = groupMessage(fake, "客户反馈：系统报错无法登录，影响全部门店", who.reporter);
    const ack = await fake.waitForAck(fake.pushStream(TOPIC_ROBOT, msg));
    expect(ack).toMatchObject({ code: 200, message: "OK" });
    await crashable.kill();

    const id = `dingtalk:msg:${msg.msgId as string}`;
    expect(await leftBehind(dir)).toEqual({ inbound: [{ id, status: "pending", attempts: 0 }], tickets: 0, outbox: 0 });

    const r = await rig("stream", { fake, dir });
    expect(fake.connections).toBe(2);
    const tickets = await r.server.db.ticket.findMany({ where: { messageId: msg.msgId as string } });
    expect(tickets).toHaveLength(1);
    expect(await r.server.db.inboundEvent.findUnique({ where: { id } })).toMatchObject({ status: "done", attempts: 1 });
    expect(cardCreates(fake)).toHaveLength(1);
    expect(cardCreates(fake)[0]!.body).toMatchObject({ callbackType: "STREAM", outTrackId: (await ticketCardOf(r, tickets[0]!.id)).ref });

    // The gateway pushing the same message again (a redelivery) files nothing new.
    await r.robot(msg);
    await until(async () => (await r.server.db.inboundEvent.count()) === 1, "the redelivery to be deduplicated");
    expect(await r.server.db.ticket.count()).toBe(1);
    expect(cardCreates(fake)).toHaveLength(1);
  });

  it("a crash in the middle of processing (ticket stored, event not yet marked done) does not file a second ticket", async () => {
    const fake = await fakeDingTalk();
    const dir = tmp();
    const first = await rig("http", { fake, dir });
    const { msg, ticket } = await reportIssue(first, "客户反馈：系统报错无法登录，影响全部门店");
    const id = `dingtalk:msg:${msg.msgId as string}`;
    await cleanup.pop()!();

    // The state such a crash leaves: the ticket and its outbox rows committed, the event still
    // pending under the dead process's lease.
    const db = createSqliteDb(path.join(dir, "chatdesk.db"));
    const leaseUntil = new Date(Date.now() + 60_000);
    await db.inboundEvent.update({ where: { id }, data: { status: "pending", processedAt: null, lockedUntil: leaseUntil } });
    await db.$disconnect();

    // Restarted after the lease ran out: the sweep takes the event again.
    const r = await rig("http", { fake, dir, now: () => new Date(Date.now() + 61_000) });
    expect(await r.server.db.inboundEvent.findUnique({ where: { id } })).toMatchObject({ status: "done", attempts: 2 });
    expect(await r.server.db.ticket.count({ where: { messageId: msg.msgId as string } })).toBe(1);
    expect(await r.server.db.ticketEvent.count({ where: { ticketId: ticket.id } })).toBe(1);
    expect(cardCreates(fake)).toHaveLength(1);
    expect(webhookTexts(fake).filter((c) => c.body.text.content.includes(ticket.number))).toHaveLength(1);
  });
});
