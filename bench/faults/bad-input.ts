// Duplicate storms (every event delivered five times, four of them at once) and malformed,
// oversized and badly signed bodies at every webhook: one ticket per event, nothing stored for junk,
// never a 5xx.
import { encryptFeishu, signature } from "../../src/adapter/feishu/crypto.js";
import { robotGroupText, signedCardRequest, signedRobotRequest } from "../../test/support/dingtalk-events.js";
import { messageEvent, post, TEST_SECRETS, envelope } from "../../test/support/feishu-events.js";
import { acked, drive, type Sent } from "../lib/drive.js";
import { postRaw } from "../lib/raw-http.js";
import { build, dingtalkRobot, feishuMessage, type Shot } from "../lib/events.js";
import { DINGTALK_SECRET } from "../lib/platforms.js";
import type { Bench, BenchContext, BenchResult, Row } from "../lib/result.js";
import { int } from "../lib/stats.js";
import { outcomeCells, secs, serverErrors, settle, startRig, statusNote, type Rig } from "./common.js";

const MiB = 1024 * 1024;
/** The server answered 413 and closed while the body was still being uploaded: refused all the same. */
const CUT = ["EPIPE", "ECONNRESET"];

async function duplicateStorm(rig: Rig, unique: number) {
  const originals: Shot[] = await build(unique, (i) => (i % 2 ? dingtalkRobot(i, rig.fakes.dingtalk) : feishuMessage(i)));
  // A redelivery: same message id (Feishu: new event_id, nonce and signature; DingTalk: new timestamp and sign).
  const again = (s: Shot, i: number) => (s.platform === "feishu" ? feishuMessage(i, { messageId: s.messageId }) : dingtalkRobot(i, rig.fakes.dingtalk, { key: s.key }));
  const storm: Shot[] = [];
  for (let i = 0; i < originals.length; i++) {
    const s = originals[i]!;
    storm.push(s, s, await again(s, i), await again(s, i)); // two byte-identical, two re-signed
  }
  for (let i = storm.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [storm[i], storm[j]] = [storm[j]!, storm[i]!];
  }
  const t0 = Date.now();
  const first = await drive(() => rig.server.url, storm, { rate: Infinity, concurrency: 32, timeoutMs: 30_000 });
  await settle(rig, originals, first, { timeoutMs: 60_000, since: t0 });
  // A late redelivery after processing finished (Feishu re-pushes for hours when it saw no 200 in time).
  const late = await drive(() => rig.server.url, await Promise.all(originals.map((s, i) => again(s, i))), { rate: Infinity, concurrency: 16 });
  const all = [...first, ...late];
  const out = await settle(rig, originals, all, { timeoutMs: 30_000, since: t0 });
  return { out, requests: all.length, statuses: countStatuses(all), ackedRequests: all.filter(acked).length };
}

function countStatuses(sent: Sent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of sent) {
    const k = s.status !== undefined ? String(s.status) : (s.error ?? "no answer");
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

interface Case {
  name: string;
  /** Right answers for this input: statuses, or the socket error of a server refusing mid-upload. */
  expect: (number | string)[];
  /** A valid message that is merely large: each delivery is a new message and becomes a ticket (its text cut). */
  valid?: true;
  make(): Promise<{ path: string; body: string | { chunk: Buffer; total: number }; headers: Record<string, string> }>;
}

async function feishuHeaders(body: string, ts = Math.floor(Date.now() / 1000)) {
  const nonce = String(Math.floor(Math.random() * 1e10));
  return {
    "content-type": "application/json",
    "x-lark-request-timestamp": String(ts),
    "x-lark-request-nonce": nonce,
    "x-lark-signature": await signature(String(ts), nonce, TEST_SECRETS.encryptKey, body),
  };
}

const signedFeishu = async (path: string, body: string, ts?: number) => ({ path, body, headers: await feishuHeaders(body, ts) });

/** A body streamed without content-length (transfer-encoding: chunked). */
const chunked = (total: number) => ({ chunk: Buffer.alloc(64 * 1024, "x"), total });

const bigText = (n: number) => "系统报错".repeat(Math.ceil(n / 4)).slice(0, n);

const CASES: Case[] = [
  { name: "Feishu events: not JSON, signed", expect: [400], make: () => signedFeishu("/webhooks/feishu/events", "{not json") },
  { name: "Feishu events: JSON array, signed", expect: [400], make: () => signedFeishu("/webhooks/feishu/events", "[1,2,3]") },
  { name: "Feishu events: undecryptable `encrypt`, signed", expect: [400], make: () => signedFeishu("/webhooks/feishu/events", JSON.stringify({ encrypt: "AAAAbm90IHJlYWxseSBlbmNyeXB0ZWQ=" })) },
  { name: "Feishu events: empty body", expect: [400], make: () => signedFeishu("/webhooks/feishu/events", "") },
  {
    name: "Feishu events: valid event, bad signature",
    expect: [401],
    make: async () => {
      const p = await post(messageEvent({ text: "@_user_1 登录失败" }));
      return { path: "/webhooks/feishu/events", body: p.body, headers: { ...p.headers, "x-lark-signature": "0".repeat(64) } };
    },
  },
  {
    name: "Feishu events: valid event, no signature headers",
    expect: [401],
    make: async () => ({ path: "/webhooks/feishu/events", body: (await post(messageEvent({ text: "登录失败" }))).body, headers: { "content-type": "application/json" } }),
  },
  {
    name: "Feishu events: valid event signed 10 min ago",
    expect: [401],
    make: async () => ({ path: "/webhooks/feishu/events", ...(await post(messageEvent({ text: "登录失败" }), { timestamp: Math.floor(Date.now() / 1000) - 600 })) }),
  },
  {
    name: "Feishu events: wrong verification token, encrypted and signed",
    expect: [401],
    make: async () => ({ path: "/webhooks/feishu/events", ...(await post(envelope("im.message.receive_v1", {}, { token: "not-the-token" }))) }),
  },
  {
    name: "Feishu events: 2 MiB body",
    expect: [413, ...CUT],
    make: async () => signedFeishu("/webhooks/feishu/events", JSON.stringify({ encrypt: await encryptFeishu(JSON.stringify({ pad: "x".repeat(2 * MiB) }), TEST_SECRETS.encryptKey) })),
  },
  { name: "Feishu events: 4 MiB chunked, no content-length", expect: [413, ...CUT], make: async () => ({ path: "/webhooks/feishu/events", body: chunked(4 * MiB), headers: { "content-type": "application/json" } }) },
  { name: "Feishu cards: not JSON, signed", expect: [400], make: () => signedFeishu("/webhooks/feishu/cards", "<xml/>") },
  {
    name: "Feishu events: valid message with 100 k characters of text",
    expect: [200],
    valid: true,
    make: async () => ({ path: "/webhooks/feishu/events", ...(await post(messageEvent({ chatType: "p2p", text: bigText(100_000) }))) }),
  },
  {
    name: "DingTalk robot: bad sign",
    expect: [401],
    make: async () => {
      const r = await signedRobotRequest({ msgId: "x" }, "wrong-secret");
      return { path: "/webhooks/dingtalk/robot", body: r.body, headers: r.headers };
    },
  },
  {
    name: "DingTalk robot: signed 2 h ago",
    expect: [401],
    make: async () => {
      const r = await signedRobotRequest({ msgId: "x" }, DINGTALK_SECRET, String(Date.now() - 2 * 3600_000));
      return { path: "/webhooks/dingtalk/robot", body: r.body, headers: r.headers };
    },
  },
  {
    name: "DingTalk robot: not JSON, signed",
    expect: [400],
    make: async () => {
      const r = await signedRobotRequest("{{{", DINGTALK_SECRET);
      return { path: "/webhooks/dingtalk/robot", body: r.body, headers: r.headers };
    },
  },
  {
    name: "DingTalk robot: JSON that is no robot message, signed",
    expect: [200],
    make: async () => {
      const r = await signedRobotRequest({ hello: "world", text: 42 }, DINGTALK_SECRET);
      return { path: "/webhooks/dingtalk/robot", body: r.body, headers: r.headers };
    },
  },
  {
    // The robot signature covers only the timestamp (https://open.dingtalk.com/document/development/receive-message): the body is whatever the sender wrote.
    name: "DingTalk robot: 10 000-character conversationId, signed",
    expect: [400, 200],
    make: async () => {
      const r = await signedRobotRequest({ ...robotGroupText({ text: "系统报错" }), conversationId: `cid${"x".repeat(10_000)}==` }, DINGTALK_SECRET);
      return { path: "/webhooks/dingtalk/robot", body: r.body, headers: r.headers };
    },
  },
  {
    name: "DingTalk robot: 2 MiB body, signed",
    expect: [413, ...CUT],
    make: async () => {
      const r = await signedRobotRequest({ msgId: "big", pad: "x".repeat(2 * MiB) }, DINGTALK_SECRET);
      return { path: "/webhooks/dingtalk/robot", body: r.body, headers: r.headers };
    },
  },
  {
    name: "DingTalk cards: bad signature",
    expect: [401],
    make: async () => {
      const r = await signedCardRequest({ outTrackId: "x" }, "wrong-secret");
      return { path: "/webhooks/dingtalk/cards", body: r.body, headers: r.headers };
    },
  },
  {
    name: "DingTalk cards: not JSON, signed",
    expect: [400],
    make: async () => {
      const r = await signedCardRequest({}, DINGTALK_SECRET);
      return { path: "/webhooks/dingtalk/cards", body: "%%%", headers: r.headers };
    },
  },
];

async function malformed(rig: Rig, repeat: number) {
  const db = rig.db();
  const before = db.counts();
  const inboundBefore = db.all<{ n: number }>(`SELECT COUNT(*) AS n FROM "InboundEvent"`)[0]!.n;
  db.close();
  const perCase: { name: string; expect: (number | string)[]; statuses: Record<string, number>; unexpected: number }[] = [];
  const all: Sent[] = [];
  for (const c of CASES) {
    const sent: Sent[] = [];
    for (let i = 0; i < repeat; i++) {
      const r = await c.make();
      const a = await postRaw(rig.server.url, r.path, r.body, r.headers);
      const shot: Shot = { platform: "feishu", path: r.path, body: "", headers: r.headers, messageId: `bad-${c.name}-${i}`, cardKey: "" };
      sent.push({ shot, sentAt: 0, status: a.status, error: a.error });
    }
    const statuses = countStatuses(sent);
    perCase.push({ name: c.name, expect: c.expect, statuses, unexpected: sent.filter((s) => !c.expect.includes(s.status ?? s.error ?? "no answer")).length });
    all.push(...sent);
  }
  // Give the accepted-but-invalid ones (the 100 k text) time to be processed.
  await new Promise((r) => setTimeout(r, 1500));
  const db2 = rig.db();
  const after = db2.counts();
  const inboundAfter = db2.all<{ n: number }>(`SELECT COUNT(*) AS n FROM "InboundEvent"`)[0]!.n;
  const longIdTickets = db2.all<{ n: number }>(`SELECT COUNT(*) AS n FROM "Ticket" WHERE length(chatId) > 1000`)[0]!.n;
  db2.close();
  const validTickets = repeat * CASES.filter((c) => c.valid).length;
  return { perCase, all, ticketsCreated: after.tickets - before.tickets, validTickets, longIdTickets, inboundStored: inboundAfter - inboundBefore, inboundFailed: after.inboundFailed - before.inboundFailed };
}

export const badInput: Bench = {
  name: "bad-input",
  description: "duplicate storms; malformed, oversized and badly signed bodies",
  async run(ctx: BenchContext): Promise<BenchResult> {
    const unique = ctx.quick ? 40 : 100;
    const repeat = ctx.quick ? 3 : 6;
    const rig = await startRig(ctx.workDir, "bad-input");
    try {
      ctx.log(`duplicate storm: ${unique} events × 5 deliveries`);
      const dup = await duplicateStorm(rig, unique);
      ctx.log(`malformed bodies: ${CASES.length} kinds × ${repeat}`);
      const bad = await malformed(rig, repeat);
      const fivexx = bad.all.filter((s) => (s.status ?? 0) >= 500).length;
      const wrong = bad.perCase.filter((c) => c.unexpected > 0);
      const rows: Row[] = [
        {
          kind: "faults",
          cells: outcomeCells(
            `Duplicate storm: ${unique} events × 5 deliveries (4 concurrent, 1 late)`,
            dup.out,
            dup.out.settledMs !== undefined ? `all in ${secs(dup.out.settledMs)}` : "no",
            `${int(dup.requests)} requests: ${statusNote(dup.statuses)}`,
          ),
        },
        {
          kind: "faults",
          cells: [
            `Malformed / oversized / badly signed bodies (${CASES.length} kinds × ${repeat})`,
            int(bad.all.length),
            int(bad.all.filter(acked).length),
            int(bad.ticketsCreated),
            "0",
            "—",
            "—",
            "—",
            "—",
            `${statusNote(countStatuses(bad.all))}; ${fivexx} × 5xx; ${wrong.length ? `${wrong.length} kinds answered unexpectedly` : "every kind answered as expected"}; ${bad.inboundStored} stored as inbound events (accepted bodies, judged when processed); tickets: ${bad.validTickets} expected, from the valid 100 k-character messages (text cut)`,
          ],
        },
      ];
      const findings = wrong.map((c) => `bad-input: "${c.name}" expected HTTP ${c.expect.join("/")}, got ${statusNote(c.statuses)}`);
      if (fivexx) findings.push(`bad-input: ${fivexx} malformed requests were answered 5xx`);
      const extra = bad.ticketsCreated - bad.validTickets;
      if (extra > 0)
        findings.push(
          `bad-input: malformed input created ${extra} ticket(s)${bad.longIdTickets ? `, ${bad.longIdTickets} of them from the 10 000-character conversationId (stored as Ticket.chatId and used as the reply target): src/adapter/dingtalk/parse.ts bounds no id length; refusing ids over a few hundred characters would keep such rows out` : ""}`,
        );
      if (extra < 0) findings.push(`bad-input: the valid large messages became ${bad.ticketsCreated} of ${bad.validTickets} tickets`);
      if (dup.out.dupTickets) findings.push(`bad-input: duplicate deliveries created ${dup.out.dupTickets} extra tickets`);
      return {
        rows,
        findings,
        details: [
          ...bad.perCase.map((c) => `bad-input: ${c.name} → ${statusNote(c.statuses)} (expected ${c.expect.join("/")})`),
          `bad-input: server log errors ${serverErrors(rig)}; inbound failed ${bad.inboundFailed}`,
        ],
        data: { duplicates: dup, malformed: { ...bad, all: undefined } },
      };
    } finally {
      await rig.close();
    }
  },
};
