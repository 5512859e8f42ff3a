// The real server wired to the fake Feishu open platform, plus what Feishu integration tests keep
// asking: post a signed (and encrypted) event, click a button the way the client would, and read the
// cards the fake received.
import { startFakeFeishu, type FakeFeishuServer } from "../fakes/feishu-server.js";
import { checkFeishuCard } from "./feishu-card-rules.js";
import { feishuMarkdownVisible } from "./visible-text.js";
import { APP_ID, cardActionEvent, post, TEST_SECRETS, type CardActionSpec, type Posted, type SignOptions } from "./feishu-events.js";
import { startTestServer, teamConfig, type TestServer, type TestServerOptions } from "./server.js";

export type Json = Record<string, unknown>;

export interface FeishuStack {
  s: TestServer;
  fake: FakeFeishuServer;
  env: Record<string, string>;
  /** POST a prepared request to /webhooks/feishu/<path>. */
  send(path: "events" | "cards", req: Posted): Promise<{ status: number; body: Json }>;
  /** Encrypt, sign and POST an event envelope to /events. */
  deliver(payload: unknown, o?: SignOptions): Promise<{ status: number; body: Json }>;
  /** A card.action.trigger callback to /cards. */
  click(spec: CardActionSpec): Promise<{ status: number; body: Json }>;
  close(): Promise<void>;
}

export function feishuEnv(fakeUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    FEISHU_APP_ID: APP_ID,
    FEISHU_APP_SECRET: "test-app-secret",
    FEISHU_VERIFICATION_TOKEN: TEST_SECRETS.verificationToken,
    FEISHU_ENCRYPT_KEY: TEST_SECRETS.encryptKey,
    FEISHU_DOMAIN: fakeUrl,
    ...extra,
  };
}

export async function startFeishuStack(opts: TestServerOptions & { env?: Record<string, string> } = {}): Promise<FeishuStack> {
  const fake = await startFakeFeishu();
  const env = feishuEnv(fake.url, opts.env);
  const s = await startTestServer({ config: teamConfig, ...opts, env });
  await s.idle(); // the start-up recovery sweep
  const send = async (path: "events" | "cards", req: Posted) => {
    const res = await fetch(`${s.url}/webhooks/feishu/${path}`, { method: "POST", body: req.body, headers: req.headers });
    return { status: res.status, body: (await res.json()) as Json };
  };
  return {
    s,
    fake,
    env,
    send,
    deliver: async (payload, o) => send("events", await post(payload, o)),
    click: async (spec) => send("cards", await post(cardActionEvent(spec))),
    async close() {
      await s.close();
      await fake.close();
    },
  };
}

// ── reading cards ────────────────────────────────────────────────────────────

function walk(node: unknown, visit: (el: Json) => void): void {
  if (Array.isArray(node)) return node.forEach((n) => walk(n, visit));
  if (typeof node !== "object" || node === null) return;
  const el = node as Json;
  if (typeof el.tag === "string") visit(el);
  for (const k of ["elements", "columns"]) if (k in el) walk(el[k], visit);
  if ("body" in el) walk((el.body as Json).elements, visit);
}

/** Every interactive component's callback value (buttons, selects, form submit buttons), in order. */
export function callbackValues(card: Json): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  walk(card, (el) => {
    for (const b of (el.behaviors as Json[] | undefined) ?? []) if (b.type === "callback") out.push(b.value as Record<string, string>);
  });
  return out;
}

/** The actions a card offers, e.g. ["claim", "priority", "reassign", "reject"]. */
export const actionsOf = (card: Json): string[] => callbackValues(card).map((v) => v.action!);

/** The callback value of the component for `action`: what the client posts back when it is used. */
export function valueFor(card: Json, action: string): Record<string, string> {
  const v = callbackValues(card).find((x) => x.action === action);
  if (!v) throw new Error(`the card offers no "${action}" (it offers ${actionsOf(card).join(", ")})`);
  return v;
}

/** Form names on the card, e.g. ["progress_form", "resolve_form"]. */
export function formsOf(card: Json): string[] {
  const out: string[] = [];
  walk(card, (el) => {
    if (el.tag === "form") out.push(String(el.name));
  });
  return out;
}

/** The first header tag: the status text (待处理 / 处理中 / 待确认 / 已关闭 …). */
export const statusOf = (card: Json): string => {
  const tags = ((card.header as Json).text_tag_list as Json[] | undefined) ?? [];
  return String((tags[0]?.text as Json | undefined)?.content ?? "");
};

/** All markdown text on the card as a person reads it (entities decoded, see visible-text.ts), joined. */
export function textOf(card: Json): string {
  const parts: string[] = [];
  walk(card, (el) => {
    if (el.tag === "markdown") parts.push(feishuMarkdownVisible(String(el.content)));
  });
  return parts.join("\n");
}

/** Fails with the card's violations of Feishu's 2.0 rules. */
export function expectValidCard(card: unknown): Json {
  const v = checkFeishuCard(card);
  if (v.length) throw new Error(`card breaks Feishu rules:\n${v.join("\n")}`);
  return card as Json;
}

/** The card carried by a callback response ({toast, card: {type: "raw", data}}). */
export function responseCard(body: Json): Json {
  const c = body.card as Json | undefined;
  if (!c || c.type !== "raw") throw new Error(`the callback response has no raw card: ${JSON.stringify(body).slice(0, 200)}`);
  return expectValidCard(c.data);
}

/** Poll until `cond` holds (no fixed sleeps); fails after the deadline. */
export async function eventually(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
