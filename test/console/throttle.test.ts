// Sign-in throttling over HTTP against the real server: guessing the admin token, or hammering the
// OAuth callbacks, ends in 429 + Retry-After for a growing window — per client address and per
// account, counted in the database, with the client address taken from a trusted proxy only.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACCOUNT_POLICY, ADDRESS_POLICY } from "../../src/console/throttle.js";
import { startTestServer } from "../support/server.js";
import { ADMIN_TOKEN, Client, consoleConfig, hiddenValue, NOW, people, startConsoleWorld, type ConsoleWorld } from "./support.js";

let w: ConsoleWorld;
beforeAll(async () => {
  // The test talks to the server from 127.0.0.1; as a trusted proxy it may name other clients.
  w = await startConsoleWorld({ CHATDESK_TRUSTED_PROXIES: "127.0.0.1" });
}, 60_000);
afterAll(() => w?.close());

let next = 0;
beforeEach(async () => {
  await w.server.db.signInThrottle.deleteMany();
  w.clock.now = NOW;
});

/** A browser at its own address (X-Forwarded-For from the trusted proxy). */
const browser = (address = `203.0.113.${++next}`) => new Client(w.url, { "x-forwarded-for": address });

async function tryToken(c: Client, token: string): Promise<Response> {
  const page = await (await c.get("/console/login")).text();
  return c.post("/console/login", { _csrf: hiddenValue(page, "_csrf")!, token, next: "/console/tickets" });
}

const later = (ms: number) => (w.clock.now = new Date(w.clock.now.getTime() + ms));
const logged = (msg: string) => w.server.logs.filter((l) => l.msg === msg);

describe("admin token", () => {
  it("after a handful of wrong tokens even the right one gets 429 with Retry-After, from any address, until the window ends", async () => {
    const guesser = browser();
    for (let i = 0; i < ACCOUNT_POLICY.free; i++) expect((await tryToken(guesser, `wrong-token-guess-${i}`)).status).toBe(401);

    const locked = await tryToken(guesser, ADMIN_TOKEN);
    expect(locked.status).toBe(429);
    expect(locked.headers.get("retry-after")).toBe("60");
    expect(await locked.text()).toContain("登录失败次数过多，请 1 分钟后再试。");
    expect(guesser.cookies.has("cd_session")).toBe(false);
    // The account is locked, not only the address: the real admin elsewhere waits too.
    expect((await tryToken(browser(), ADMIN_TOKEN)).status).toBe(429);
    expect(logged("console sign-in throttled").at(-1)).toMatchObject({ level: "warn", account: "admin", retryAfter: 60 });
    expect(logged("console sign-in locked").at(-1)).toMatchObject({ level: "warn", account: "admin", byAccount: true });

    later(61_000);
    const ok = await tryToken(browser(), ADMIN_TOKEN);
    expect(ok.status).toBe(303);
  });

  it("the window grows with every failure after the free ones", async () => {
    const guesser = browser();
    for (let i = 0; i < ACCOUNT_POLICY.free; i++) await tryToken(guesser, `wrong-${i}`);
    const windows: string[] = [];
    for (let round = 0; round < 3; round++) {
      const res = await tryToken(guesser, "wrong-again");
      windows.push(res.headers.get("retry-after")!);
      expect(res.status).toBe(429);
      later(Number(windows.at(-1)) * 1000 + 1);
      expect((await tryToken(guesser, "wrong-after-wait")).status).toBe(401); // answered again, and counted
    }
    expect(windows).toEqual(["60", "120", "240"]);
    expect((await tryToken(guesser, ADMIN_TOKEN)).headers.get("retry-after")).toBe("480");
  });

  it("50 guesses in a row, the right token last: all but the first few are refused unchecked", async () => {
    const guesser = browser();
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await tryToken(guesser, i === 49 ? ADMIN_TOKEN : `guess-${i}`)).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(ACCOUNT_POLICY.free);
    expect(statuses.slice(ACCOUNT_POLICY.free).every((s) => s === 429)).toBe(true);
  }, 60_000);

  it("a success clears the account's count", async () => {
    const admin = browser();
    for (let i = 0; i < ACCOUNT_POLICY.free - 1; i++) await tryToken(admin, `typo-${i}`);
    expect((await tryToken(admin, ADMIN_TOKEN)).status).toBe(303);
    for (let i = 0; i < ACCOUNT_POLICY.free - 1; i++) expect((await tryToken(browser(), `typo-${i}`)).status).toBe(401);
  });
});

describe("per client address", () => {
  /** An OAuth return this browser never started (no state cookie): a failure that names no account. */
  const badCallback = (c: Client) => c.get("/console/auth/feishu/callback?state=forged&code=stolen");

  it("an address that keeps failing OAuth sign-ins is locked out before the platform is asked anything", async () => {
    const address = "198.51.100.7";
    for (let i = 0; i < ADDRESS_POLICY.free; i++) expect((await badCallback(browser(address))).status).toBe(400);
    const tokenCalls = () => w.feishu.calls.filter((x) => x.path === "/open-apis/authen/v2/oauth/token").length;
    const before = tokenCalls();

    // A real sign-in from that address: 429 at the callback, and no code exchange.
    const c = browser(address);
    w.feishu.oauth.signInAs({ openId: people.wang.openId, name: people.wang.name });
    const res = await c.follow("/console/auth/feishu");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("60");
    expect(tokenCalls()).toBe(before);
    expect(c.cookies.has("cd_session")).toBe(false);
    expect(logged("console sign-in throttled").at(-1)).toMatchObject({ address, retryAfter: 60 });

    // Another address is not affected; the locked one may try again after the window.
    expect((await (await signInAt(browser("198.51.100.8"))).get("/console/tickets")).status).toBe(200);
    later(61_000);
    expect((await (await signInAt(browser(address))).get("/console/tickets")).status).toBe(200);
  });

  it("refused platform accounts count per account too", async () => {
    const stranger = { openId: "ou_stranger_throttle", name: "路人乙" };
    for (let i = 0; i < ACCOUNT_POLICY.free; i++) {
      w.feishu.oauth.signInAs(stranger);
      expect((await browser().follow("/console/auth/feishu")).status).toBe(403);
    }
    w.feishu.oauth.signInAs(stranger);
    const res = await browser().follow("/console/auth/feishu");
    expect(res.status).toBe(429);
    expect(logged("console sign-in failed").at(-1)).toMatchObject({ account: `feishu:${stranger.openId}`, accountFailures: ACCOUNT_POLICY.free });
  });

  it("X-Forwarded-For from a peer that is not a trusted proxy is ignored: a changing header does not escape the lock", async () => {
    const direct = await startConsoleWorld(); // no trusted proxies: the TCP peer is the address
    try {
      const attempt = async (i: number) => {
        const c = new Client(direct.url, { "x-forwarded-for": `192.0.2.${i}` });
        return (await c.get("/console/auth/feishu/callback?state=forged&code=x")).status;
      };
      const statuses: number[] = [];
      for (let i = 0; i <= ADDRESS_POLICY.free; i++) statuses.push(await attempt(i));
      expect(statuses.slice(0, ADDRESS_POLICY.free).every((s) => s === 400)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
      expect(direct.server.logs.filter((l) => l.msg === "console sign-in throttled").at(-1)).toMatchObject({ address: "127.0.0.1" });
    } finally {
      await direct.close();
    }
  });

  it("is counted in the database, so another instance on it refuses the same address", async () => {
    const address = "198.51.100.20";
    for (let i = 0; i < ADDRESS_POLICY.free; i++) await badCallback(browser(address));
    const other = await startTestServer({ dir: w.server.dir, config: consoleConfig, now: () => w.clock.now, env: { CHATDESK_ADMIN_TOKEN: ADMIN_TOKEN, CHATDESK_TRUSTED_PROXIES: "127.0.0.1" } });
    try {
      const c = new Client(other.url, { "x-forwarded-for": address });
      const res = await tryToken(c, ADMIN_TOKEN);
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });
});

async function signInAt(c: Client): Promise<Client> {
  w.feishu.oauth.signInAs({ openId: people.wang.openId, name: people.wang.name });
  const res = await c.follow("/console/auth/feishu");
  expect(res.status).toBe(200);
  return c;
}
