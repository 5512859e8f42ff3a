// A fake Feishu open platform on loopback: records calls, returns realistic bodies, injects faults
// (HTTP status with headers, or a hang) into the next n requests or into every message call during an
// outage, can hold all answers (pause), and runs a long-connection gateway (feishu-ws-gateway.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { feishuOAuthFake, type FeishuOAuthFake } from "./feishu-oauth.js";
import { APP_ID, BOT_OPEN_ID } from "../support/feishu-events.js";
import { attachWsGateway, type FakeWsGateway } from "./feishu-ws-gateway.js";
import { sendResource, type FakeResource } from "./resource.js";

export type { FakeResource } from "./resource.js";

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** `content` of message calls, JSON-parsed (the card JSON for interactive messages). */
  content?: unknown;
  /** Arrival time (epoch ms) and the status answered, for benchmarks that time deliveries. */
  at?: number;
  status?: number;
}

export type Fault =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { hangMs: number };

export interface FakeFeishuServer {
  url: string;
  calls: RecordedCall[];
  /** Cards sent or patched, in order, with the message id they belong to. */
  cards(): { messageId: string; method: string; card: Record<string, unknown> }[];
  /** Applies to the next n requests of any kind; `{status: 200, body: {code: 230002}}` fakes a business error. */
  failNext(n: number, fault: Fault): void;
  /** The next request matching `match` (method, path) fails, once; other requests go through. */
  failWhen(match: (c: { method: string; path: string }) => boolean, fault: Fault): void;
  /** Every request under `pathPrefix` (default: the message APIs) gets `fault` until called with undefined. */
  outage(fault: Fault | undefined, pathPrefix?: string): void;
  /** Record requests but answer none until the returned function is called. */
  pause(): () => void;
  /** The long-connection gateway (POST /callback/ws/endpoint + WebSocket /ws). */
  ws: FakeWsGateway;
  /** Applies to every request arriving in the next `ms` milliseconds (an outage window), after failNext's. */
  failFor(ms: number, fault: Fault): void;
  /** open_id → user, for the contact lookup. */
  users: Map<string, { name: string }>;
  /**
   * Messages GET /open-apis/im/v1/messages/:message_id answers with (https://open.feishu.cn/document/server-docs/im-v1/message/get):
   * message_id → the item, shaped as the API returns it (see `apiMessage`).
   */
  messages: Map<string, Record<string, unknown>>;
  /**
   * What GET /open-apis/im/v1/messages/:message_id/resources/:file_key answers (https://open.feishu.cn/document/server-docs/im-v1/message/get-2),
   * keyed "<message_id>/<file_key>". `chunked`: no Content-Length, sent in pieces (a size the client can only count).
   */
  resources: Map<string, FakeResource>;
  tokenRequests(): number;
  /** Web sign-in (authorize page, user_access_token, user info) for the console. */
  oauth: Pick<FeishuOAuthFake, "signInAs" | "issueCode">;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeFeishu(opts: { token?: string; expire?: number; appId?: string; botOpenId?: string } = {}): Promise<FakeFeishuServer> {
  const calls: RecordedCall[] = [];
  const faults: Fault[] = [];
  const matched: { match: (c: { method: string; path: string }) => boolean; fault: Fault }[] = [];
  let outage: { fault: Fault; prefix: string } | undefined;
  let held: (() => void)[] | undefined;
  let windowFault: { until: number; fault: Fault } | undefined;
  const users = new Map<string, { name: string }>([["ou_alice", { name: "Alice" }]]);
  const stored = new Map<string, Record<string, unknown>>();
  const resources = new Map<string, FakeResource>();
  const token = opts.token ?? "t-fake-tenant-token";
  const sockets = new Set<import("node:net").Socket>();
  let seq = 0;
  const cardLog: { messageId: string; method: string; card: Record<string, unknown> }[] = [];
  const oauth = feishuOAuthFake();

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(JSON.stringify(body));
  };

  const route = (call: RecordedCall, res: ServerResponse) => {
    const { method, path } = call;
    const body = (call.body ?? {}) as Record<string, unknown>;
    const authed = call.headers.authorization === `Bearer ${token}`;
    if (method === "POST" && path === "/open-apis/auth/v3/tenant_access_token/internal") {
      // Not wrapped in data (https://open.larkoffice.com/document/ukTMukTMukTM/ukDNz4SO0MjL5QzM/auth-v3/auth/tenant_access_token_internal).
      return send(res, 200, { code: 0, msg: "ok", tenant_access_token: token, expire: opts.expire ?? 7200 });
    }
    if (method === "POST" && path === "/callback/ws/endpoint") return send(res, 200, ws.endpointAnswer(body.AppID));
    if (oauth.handle(call, res)) return;
    if (!authed) return send(res, 400, { code: 99991661, msg: "Missing access token for authorization." });
    if (method === "GET" && path === "/open-apis/bot/v3/info") {
      // Not wrapped in data either (https://open.feishu.cn/document/client-docs/bot-v3/obtain-bot-info).
      return send(res, 200, { code: 0, msg: "ok", bot: { activate_status: 2, app_name: "ChatDesk", avatar_url: "", ip_white_list: [], open_id: opts.botOpenId ?? BOT_OPEN_ID } });
    }

    const msgData = (messageId: string, extra: Record<string, unknown> = {}) => ({
      code: 0,
      msg: "success",
      data: { message_id: messageId, msg_type: body.msg_type, create_time: String(Date.now()), chat_id: body.receive_id ?? "oc_fake", ...extra },
    });
    const record = (messageId: string) => {
      if (call.content && typeof call.content === "object" && (body.msg_type === "interactive" || method === "PATCH")) {
        cardLog.push({ messageId, method, card: call.content as Record<string, unknown> });
      }
    };

    let m: RegExpMatchArray | null;
    if (method === "POST" && path === "/open-apis/im/v1/messages") {
      if (!call.query.receive_id_type) return send(res, 400, { code: 99992402, msg: "field validation failed" });
      const id = `om_fake${++seq}`;
      record(id);
      return send(res, 200, msgData(id));
    }
    if (method === "POST" && (m = path.match(/^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/))) {
      const id = `om_fake${++seq}`;
      record(id);
      return send(res, 200, msgData(id, { parent_id: m[1], root_id: m[1] }));
    }
    if (method === "PATCH" && (m = path.match(/^\/open-apis\/im\/v1\/messages\/([^/]+)\/urgent_app$/))) {
      return send(res, 200, { code: 0, msg: "success", data: { invalid_user_id_list: [] } });
    }
    if (method === "PATCH" && (m = path.match(/^\/open-apis\/im\/v1\/messages\/([^/]+)$/))) {
      record(m[1]!);
      return send(res, 200, { code: 0, msg: "success", data: {} });
    }
    if (method === "GET" && (m = path.match(/^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/))) {
      const r = resources.get(`${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`);
      // A key that is not in that message: 234003 "File not in msg." (get-2 error codes); type is required.
      if (!call.query.type) return send(res, 400, { code: 234001, msg: "Invalid request param." });
      if (!r) return send(res, 400, { code: 234003, msg: "File not in msg." });
      return sendResource(res, r);
    }
    if (method === "GET" && (m = path.match(/^\/open-apis\/im\/v1\/messages\/([^/]+)$/))) {
      const item = stored.get(decodeURIComponent(m[1]!));
      // An unknown or recalled message: 230011 "The message was withdrawn" / 230001 (https://open.feishu.cn/document/server-docs/im-v1/message/get).
      if (!item) return send(res, 400, { code: 230001, msg: "message not found" });
      return send(res, 200, { code: 0, msg: "success", data: { items: [item] } });
    }
    if (method === "GET" && (m = path.match(/^\/open-apis\/contact\/v3\/users\/([^/]+)$/))) {
      const u = users.get(decodeURIComponent(m[1]!));
      if (!u) return send(res, 400, { code: 41050, msg: "no user authority error" });
      return send(res, 200, { code: 0, msg: "success", data: { user: { open_id: m[1], name: u.name } } });
    }
    if (method === "POST" && path === "/open-apis/jssdk/ticket/get") {
      // {code, msg, data: {expire_in, ticket}} (https://open.feishu.cn/document/uYjL24iN/uEzM4YjLxMDO24SMzgjN).
      return send(res, 200, { code: 0, msg: "ok", data: { expire_in: 7200, ticket: JSAPI_TICKET } });
    }
    return send(res, 404, { code: 404, msg: `fake: no route ${method} ${path}` });
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const text = await readBody(req);
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* keep raw text */
    }
    let content: unknown;
    const rawContent = (body as { content?: unknown } | undefined)?.content;
    if (typeof rawContent === "string") {
      try {
        content = JSON.parse(rawContent);
      } catch {
        content = rawContent;
      }
    }
    const call: RecordedCall = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      content,
      at: Date.now(),
    };
    calls.push(call);
    res.on("finish", () => (call.status = res.statusCode));
    if (held) await new Promise<void>((r) => held!.push(r));

    const hit = matched.findIndex((m) => m.match(call));
    const fault =
      (hit >= 0 ? matched.splice(hit, 1)[0]!.fault : undefined) ??
      faults.shift() ??
      (windowFault && Date.now() < windowFault.until ? windowFault.fault : undefined) ??
      (outage && call.path.startsWith(outage.prefix) ? outage.fault : undefined);
    if (fault && "hangMs" in fault) {
      const t = setTimeout(() => send(res, 504, { code: 504, msg: "fake: hung" }), fault.hangMs);
      res.on("close", () => clearTimeout(t));
      return;
    }
    if (fault) return send(res, fault.status, fault.body ?? { code: fault.status === 429 ? 99991400 : 1500, msg: "fake fault" }, fault.headers);
    route(call, res);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const ws = attachWsGateway(server, () => `http://127.0.0.1:${port}`, opts.appId ?? APP_ID);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    cards: () => cardLog,
    failNext(n, fault) {
      for (let i = 0; i < n; i++) faults.push(fault);
    },
    failWhen(match, fault) {
      matched.push({ match, fault });
    },
    outage(fault, pathPrefix = "/open-apis/im/") {
      outage = fault ? { fault, prefix: pathPrefix } : undefined;
    },
    pause() {
      const queue: (() => void)[] = (held ??= []);
      return () => {
        if (held === queue) held = undefined;
        for (const r of queue.splice(0)) r();
      };
    },
    ws,
    failFor(ms, fault) {
      windowFault = { until: Date.now() + ms, fault };
    },
    users,
    messages: stored,
    resources,
    tokenRequests: () => calls.filter((c) => c.path === "/open-apis/auth/v3/tenant_access_token/internal").length,
    oauth,
    close: () =>
      new Promise<void>((resolve) => {
        ws.close();
        for (const r of held?.splice(0) ?? []) r();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The jsapi_ticket the fake hands out: a test signs with it to check the page's JSAPI signature. */
export const JSAPI_TICKET = "fake-jsapi-ticket-0001";

/** A message item as GET /open-apis/im/v1/messages/:message_id returns it (https://open.feishu.cn/document/server-docs/im-v1/message/get). */
export function apiMessage(spec: { messageId: string; chatId?: string; senderId?: string; senderType?: "user" | "app"; text?: string; msgType?: string; content?: unknown; rootId?: string; parentId?: string }): Record<string, unknown> {
  return {
    message_id: spec.messageId,
    ...(spec.rootId ? { root_id: spec.rootId, parent_id: spec.parentId ?? spec.rootId } : {}),
    msg_type: spec.msgType ?? "text",
    create_time: "1716256800000",
    update_time: "1716256800000",
    deleted: false,
    updated: false,
    chat_id: spec.chatId ?? "oc_group1",
    sender: { id: spec.senderId ?? "ou_customer_sun", id_type: spec.senderType === "app" ? "app_id" : "open_id", sender_type: spec.senderType ?? "user", tenant_key: "tenant_test" },
    body: { content: JSON.stringify(spec.content ?? { text: spec.text ?? "" }) },
    mentions: [],
  };
}
