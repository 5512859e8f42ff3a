// Console sessions as an attacker would probe them, over HTTP against the real server and database:
// a cookie minted with a key derived from the admin token, a cookie copied before logout, a person
// removed from the workflow file, several instances on one database, and Secure cookies behind https.
import { afterEach, describe, expect, it } from "vitest";
import { submitFeedback } from "../../src/app/tickets/submit.js";
import { hmacSigner } from "../../src/console/crypto.js";
import { signedCodec } from "../../src/console/session.js";
import { SESSION_CACHE_MS, SESSION_KEY_NAME } from "../../src/console/state.js";
import { startFakeFeishu, type FakeFeishuServer } from "../fakes/feishu-server.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { ADMIN_TOKEN, Client, consoleConfig, hiddenValue, NOW, people, reporter } from "./support.js";

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

const clock = { now: NOW };

/** A console server on `dir` (a fresh one when omitted), Feishu sign-in against `feishu`, no session secret. */
async function server(feishu: FakeFeishuServer, o: { dir?: string; env?: Record<string, string>; config?: unknown } = {}): Promise<TestServer> {
  const s = await startTestServer({
    dir: o.dir,
    config: o.config ?? consoleConfig,
    now: () => clock.now,
    env: {
      CHATDESK_ADMIN_TOKEN: ADMIN_TOKEN,
      FEISHU_APP_ID: "cli_sessions",
      FEISHU_APP_SECRET: "feishu-sessions-secret",
      FEISHU_VERIFICATION_TOKEN: "vt",
      FEISHU_DOMAIN: feishu.url,
      ...o.env,
    },
  });
  opened.push(s);
  await s.idle(); // start-up sweeps
  return s;
}

async function fakeFeishu(): Promise<FakeFeishuServer> {
  const f = await startFakeFeishu();
  opened.push(f);
  return f;
}

async function signIn(s: TestServer, feishu: FakeFeishuServer, who: { openId: string; name: string }): Promise<Client> {
  const c = new Client(s.url);
  feishu.oauth.signInAs({ openId: who.openId, name: who.name });
  let res = await c.fetch("/console/auth/feishu");
  for (let i = 0; i < 4 && res.status >= 300 && res.status < 400; i++) res = await c.fetch(new URL(res.headers.get("location")!, s.url).toString());
  if (res.status !== 200) throw new Error(`sign-in as ${who.name}: ${res.status}`);
  return c;
}

/** The same cookie in another browser (a copied or stolen one). */
function copyOf(c: Client, base = c.base): Client {
  const other = new Client(base);
  other.cookies.set("cd_session", c.cookies.get("cd_session")!);
  return other;
}

const status = async (c: Client, p = "/console/tickets") => (await c.get(p)).status;

describe("the session key", () => {
  it("is never derived from the admin token: a cookie minted with the old derivation is no session, for a person or as admin", async () => {
    const feishu = await fakeFeishu();
    const s = await server(feishu);
    const t = await submitFeedback(s.ctx, { text: "系统报错无法登录", reporter, platform: "feishu", chatId: "oc_tech", messageId: "om_forge" });

    // What a holder of the "read-only" admin token could compute before: HMAC(admin token, "chatdesk:console-session").
    const derived = await hmacSigner(ADMIN_TOKEN).sign("chatdesk:console-session");
    const forge = signedCodec(hmacSigner(derived), "session", (v): v is Record<string, unknown> & { exp: number } => true);
    const exp = clock.now.getTime() + 3_600_000;
    const sid = "a".repeat(43);
    for (const claim of [
      { sid, exp, personId: "zhao", name: "赵总", via: "feishu", admin: false },
      { sid, exp, personId: "zhao", name: "赵总", via: "admin", admin: true },
      { sid, exp },
    ]) {
      const attacker = new Client(s.url);
      attacker.cookies.set("cd_session", await forge.encode(claim));
      expect(await status(attacker), JSON.stringify(claim)).toBe(401);
      const res = await attacker.post(`/console/tickets/${t.number}/actions/claim`, { v: "1" }, { "x-csrf-token": "x" });
      expect(res.status).toBe(401);
    }
    expect((await s.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).version).toBe(1);

    // The key is random, kept in the database, and is not the derivable one.
    const row = await s.db.serverSecret.findUniqueOrThrow({ where: { name: SESSION_KEY_NAME } });
    expect(row.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(row.value).not.toBe(derived);
  });

  it("survives a restart and is shared by every instance on the database", async () => {
    const feishu = await fakeFeishu();
    const a = await server(feishu);
    const c = await signIn(a, feishu, people.wang);
    const key = (await a.db.serverSecret.findUniqueOrThrow({ where: { name: SESSION_KEY_NAME } })).value;

    const b = await server(feishu, { dir: a.dir }); // a second instance, same database
    expect(await status(copyOf(c, b.url))).toBe(200);
    await a.close();
    opened.splice(opened.indexOf(a), 1);
    const restarted = await server(feishu, { dir: a.dir });
    expect(await status(copyOf(c, restarted.url))).toBe(200);
    expect(await restarted.db.serverSecret.findMany()).toEqual([expect.objectContaining({ name: SESSION_KEY_NAME, value: key })]);
  });

  it("CHATDESK_SESSION_SECRET, when set, is the key and nothing is stored", async () => {
    const feishu = await fakeFeishu();
    const s = await server(feishu, { env: { CHATDESK_SESSION_SECRET: "s".repeat(40) } });
    const c = await signIn(s, feishu, people.wang);
    expect(await status(c)).toBe(200);
    expect(await s.db.serverSecret.count()).toBe(0);
  });
});

describe("server-side sessions", () => {
  it("logout ends the session: a cookie copied before it is refused afterwards", async () => {
    const feishu = await fakeFeishu();
    const s = await server(feishu);
    const c = await signIn(s, feishu, people.wang);
    const thief = copyOf(c);
    expect(await status(thief)).toBe(200);

    const csrf = hiddenValue(await (await c.get("/console/tickets")).text(), "_csrf")!;
    expect((await c.post("/console/logout", { _csrf: csrf })).status).toBe(303);
    expect(await status(c)).toBe(401);
    expect(await status(thief)).toBe(401);
    expect(await s.db.consoleSession.findMany()).toEqual([expect.objectContaining({ personId: "wang", via: "feishu", revokedWhy: "logout", revokedAt: expect.any(Date) })]);
  });

  it("the database keeps a hash of the session id, never the id the cookie carries", async () => {
    const feishu = await fakeFeishu();
    const s = await server(feishu);
    const c = await signIn(s, feishu, people.zhao);
    const sid = JSON.parse(Buffer.from(c.cookies.get("cd_session")!.split(".")[0]!, "base64url").toString()) as { sid: string };
    expect(Object.keys(sid).sort()).toEqual(["exp", "sid"]); // nothing about who
    const [row] = await s.db.consoleSession.findMany();
    expect(row!.id).not.toContain(sid.sid);
    expect(row).toMatchObject({ personId: "zhao", name: "赵总", admin: false });
  });

  it("a logout on one instance ends the session on the others within the short cache", async () => {
    const feishu = await fakeFeishu();
    const a = await server(feishu);
    const b = await server(feishu, { dir: a.dir });
    const c = await signIn(a, feishu, people.wang);
    const onB = copyOf(c, b.url);
    expect(await status(onB)).toBe(200); // B has looked it up (and caches it briefly)

    const csrf = hiddenValue(await (await c.get("/console/tickets")).text(), "_csrf")!;
    await c.post("/console/logout", { _csrf: csrf });
    clock.now = new Date(NOW.getTime() + SESSION_CACHE_MS + 1);
    try {
      expect(await status(onB)).toBe(401);
    } finally {
      clock.now = NOW;
    }
  });

  it("a person removed from the workflow file loses their sessions at the next start, for good", async () => {
    const feishu = await fakeFeishu();
    const first = await server(feishu);
    const wang = await signIn(first, feishu, people.wang);
    const zhang = await signIn(first, feishu, people.zhang);
    const dir = first.dir;
    await first.close();
    opened.splice(opened.indexOf(first), 1);

    const without = { ...consoleConfig, people: consoleConfig.people.filter((p) => p.id !== "wang"), departments: consoleConfig.departments.map((d) => ({ ...d, leads: d.leads.filter((x) => x !== "wang"), handlers: d.handlers.filter((x) => x !== "wang") })) };
    const second = await server(feishu, { dir, config: without });
    const rows = await second.db.consoleSession.findMany({ orderBy: { personId: "asc" } });
    expect(rows.map((r) => [r.personId, r.revokedWhy])).toEqual([
      ["wang", "removed from the workflow file"],
      ["zhang", null],
    ]);
    expect(second.logs.some((l) => l.msg === "console sessions revoked" && l.revoked === 1)).toBe(true);
    expect(await status(copyOf(wang, second.url))).toBe(401);
    expect(await status(copyOf(zhang, second.url))).toBe(200);
    await second.close();
    opened.splice(opened.indexOf(second), 1);

    // Added back: the old session stays ended; signing in again works.
    const third = await server(feishu, { dir });
    expect(await status(copyOf(wang, third.url))).toBe(401);
    expect(await status(await signIn(third, feishu, people.wang))).toBe(200);
  });
});

describe("Secure cookies", () => {
  const setCookies = async (s: TestServer, headers: Record<string, string> = {}) => (await fetch(`${s.url}/console/login`, { headers })).headers.getSetCookie();
  const secure = (cookies: string[]) => cookies.map((c) => /;\s*Secure/i.test(c));

  it("are Secure when PUBLIC_URL is https", async () => {
    const s = await server(await fakeFeishu(), { env: { PUBLIC_URL: "https://desk.example.com" } });
    expect(secure(await setCookies(s))).toEqual([true]);
  });

  it("are Secure when a configured trusted proxy says the request came over https, and only then", async () => {
    const feishu = await fakeFeishu();
    const proxied = await server(feishu, { env: { CHATDESK_TRUSTED_PROXIES: "127.0.0.1, ::1" } });
    expect(secure(await setCookies(proxied, { "x-forwarded-proto": "https" }))).toEqual([true]);
    expect(secure(await setCookies(proxied, { "x-forwarded-proto": "http" }))).toEqual([false]);
    expect(secure(await setCookies(proxied))).toEqual([false]);

    // The same header from a peer that is not a configured proxy is anyone's say-so: ignored.
    const direct = await server(feishu, { env: { CHATDESK_TRUSTED_PROXIES: "10.0.0.0/8" } });
    expect(secure(await setCookies(direct, { "x-forwarded-proto": "https" }))).toEqual([false]);
  });

  it("the session cookie and its deletion at logout carry Secure too", async () => {
    const feishu = await fakeFeishu();
    const s = await server(feishu, { env: { CHATDESK_TRUSTED_PROXIES: "127.0.0.1" } });
    const c = new Client(s.url, { "x-forwarded-proto": "https" });
    feishu.oauth.signInAs({ openId: people.wang.openId, name: people.wang.name });
    let res = await c.fetch("/console/auth/feishu");
    const seen: string[] = [...res.headers.getSetCookie()];
    for (let i = 0; i < 4 && res.status >= 300 && res.status < 400; i++) {
      res = await c.fetch(new URL(res.headers.get("location")!, s.url).toString());
      if (res.url.startsWith(s.url)) seen.push(...res.headers.getSetCookie());
    }
    const csrf = hiddenValue(await res.text(), "_csrf")!;
    seen.push(...(await c.post("/console/logout", { _csrf: csrf })).headers.getSetCookie());
    const session = seen.filter((x) => x.startsWith("cd_session="));
    expect(session).toHaveLength(2); // set at sign-in, cleared at logout
    expect(secure(seen)).toEqual(seen.map(() => true));
  });
});
