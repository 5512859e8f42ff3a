// The calendar on the Cloudflare Worker (the real bundle in workerd, a local D1, cron triggers): the
// feed host on loopback fetched by the cron, its data kept in D1, deadlines recomputed, the managers
// warned, a chat edit through a signed Feishu webhook, and a change written by another isolate seen
// by the next request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeFeishu, type FakeFeishuServer } from "../fakes/feishu-server.js";
import { CN_2027, holidayCnJson, startFeedServer, type FakeFeedServer } from "../fakes/feed-server.js";
import { APP_ID, groupMention, post, TEST_SECRETS } from "../support/feishu-events.js";
import { teamConfig } from "../support/server.js";
import { startLocalWorker, type LocalWorker } from "../support/worker.js";

let feishu: FakeFeishuServer;
let feed: FakeFeedServer;
let w: LocalWorker;
const sh = (local: string) => new Date(`${local.replace(" ", "T")}:00+08:00`);
/** Ticket times as the store writes them (Prisma's ISO text). */
const stored = (d: Date) => d.toISOString().replace("Z", "+00:00");

beforeAll(async () => {
  [feishu, feed] = await Promise.all([startFakeFeishu(), startFeedServer()]);
  feed.set("/cn/2027.json", { status: 500 });
  w = await startLocalWorker({
    vars: {
      LOG_LEVEL: "info",
      PUBLIC_URL: "https://chatdesk.example.com",
      FEISHU_APP_ID: APP_ID,
      FEISHU_APP_SECRET: "feishu-app-secret",
      FEISHU_VERIFICATION_TOKEN: TEST_SECRETS.verificationToken,
      FEISHU_ENCRYPT_KEY: TEST_SECRETS.encryptKey,
      FEISHU_DOMAIN: feishu.url,
      CHATDESK_CONFIG_JSON: JSON.stringify({ ...teamConfig, calendar: { feeds: [{ url: `${feed.url}/cn/{year}.json`, format: "json" }] } }),
    },
  });
  // An open low-priority ticket received Thursday 2027-01-28 10:00, due on the provisional calendar.
  await w.query(
    `INSERT INTO "Ticket" (number, title, description, status, category, priority, department, handlerId, reporterId, platform, chatId, receivedAt, responseDueAt, resolutionDueAt, lastProgressAt, version, updatedAt)
     VALUES ('FB20270128001', '报表导出偶尔失败', '报表导出偶尔失败', 'open', 'bug', 'low', 'tech', 'zhang', 'ou_reporter', 'feishu', 'oc_worker', ?, ?, ?, ?, 1, ?)`,
    stored(sh("2027-01-28 10:00")), stored(sh("2027-02-02 10:00")), stored(sh("2027-02-10 10:00")), stored(sh("2027-01-28 10:00")), stored(sh("2027-01-28 10:00")),
  );
}, 180_000);
afterAll(async () => {
  await w?.close();
  await Promise.all([feishu?.close(), feed?.close()]);
});

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false && v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; worker logs:\n${w.logs.slice(-20).map((l) => JSON.stringify(l)).join("\n")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const health = async () => ((await (await w.fetch("/healthz")).json()) as { calendar: { through: string; provisional: number[]; sources: Record<string, unknown>[] } }).calendar;
const ticket = async () => (await w.query<{ id: number; responseDueAt: string; resolutionDueAt: string; version: number }>(`SELECT id, "responseDueAt", "resolutionDueAt", version FROM "Ticket" WHERE number = 'FB20270128001'`))[0]!;
const dues = async () => {
  const t = await ticket();
  return { response: new Date(t.responseDueAt).toISOString(), resolution: new Date(t.resolutionDueAt).toISOString() };
};
const textsTo = (openId: string) =>
  feishu.calls
    .filter((c) => c.method === "POST" && c.path === "/open-apis/im/v1/messages" && c.query.receive_id_type === "open_id" && (c.body as { receive_id?: string }).receive_id === openId)
    .map((c) => String((c.content as { text?: string } | undefined)?.text ?? ""));

describe("the calendar on the Worker (Miniflare + local D1)", () => {
  it("/healthz reports where the data ends and which years are provisional", async () => {
    const h = await health();
    expect(h.through).toBe("2026-12-31");
    expect(h.provisional).toContain(2027);
    expect(h.sources[0]).toMatchObject({ kind: "package", name: "chinese-days" });
    expect(h.sources.find((s) => s.kind === "feed" && String(s.url).endsWith("/cn/2027.json"))).toMatchObject({ status: "pending" });
  });

  it("the cron fetches the failing feed (kept nothing, logged why) and warns the manager in chat", async () => {
    expect((await w.scheduled(sh("2027-02-01 13:00"))).outcome).toBe("ok");
    const [row] = await w.query<{ error: string; fetchedAt: string | null; source: string }>(`SELECT error, "fetchedAt", source FROM "CalendarFeed" WHERE url = ?`, `${feed.url}/cn/2027.json`);
    expect(row).toMatchObject({ error: "HTTP 500", fetchedAt: null, source: `${feed.url}/cn/{year}.json` });
    expect(w.logs.some((l) => l.msg === "calendar feed not used; the calendar keeps its last good data" && l.reason === "HTTP 500")).toBe(true);
    const warning = await until("the manager's warning", () => textsTo("ou_manager_zhao").find((t) => t.startsWith("【节假日数据即将用完】")));
    expect(warning).toContain("官方节假日数据只到 2026-12-31（已过 32 天）");
    expect(warning).toContain("https://chatdesk.example.com/console/calendar?year=2027");
    expect(await dues()).toEqual({ response: sh("2027-02-02 10:00").toISOString(), resolution: sh("2027-02-10 10:00").toISOString() });
  });

  it("an hour later the feed answers: stored in D1 with its provenance, the ticket's deadlines recomputed", async () => {
    feed.set("/cn/2027.json", { type: "application/json", body: holidayCnJson(2027, CN_2027) });
    expect((await w.scheduled(sh("2027-02-01 14:05"))).outcome).toBe("ok");
    const [row] = await w.query<{ error: string | null; offDays: number; workDays: number; years: string }>(`SELECT error, "offDays", "workDays", years FROM "CalendarFeed" WHERE url = ?`, `${feed.url}/cn/2027.json`);
    expect(row).toEqual({ error: null, offDays: 19, workDays: 3, years: "[2027]" });
    expect(await dues()).toEqual({ response: sh("2027-02-01 10:00").toISOString(), resolution: sh("2027-02-15 10:00").toISOString() });
    const events = await w.query<{ kind: string; actorId: string }>(`SELECT kind, "actorId" FROM "TicketEvent" WHERE "ticketId" = ?`, (await ticket()).id);
    // The cron at 13:00 had sent the 75 % response reminder (02-01 12:00); then the deadlines moved.
    expect(events).toEqual([
      { kind: "reminder", actorId: "system" },
      { kind: "deadlines", actorId: "system" },
    ]);
    // Once per calendar version: the first cron run's (nothing moved), this one's.
    expect(await w.query(`SELECT moved FROM "CalendarRecompute" ORDER BY at`)).toEqual([{ moved: 0 }, { moved: 1 }]);
    const h = await health();
    expect(h.through).toBe("2027-12-31");
    expect(h.provisional).not.toContain(2027);
  });

  it("a lead's /holiday in a signed Feishu message: stored on the audit trail, deadlines move, a reply in the thread", async () => {
    const messageId = "om_worker_holiday";
    const res = await w.fetch("/webhooks/feishu/events", { method: "POST", ...(await post(groupMention("@_user_1 /holiday 2027-02-15 加休", { messageId, senderId: "ou_lead_wang", chatId: "oc_worker" }))) });
    expect(res.status).toBe(200);
    const reply = await until("the reply", () => feishu.calls.find((c) => c.path === `/open-apis/im/v1/messages/${messageId}/reply`));
    expect((reply.content as { text: string }).text).toBe("已将 2027-02-15（1 天）设为休息日「加休」。1 张未结工单的截止时间已按新日历重算。");
    expect(await w.query(`SELECT "actorId", "actorName", via, action, "fromDate", "toDate", name FROM "CalendarEdit"`)).toEqual([
      { actorId: "wang", actorName: "王主管", via: "chat", action: "off", fromDate: "2027-02-15", toDate: "2027-02-15", name: "加休" },
    ]);
    expect((await dues()).resolution).toBe(sh("2027-02-16 10:00").toISOString());
  });

  it("an edit written by another isolate is seen by the next request and followed by the next cron run", async () => {
    await w.query(`INSERT INTO "CalendarEdit" (at, "actorId", "actorName", via, action, "fromDate", "toDate", name) VALUES (?, 'zhao', '赵总', 'console', 'off', '2027-02-16', '2027-02-16', '加休')`, stored(sh("2027-02-01 15:00")));
    const edits = (await health()).sources.find((s) => s.kind === "edits");
    expect(edits).toMatchObject({ days: 2, edits: 2, lastEditBy: "赵总" });
    expect((await w.scheduled(sh("2027-02-01 15:01"))).outcome).toBe("ok");
    expect((await dues()).resolution).toBe(sh("2027-02-17 10:00").toISOString());
  });
});
