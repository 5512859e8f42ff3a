// Random payloads at every webhook (fast-check): signed and, for Feishu, encrypted, so they get past
// authentication into the parsers and the use cases. The server must never answer 5xx or die, and
// nothing it stores may be garbage (checked row by row afterwards).
import path from "node:path";
import fc from "fast-check";
import { encryptFeishu, signature } from "../src/adapter/feishu/crypto.js";
import { defaultWorkflow } from "../src/config/defaults.js";
import { cardCallback, robotGroupText, signedCardRequest, signedRobotRequest } from "../test/support/dingtalk-events.js";
import { BOT_OPEN_ID, cardActionEvent, messageEvent, TEST_SECRETS } from "../test/support/feishu-events.js";
import { startRig, statusNote, type Rig } from "./faults/common.js";
import { postRaw } from "./lib/raw-http.js";
import { BENCH_CONFIG, DINGTALK_SECRET } from "./lib/platforms.js";
import { logErrors } from "./lib/proc.js";
import type { Bench, BenchContext, BenchResult, Row } from "./lib/result.js";
import { int, sleep, waitFor } from "./lib/stats.js";

type Json = unknown;
type Path = (string | number)[];

/** Every key path of an object tree (where a mutation may land). */
function pathsOf(v: Json, prefix: Path = []): Path[] {
  if (v === null || typeof v !== "object") return [prefix];
  const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v as Record<string, Json>);
  return [prefix, ...entries.flatMap(([k, x]) => pathsOf(x, [...prefix, k]))];
}

interface Mutation {
  path: Path;
  op: "set" | "delete";
  value: Json;
}

function mutate(base: Json, ms: Mutation[]): Json {
  let root = structuredClone(base);
  for (const m of ms) {
    if (m.path.length === 0) {
      root = m.value;
      continue;
    }
    let node = root as Record<string | number, Json>;
    for (const k of m.path.slice(0, -1)) {
      if (node === null || typeof node !== "object") break;
      node = node[k] as Record<string | number, Json>;
    }
    if (node === null || typeof node !== "object") continue;
    const last = m.path[m.path.length - 1]!;
    if (m.op === "delete") delete node[last];
    else node[last] = m.value;
  }
  return root;
}

const leaf: fc.Arbitrary<Json> = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 100 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(""),
  fc.string({ maxLength: 8 }).map((s) => s.repeat(3000)),
  fc.jsonValue({ maxDepth: 2 }),
  // Strings that look like what the fields hold: JSON in a string, commands, ticket numbers.
  fc.jsonValue({ maxDepth: 2 }).map((x) => JSON.stringify(x)),
  fc.record({ text: fc.string({ unit: "grapheme" }) }).map((x) => JSON.stringify(x)),
  fc.constantFrom("/help", "/list", "/find 登录", "/claim FB20240521001", "#FB20240521001 进展", "/stats", "/new", "@_user_1", "@_all"),
);

/** A payload for one endpoint: a mutated real event (mostly), any JSON, or not JSON at all. */
function payloads(sample: Json): fc.Arbitrary<{ kind: "mutated"; mutations: Mutation[] } | { kind: "json"; value: Json } | { kind: "text"; value: string }> {
  const paths = pathsOf(sample);
  const mutation = fc.record({ path: fc.constantFrom(...paths), op: fc.constantFrom<"set" | "delete">("set", "set", "delete"), value: leaf });
  return fc.oneof(
    { weight: 7, arbitrary: fc.record({ kind: fc.constant("mutated" as const), mutations: fc.array(mutation, { minLength: 0, maxLength: 4 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("json" as const), value: fc.jsonValue({ maxDepth: 4 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("text" as const), value: fc.string({ unit: "binary" }) }) },
  );
}

interface Target {
  name: string;
  path: string;
  /** A fresh valid event (fresh ids, so accepted ones are processed, not deduplicated). */
  base(): Json;
  request(body: string): Promise<Record<string, string>>;
  /** Feishu wraps the JSON in {encrypt}. */
  encrypt?: boolean;
}

async function feishuHeaders(body: string): Promise<Record<string, string>> {
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e10));
  return { "content-type": "application/json", "x-lark-request-timestamp": ts, "x-lark-request-nonce": nonce, "x-lark-signature": await signature(ts, nonce, TEST_SECRETS.encryptKey, body) };
}

const targets = (rig: Rig): Target[] => [
  {
    name: "Feishu /events",
    path: "/webhooks/feishu/events",
    encrypt: true,
    base: () => messageEvent({ chatId: `oc_fuzz_${Math.random().toString(36).slice(2)}`, text: "@_user_1 客户反馈系统报错无法登录", mentions: [{ key: "@_user_1", openId: BOT_OPEN_ID, name: "ChatDesk" }] }),
    request: feishuHeaders,
  },
  {
    name: "Feishu /cards",
    path: "/webhooks/feishu/cards",
    encrypt: true,
    base: () => cardActionEvent({ operatorId: "ou_handler_zhang", value: { action: "claim", ticket: "FB20240521001" } }),
    request: feishuHeaders,
  },
  {
    name: "DingTalk /robot",
    path: "/webhooks/dingtalk/robot",
    // The session webhook points at the fake (DingTalk's real host is unreachable from here).
    base: () => robotGroupText({ conversationId: `cidFuzz${Math.random().toString(36).slice(2)}==`, text: "客户反馈：系统报错无法登录", sessionWebhook: rig.fakes.dingtalk.sessionWebhookUrl(), sessionWebhookExpiredTime: Date.now() + 7_200_000 }),
    request: async (body) => (await signedRobotRequest(body, DINGTALK_SECRET)).headers,
  },
  {
    name: "DingTalk /cards",
    path: "/webhooks/dingtalk/cards",
    base: () => cardCallback({ outTrackId: "chatdesk-00000000-0000-0000-0000-000000000000", value: { action: "claim", ticket: "FB20240521001" } }),
    request: async () => (await signedCardRequest({}, DINGTALK_SECRET)).headers,
  },
];

interface TargetRun {
  name: string;
  runs: number;
  statuses: Record<string, number>;
  fiveXx: number;
  failed: boolean;
  counterexample?: string;
  seed: number;
}

async function fuzzTarget(rig: Rig, t: Target, numRuns: number): Promise<TargetRun> {
  const statuses: Record<string, number> = {};
  let runs = 0;
  let fiveXx = 0;
  const seed = Date.now() % 2 ** 31;
  const prop = fc.asyncProperty(payloads(t.base()), async (p) => {
    const json = p.kind === "mutated" ? JSON.stringify(mutate(t.base(), p.mutations) ?? null) : p.kind === "json" ? JSON.stringify(p.value) : p.value;
    const body = t.encrypt && p.kind !== "text" ? JSON.stringify({ encrypt: await encryptFeishu(json, TEST_SECRETS.encryptKey) }) : json;
    const a = await postRaw(rig.server.url, t.path, body, await t.request(body), 20_000);
    runs++;
    const k = a.status !== undefined ? String(a.status) : (a.error ?? "no answer");
    statuses[k] = (statuses[k] ?? 0) + 1;
    if (a.status === undefined || a.status >= 500) fiveXx++;
    return a.status !== undefined && a.status < 500 && !rig.server.exited();
  });
  const r = await fc.check(prop, { numRuns, seed });
  return {
    name: t.name,
    runs,
    statuses,
    fiveXx,
    failed: r.failed,
    counterexample: r.failed ? JSON.stringify(r.counterexample).slice(0, 600) : undefined,
    seed,
  };
}

const STATUSES = ["open", "in_progress", "resolved", "closed", "rejected", "merged"];
const PRIORITIES = ["urgent", "high", "medium", "low"];

/** Rows that break what the model promises: the "garbage" a parser let through. */
function garbage(rig: Rig): { check: string; rows: number; example?: string }[] {
  const db = rig.db();
  const categories = JSON.stringify(defaultWorkflow.categories.map((c) => c.id));
  const departments = JSON.stringify(BENCH_CONFIG.departments.map((d) => d.id));
  const checks: [string, string][] = [
    ["ticket with empty title or description", `SELECT number AS x FROM "Ticket" WHERE trim(title) = '' OR trim(description) = ''`],
    ["ticket with a status outside the model", `SELECT number AS x FROM "Ticket" WHERE status NOT IN (SELECT value FROM json_each('${JSON.stringify(STATUSES)}'))`],
    ["ticket with a priority outside the model", `SELECT number AS x FROM "Ticket" WHERE priority NOT IN (SELECT value FROM json_each('${JSON.stringify(PRIORITIES)}'))`],
    ["ticket with an unknown category", `SELECT number AS x FROM "Ticket" WHERE category NOT IN (SELECT value FROM json_each('${categories}'))`],
    ["ticket with an unknown department", `SELECT number AS x FROM "Ticket" WHERE department NOT IN (SELECT value FROM json_each('${departments}'))`],
    ["ticket with a bad number", `SELECT number AS x FROM "Ticket" WHERE number NOT GLOB 'FB[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]*'`],
    ["ticket with an unreadable time", `SELECT number AS x FROM "Ticket" WHERE julianday(receivedAt) IS NULL OR julianday(responseDueAt) IS NULL OR julianday(resolutionDueAt) IS NULL OR responseDueAt < receivedAt`],
    ["ticket with an empty reporter or chat", `SELECT number AS x FROM "Ticket" WHERE trim(reporterId) = '' OR (platform != 'web' AND (chatId IS NULL OR trim(chatId) = ''))`],
    ["ticket with a description over 20 000 characters", `SELECT number AS x FROM "Ticket" WHERE length(description) > 20000`],
    // Platform ids are tens of characters; kilobytes of "id" is input nobody validated.
    [
      "ticket with an id field over 512 characters",
      `SELECT number || ' (' || length(chatId) || '/' || length(messageId) || '/' || length(reporterId) || ' chars in chatId/messageId/reporterId)' AS x FROM "Ticket" WHERE length(chatId) > 512 OR length(messageId) > 512 OR length(reporterId) > 512 OR length(coalesce(reporterName, '')) > 512`,
    ],
    ["timeline event with invalid JSON", `SELECT id AS x FROM "TicketEvent" WHERE json_valid(payload) = 0`],
    ["inbound event with invalid JSON", `SELECT id AS x FROM "InboundEvent" WHERE json_valid(payload) = 0`],
    ["inbound event that failed processing", `SELECT id || ': ' || coalesce(lastError, '') AS x FROM "InboundEvent" WHERE status = 'failed' OR (status = 'pending' AND lastError IS NOT NULL)`],
    ["outbox message with invalid JSON", `SELECT id AS x FROM "OutboundMessage" WHERE json_valid(payload) = 0`],
    ["outbox message dead", `SELECT id || ': ' || coalesce(lastError, '') AS x FROM "OutboundMessage" WHERE status = 'dead'`],
    ["attachment with an empty file key", `SELECT id AS x FROM "Attachment" WHERE trim(fileKey) = ''`],
  ];
  try {
    return checks.map(([check, sql]) => {
      const rows = db.all<{ x: string }>(sql);
      return { check, rows: rows.length, example: rows[0]?.x !== undefined ? String(rows[0].x).slice(0, 200) : undefined };
    });
  } finally {
    db.close();
  }
}

export const fuzz: Bench = {
  name: "fuzz",
  description: "fast-check random payloads at every webhook: no 5xx, no stored garbage",
  async run(ctx: BenchContext): Promise<BenchResult> {
    const numRuns = ctx.quick ? 60 : 150;
    const rig = await startRig(ctx.workDir, "fuzz");
    try {
      const before = rig.db();
      const ticketsBefore = before.counts().tickets;
      before.close();
      const runs: TargetRun[] = [];
      for (const t of targets(rig)) {
        ctx.log(`${t.name}: ${numRuns} runs`);
        runs.push(await fuzzTarget(rig, t, numRuns));
      }
      // Let what was accepted be processed and delivered before judging what was stored.
      const db = rig.db();
      await waitFor(() => {
        const c = db.counts();
        return c.inboundPending === 0 && c.outboxPending === 0;
      }, 30_000, 250);
      const after = db.counts();
      db.close();
      await sleep(200);
      const bad = garbage(rig).filter((g) => g.rows > 0);
      const alive = !rig.server.exited();
      const unhandled = logErrors(rig.server.logFile).filter((l) => l.msg === "unhandled error");
      const rows: Row[] = runs.map((r) => ({
        kind: "faults",
        cells: [
          `Fuzz (fast-check) ${r.name}, seed ${r.seed}`,
          int(r.runs),
          int((r.statuses["200"] ?? 0) + (r.statuses["201"] ?? 0)),
          "—",
          "—",
          "—",
          "—",
          "—",
          "—",
          `${statusNote(r.statuses)}; ${r.fiveXx} × 5xx${r.failed ? " (FAILED)" : ""}`,
        ],
      }));
      rows.push({
        kind: "faults",
        cells: [
          "Fuzz: what the server stored",
          int(runs.reduce((n, r) => n + r.runs, 0)),
          "—",
          int(after.tickets - ticketsBefore),
          "—",
          "—",
          "—",
          "—",
          "—",
          `${bad.length ? `garbage: ${bad.map((g) => `${g.rows} ${g.check}`).join("; ")}` : "no garbage rows (16 checks)"}; server ${alive ? "alive" : "DEAD"}; ${unhandled.length} unhandled errors logged; outbox dead ${after.outboxDead}`,
        ],
      });
      const findings: string[] = [
        ...runs.filter((r) => r.failed).map((r) => `fuzz: ${r.name} answered 5xx or died (seed ${r.seed}); smallest counterexample: ${r.counterexample}`),
        ...bad.map((g) => `fuzz: stored garbage — ${g.rows} × ${g.check} (e.g. ${g.example})`),
        ...(alive ? [] : ["fuzz: the server process died during the fuzz run"]),
      ];
      return {
        rows,
        findings,
        details: [`fuzz: ${unhandled.length} unhandled errors in the server log${unhandled.length ? `, first: ${JSON.stringify(unhandled[0]).slice(0, 400)}` : ""}; end ${JSON.stringify(after)}`],
        data: { runs, garbage: garbage(rig), after, unhandled: unhandled.slice(0, 20), logFile: path.basename(rig.server.logFile) },
      };
    } finally {
      await rig.close();
    }
  },
};
