// Sign-in through Feishu and DingTalk against the fake platforms: the redirects, what is sent to the
// platform, the state check, single-use codes, the people mapping, and the in-app (免登) variants.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, DINGTALK_KEY, DINGTALK_SECRET, FEISHU_APP_ID, people, startConsoleWorld, type ConsoleWorld } from "./support.js";

let w: ConsoleWorld;
beforeAll(async () => {
  w = await startConsoleWorld();
}, 60_000);
afterAll(() => w?.close());

const FEISHU_UA = "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile Safari/537.36 Lark/7.20.0 LarkLocale/zh_CN";
const DINGTALK_UA = "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile Safari/537.36 AliApp(DingTalk/7.5.0)";

const location = (res: Response) => new URL(res.headers.get("location")!, w.url);

describe("Feishu", () => {
  it("authorize → callback → token and user info → session for the configured person", async () => {
    const c = new Client(w.url);
    w.feishu.oauth.signInAs({ openId: people.wang.openId, name: "王主管(飞书)" });
    const start = await c.get("/console/auth/feishu?next=%2Fconsole%2Freports%3Fperiod%3Dmonth");
    expect(start.status).toBe(302);
    const authorize = location(start);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${w.feishu.url}/open-apis/authen/v1/authorize`);
    expect(authorize.searchParams.get("app_id")).toBe(FEISHU_APP_ID);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${w.url}/console/auth/feishu/callback`);
    const state = authorize.searchParams.get("state")!;
    expect(state).toMatch(/^[A-Za-z0-9_-]{20,}$/);

    const back = await c.fetch(authorize.toString());
    expect(back.status).toBe(302);
    const done = await c.fetch(back.headers.get("location")!);
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/console/reports?period=month");
    expect(c.cookies.has("cd_session")).toBe(true);
    expect(c.cookies.has("cd_oauth")).toBe(false); // the state is spent

    const token = w.feishu.calls.filter((x) => x.path === "/open-apis/authen/v2/oauth/token").at(-1)!;
    expect(token.body).toMatchObject({ grant_type: "authorization_code", client_id: FEISHU_APP_ID, client_secret: "feishu-console-secret", redirect_uri: `${w.url}/console/auth/feishu/callback` });
    const page = await (await c.get("/console/reports?period=month")).text();
    expect(page).toContain("<span>王主管</span>"); // the configured name, not the platform's
  });

  it("refuses a callback whose state this browser did not start (400), and a replayed code (401)", async () => {
    const victim = new Client(w.url);
    w.feishu.oauth.signInAs({ openId: people.zhao.openId, name: people.zhao.name });
    const start = await victim.get("/console/auth/feishu");
    const back = await victim.fetch(location(start).toString());
    const callback = back.headers.get("location")!;

    // Another browser (no state cookie) presenting the same callback: login CSRF / code injection.
    const attacker = new Client(w.url);
    const stolen = await attacker.fetch(callback);
    expect(stolen.status).toBe(400);
    expect(await stolen.text()).toContain("登录请求已失效");
    expect(attacker.cookies.has("cd_session")).toBe(false);

    // The right browser but a state that was never issued.
    const forged = new URL(callback);
    forged.searchParams.set("state", "not-the-state");
    const c2 = new Client(w.url);
    await c2.get("/console/auth/feishu");
    expect((await c2.fetch(forged.toString())).status).toBe(400);

    // The code is single use: the victim's own first use succeeds, a second (with a fresh state) fails.
    expect((await victim.fetch(callback)).status).toBe(303);
    const again = new Client(w.url);
    const s2 = location(await again.get("/console/auth/feishu")).searchParams.get("state")!;
    const replay = new URL(callback);
    replay.searchParams.set("state", s2);
    const res = await again.fetch(replay.toString());
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("登录失败：Feishu refused the sign-in code");
    expect(again.cookies.has("cd_session")).toBe(false);
  });

  it("only ever returns to a console page after sign-in (no open redirect)", async () => {
    const cases: [string, string][] = [
      ["/console/tickets/FB20250618001?x=1", "/console/tickets/FB20250618001?x=1"],
      ["https://evil.example.com/", "/console/tickets"],
      ["//evil.example.com/console/x", "/console/tickets"],
      ["/console/../evil", "/console/tickets"],
      ["/console/%2e%2e/evil", "/console/tickets"],
      ["/\\evil.example.com", "/console/tickets"],
      ["/console/auth/feishu", "/console/tickets"],
      ["javascript:alert(1)", "/console/tickets"],
    ];
    for (const [next, expected] of cases) {
      const c = new Client(w.url);
      w.feishu.oauth.signInAs({ openId: people.wang.openId, name: people.wang.name });
      const back = await c.fetch(location(await c.get(`/console/auth/feishu?next=${encodeURIComponent(next)}`)).toString());
      const done = await c.fetch(back.headers.get("location")!);
      expect(done.status, next).toBe(303);
      expect(done.headers.get("location"), next).toBe(expected);
    }
  });

  it("a platform outage during sign-in is a clear 401, not a crash", async () => {
    const c = new Client(w.url);
    w.feishu.oauth.signInAs({ openId: people.wang.openId, name: people.wang.name });
    const back = await c.fetch(location(await c.get("/console/auth/feishu")).toString());
    w.feishu.failNext(1, { status: 503, body: { code: 1500, msg: "service unavailable" } });
    const res = await c.fetch(back.headers.get("location")!);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("service unavailable");
  });

  it("inside the Feishu client the sign-in page goes straight on to Feishu (免登)", async () => {
    const c = new Client(w.url, { "user-agent": FEISHU_UA });
    const res = await c.get("/console/tickets/FB20250618001");
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain(`location.replace("/console/auth/feishu?next=%2Fconsole%2Ftickets%2FFB20250618001")`);
    // After a failed attempt it waits for the person instead of looping.
    const failed = await c.get("/console/auth/feishu/callback?state=x&code=y");
    expect(await failed.text()).not.toContain("location.replace");
  });
});

describe("DingTalk", () => {
  it("web login: authCode → user token → users/me → unionId lookup → session", async () => {
    const c = new Client(w.url);
    w.dingtalk.oauth.signInAs({ userId: people.zhang.dingtalk, unionId: "union-zhang", nick: "张三(钉钉)" });
    const start = await c.get("/console/auth/dingtalk");
    const login = location(start);
    expect(`${login.origin}${login.pathname}`).toBe(`${w.dingtalk.url}/oauth2/auth`);
    expect(Object.fromEntries(login.searchParams)).toMatchObject({
      client_id: DINGTALK_KEY,
      response_type: "code",
      scope: "openid",
      prompt: "consent",
      redirect_uri: `${w.url}/console/auth/dingtalk/callback`,
    });
    const back = await c.fetch(login.toString());
    const done = await c.fetch(back.headers.get("location")!);
    expect(done.status).toBe(303);
    expect(await (await c.get("/console/tickets")).text()).toContain("<span>张三</span>");

    const userToken = w.dingtalk.callsTo("/v1.0/oauth2/userAccessToken").at(-1)!;
    expect(userToken.body).toMatchObject({ clientId: DINGTALK_KEY, clientSecret: DINGTALK_SECRET, grantType: "authorization_code" });
    const me = w.dingtalk.callsTo("/v1.0/contact/users/me").at(-1)!;
    expect(me.headers["x-acs-dingtalk-access-token"]).toMatch(/^dd-user-/);
    const lookup = w.dingtalk.callsTo("/topapi/user/getbyunionid").at(-1)!;
    expect(lookup.body).toEqual({ unionid: "union-zhang" });
    expect(lookup.query.access_token).toMatch(/^tok-/); // the app token, not the user's
  });

  it("an account outside the organisation (no userId for its unionId) is refused with 401", async () => {
    const outsider = new Client(w.url);
    w.dingtalk.oauth.signInAs({ userId: "", unionId: "union-outsider", nick: "外部联系人" });
    const back = await outsider.fetch(location(await outsider.get("/console/auth/dingtalk")).toString());
    const denied = await outsider.fetch(back.headers.get("location")!);
    expect(denied.status).toBe(401);
    expect(await denied.text()).toContain("DingTalk unionId lookup failed (找不到该用户)");
    expect(outsider.cookies.has("cd_session")).toBe(false);
  });

  it("in-app 免登: the sign-in page asks the JSAPI for a code, the server trades it for the userId", async () => {
    const c = new Client(w.url, { "user-agent": DINGTALK_UA });
    const page = await c.get("/console/login?corpId=ding-fake-corp&next=%2Fconsole%2Freports");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('corpId:"ding-fake-corp"');
    expect(html).toContain(`clientId:"${DINGTALK_KEY}"`);
    const state = /auth\/dingtalk\/inapp\?state=([A-Za-z0-9_-]+)/.exec(html)![1]!;
    expect(c.cookies.has("cd_oauth")).toBe(true);

    const code = w.dingtalk.oauth.inAppCode({ userId: people.zhao.dingtalk, unionId: "union-zhao", nick: people.zhao.name });
    const res = await c.get(`/console/auth/dingtalk/inapp?state=${state}&next=%2Fconsole%2Freports&code=${code}`);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/console/reports");
    expect((await c.get("/console/reports")).status).toBe(200);
    expect(w.dingtalk.callsTo("/topapi/v2/user/getuserinfo").at(-1)!.body).toEqual({ code });

    // A code is good once.
    const c2 = new Client(w.url, { "user-agent": DINGTALK_UA });
    const s2 = /auth\/dingtalk\/inapp\?state=([A-Za-z0-9_-]+)/.exec(await (await c2.get("/console/login?corpId=ding-fake-corp")).text())![1]!;
    const replay = await c2.get(`/console/auth/dingtalk/inapp?state=${s2}&code=${code}`);
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain("不存在的临时授权码");
  });

  it("never writes an unexpected corpId into the page's script", async () => {
    const c = new Client(w.url, { "user-agent": DINGTALK_UA });
    const html = await (await c.get(`/console/login?corpId=${encodeURIComponent('"</script><script>alert(1)</script>')}`)).text();
    expect(html).not.toContain("<script>alert(1)"); // only ever URL-encoded (in links back to this page)
    expect(html).not.toContain("requestAuthCode"); // no corpId known: the buttons only
  });
});
