// Shared by the console tests: the real server with the fake Feishu and DingTalk behind it, a seeded
// database (tickets over the last month, through the real use cases), and a cookie-keeping client.
import net from "node:net";
import { announceTicket } from "../../src/app/notify.js";
import { performAction, type ActionArgs } from "../../src/app/tickets/act.js";
import { submitFeedback } from "../../src/app/tickets/submit.js";
import type { TicketAction } from "../../src/core/state-machine.js";
import type { Actor } from "../../src/core/types.js";
import type { TicketRow } from "../../src/store/tickets.js";
import { startFakeDingTalk, type FakeDingTalk } from "../fakes/dingtalk-server.js";
import { startFakeFeishu, type FakeFeishuServer } from "../fakes/feishu-server.js";
import { startTestServer, teamConfig, type TestServer } from "../support/server.js";

export const ADMIN_TOKEN = "admin-token-for-console-tests-0123";
export const SESSION_SECRET = "session-secret-for-console-tests-0123456789";
export const FEISHU_APP_ID = "cli_console_test";
export const DINGTALK_KEY = "ding-console-key";
export const DINGTALK_SECRET = "ding-console-secret";

/** teamConfig plus a reporter without any role (the console turns them away). */
export const consoleConfig = {
  ...teamConfig,
  people: [...teamConfig.people, { id: "liu", name: "客服小刘", feishu: "ou_reporter_liu", dingtalk: "dt_liu" }],
};

export const people = {
  zhang: { openId: "ou_handler_zhang", name: "张三", dingtalk: "dt_zhang" },
  li: { openId: "ou_handler_li", name: "李四", dingtalk: "dt_li" },
  wang: { openId: "ou_lead_wang", name: "王主管", dingtalk: "dt_wang" },
  zhao: { openId: "ou_manager_zhao", name: "赵总", dingtalk: "dt_zhao" },
  liu: { openId: "ou_reporter_liu", name: "客服小刘", dingtalk: "dt_liu" },
};

export const feishuActor = (p: { openId: string; name: string }): Actor => ({ platform: "feishu", userId: p.openId, name: p.name });
export const reporter: Actor = feishuActor(people.liu);

/** "Now" for every console test: Wednesday 2025-06-18 10:00 Asia/Shanghai. */
export const NOW = new Date("2025-06-18T02:00:00Z");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface ConsoleWorld {
  server: TestServer;
  feishu: FakeFeishuServer;
  dingtalk: FakeDingTalk;
  url: string;
  clock: { now: Date };
  close(): Promise<void>;
}

/** The server on a known port, so PUBLIC_URL (card links, OAuth redirects) names it. */
export async function startConsoleWorld(extraEnv: Record<string, string> = {}): Promise<ConsoleWorld> {
  const [feishu, dingtalk, port] = await Promise.all([startFakeFeishu(), startFakeDingTalk({ appKey: DINGTALK_KEY, appSecret: DINGTALK_SECRET }), freePort()]);
  const url = `http://127.0.0.1:${port}`;
  const clock = { now: NOW };
  const server = await startTestServer({
    config: consoleConfig,
    now: () => clock.now,
    env: {
      PORT: String(port),
      PUBLIC_URL: url,
      CHATDESK_ADMIN_TOKEN: ADMIN_TOKEN,
      CHATDESK_SESSION_SECRET: SESSION_SECRET,
      FEISHU_APP_ID,
      FEISHU_APP_SECRET: "feishu-console-secret",
      FEISHU_VERIFICATION_TOKEN: "vt",
      FEISHU_DOMAIN: feishu.url,
      DINGTALK_CLIENT_ID: DINGTALK_KEY,
      DINGTALK_CLIENT_SECRET: DINGTALK_SECRET,
      DINGTALK_API_BASE: dingtalk.url,
      DINGTALK_LOGIN_BASE: dingtalk.url,
      DINGTALK_OAPI_BASE: dingtalk.url,
      ...extraEnv,
    },
  });
  return {
    server,
    feishu,
    dingtalk,
    url,
    clock,
    async close() {
      await server.close();
      await Promise.all([feishu.close(), dingtalk.close()]);
    },
  };
}

export interface Seeded {
  /** A fresh bug ticket in tech, assigned to 张三, announced in oc_tech (its card is on the fake). */
  scenario: TicketRow;
  /** A product-department ticket with a phone number as contact (张三 is no handler there). */
  productTicket: TicketRow;
  all: TicketRow[];
}

const TEXTS = [
  "系统报错无法登录，客户无法进入后台\n客户: 华为技术有限公司\n联系方式: 13812345678\n渠道: 电话",
  "页面加载缓慢，报表打开要一分钟\n客户: 小米科技\n联系方式: 13900001111\n渠道: 在线客服",
  "希望增加批量导出功能\n客户: 京东物流\n联系方式: lisa@jd.example.com\n渠道: 邮件",
  "请问如何设置自动回复？\n客户: 美团\n渠道: 在线客服",
  "数据同步失败，订单数据不一致\n客户: 顺丰速运\n联系方式: 13700002222\n渠道: 电话",
  "对售后响应速度不满意 #投诉\n客户: 拼多多\n联系方式: 13600003333\n渠道: 电话",
  "建议延长客服工作时间\n客户: 网易\n渠道: 问卷",
  "快递一直没有发货，物流信息不更新\n客户: 苏宁\n渠道: 微信",
  "账单扣费有误，发票金额不对\n客户: 携程\n渠道: 邮件",
  "希望界面按钮样式优化一下\n客户: 字节跳动\n渠道: APP评论",
];

/**
 * Tickets over the 30 days before NOW through the real use cases: received, claimed, resolved,
 * confirmed with a rating — some late, some still open and overdue — so every chart has data.
 */
export async function seed(w: ConsoleWorld): Promise<Seeded> {
  const { server: s, clock } = w;
  const ctx = s.ctx;
  const all: TicketRow[] = [];
  const at = (daysAgo: number, hour: number) => new Date(NOW.getTime() - daysAgo * 86_400_000 + (hour - 10) * 3_600_000);
  const act = async (t: TicketRow, when: Date, action: TicketAction, actor: Actor, args: ActionArgs = {}) => {
    clock.now = when;
    return (await performAction(ctx, t.number, action, actor, args, "card")).ticket;
  };
  const handlerOf = (t: TicketRow): Actor => {
    const p = consoleConfig.people.find((x) => x.id === (t.handlerId ?? "wang"))!;
    return { platform: "feishu", userId: p.feishu, name: p.name };
  };
  for (let day = 29; day >= 1; day--) {
    const perDay = 1 + (day % 3 === 0 ? 1 : 0);
    for (let k = 0; k < perDay; k++) {
      const i = (day * 7 + k * 3) % TEXTS.length;
      clock.now = at(day, 10 + k * 2);
      let t = await submitFeedback(ctx, { text: TEXTS[i]!, reporter, platform: "feishu", chatId: "oc_tech", messageId: `om_seed_${day}_${k}` });
      const h = handlerOf(t);
      if (day % 7 === 3) {
        all.push(t); // never touched: open and overdue by now
        continue;
      }
      t = await act(t, at(day, 11 + k * 2), "claim", h);
      if (day % 5 === 1) {
        all.push(t); // still in progress
        continue;
      }
      // Some resolutions take days (late against the SLA), most are quick.
      const late = day % 4 === 0 ? 4 : 0;
      t = await act(t, at(day - Math.min(late, day - 1), 15), "resolve", h, { text: "已处理完毕" });
      if (day % 6 !== 2) t = await act(t, at(day - Math.min(late, day - 1), 17), "confirm", reporter, { score: 1 + ((day + k) % 5) });
      all.push(t);
    }
  }
  clock.now = new Date(NOW.getTime() - 30 * 60_000);
  const productTicket = await submitFeedback(ctx, {
    text: "希望新增开放接口，方便对接ERP\n客户: 联想集团\n联系方式: 13512345678",
    reporter,
    platform: "feishu",
    chatId: "oc_product",
    messageId: "om_product_1",
  });
  clock.now = new Date(NOW.getTime() - 10 * 60_000);
  const scenario = await submitFeedback(ctx, {
    text: "客户反馈系统报错无法登录，登录页一直转圈\n客户: 招商银行\n联系方式: 13887654321",
    reporter,
    platform: "feishu",
    chatId: "oc_tech",
    messageId: "om_scenario_1",
  });
  await announceTicket(ctx, scenario);
  clock.now = NOW;
  await s.idle();
  return { scenario, productTicket, all: [...all, productTicket, scenario] };
}

/** A minimal browser for HTTP tests: keeps cookies per path-less jar, never follows redirects. */
export class Client {
  readonly cookies = new Map<string, string>();
  constructor(
    readonly base: string,
    readonly headers: Record<string, string> = {},
  ) {}

  private keep(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a.trim()));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async fetch(pathOrUrl: string, init: RequestInit = {}): Promise<Response> {
    const url = pathOrUrl.startsWith("http") ? pathOrUrl : `${this.base}${pathOrUrl}`;
    const own = url.startsWith(this.base);
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(url, { ...init, redirect: "manual", headers: { ...this.headers, ...(own && cookie ? { cookie } : {}), ...(init.headers as Record<string, string>) } });
    if (own) this.keep(res);
    return res;
  }

  get = (path: string) => this.fetch(path);

  post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    return this.fetch(path, { method: "POST", body: new URLSearchParams(form), headers: { "content-type": "application/x-www-form-urlencoded", ...headers } });
  }

  /** GET, following redirects (also to other origins, such as the fake platforms) to the end. */
  async follow(path: string, max = 8): Promise<Response> {
    let res = await this.fetch(path);
    for (let i = 0; i < max && res.status >= 300 && res.status < 400; i++) res = await this.fetch(new URL(res.headers.get("location")!, res.url || this.base).toString());
    return res;
  }
}

/** The value of a hidden input (e.g. the CSRF token) in a page. */
export function hiddenValue(html: string, name: string): string | undefined {
  const m = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html) ?? new RegExp(`<input[^>]*value="([^"]*)"[^>]*name="${name}"`).exec(html);
  return m?.[1];
}

/** Sign in through Feishu OAuth against the fake, as the given person. */
export async function signInFeishu(w: ConsoleWorld, who: { openId: string; name: string }, next = "/console/tickets"): Promise<Client> {
  const c = new Client(w.url);
  w.feishu.oauth.signInAs({ openId: who.openId, name: who.name });
  const res = await c.follow(`/console/auth/feishu?next=${encodeURIComponent(next)}`);
  if (res.status !== 200) throw new Error(`sign-in as ${who.name} ended with ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return c;
}

export async function signInAdmin(w: ConsoleWorld): Promise<Client> {
  const c = new Client(w.url);
  const page = await (await c.get("/console/login")).text();
  const res = await c.post("/console/login", { _csrf: hiddenValue(page, "_csrf")!, token: ADMIN_TOKEN, next: "/console/tickets" });
  if (res.status !== 303) throw new Error(`admin sign-in answered ${res.status}`);
  return c;
}

/** Parse a CSV (RFC 4180, as the console writes it) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
