// A fake DingTalk on loopback: the OpenAPI endpoints the sender uses, a session webhook, and a Stream
// gateway (connections/open + WebSocket) that frames pushes like the real one (https://open-dingtalk.github.io/developerpedia/docs/learn/stream/protocol).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { dingtalkOAuthFake, type DingTalkOAuthFake } from "./dingtalk-oauth.js";
import { sendResource, type FakeResource } from "./resource.js";
import { createWsServer, type WsSocket } from "./ws-server.js";

export interface FakeCall {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: any;
  /** Arrival time (epoch ms) and the status answered, for benchmarks that time deliveries. */
  at?: number;
  status?: number;
}

export type Fault = { status: number; body?: unknown } | { hangMs: number };

export interface StreamFrame {
  code?: number;
  headers: Record<string, string>;
  message?: string;
  data: string;
}

export interface FakeDingTalk {
  url: string;
  calls: FakeCall[];
  /** Frames the Stream client sent back (ACKs, ping replies). */
  acks: StreamFrame[];
  /** Cards by outTrackId with their current cardParamMap. */
  cards: Map<string, Record<string, string>>;
  /** The org's address book for POST /topapi/v2/user/get (userId → name); a user not in it is errcode 60121. */
  users: Map<string, { name: string }>;
  /**
   * Files of received messages by downloadCode: POST /v1.0/robot/messageFiles/download answers a downloadUrl on this
   * server, whose GET serves the bytes (https://open.dingtalk.com/document/orgapp/download-the-file-content-of-the-robot-receiving-message).
   */
  files: Map<string, FakeResource>;
  /** Subscriptions sent by the last connections/open call. */
  subscriptions: { type: string; topic: string }[];
  connections: number;
  sessionWebhookUrl(session?: string): string;
  /** The next n HTTP calls (optionally only those whose path starts with `pathPrefix`) fail. */
  failNext(n: number, fault: Fault, pathPrefix?: string): void;
  /** Every call (optionally only under `pathPrefix`) arriving in the next `ms` milliseconds fails: an outage window. */
  failFor(ms: number, fault: Fault, pathPrefix?: string): void;
  callsTo(path: string): FakeCall[];
  /** Push a CALLBACK frame to the connected client; resolves with its messageId. */
  pushStream(topic: string, data: unknown): string;
  pushSystem(topic: string, data: unknown): string;
  waitForAck(messageId: string, timeoutMs?: number): Promise<StreamFrame>;
  waitForConnections(n: number, timeoutMs?: number): Promise<void>;
  /** Drop every Stream socket without a close handshake. */
  dropConnections(): void;
  /** Sign-in for the console: login page, user token, users/me, unionId lookup, in-app 免登 codes. */
  oauth: Pick<DingTalkOAuthFake, "signInAs" | "inAppCode">;
  close(): Promise<void>;
}

export interface FakeOptions {
  appKey?: string;
  /** The robot's code messageFiles/download accepts (default: the app key, as internal apps have it). */
  robotCode?: string;
  appSecret?: string;
  expireIn?: number;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`fake dingtalk: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function startFakeDingTalk(o: FakeOptions = {}): Promise<FakeDingTalk> {
  const users = new Map<string, { name: string }>();
  const appKey = o.appKey ?? "ding-app-key";
  const appSecret = o.appSecret ?? "ding-app-secret";
  const calls: FakeCall[] = [];
  const acks: StreamFrame[] = [];
  const cards = new Map<string, Record<string, string>>();
  const files = new Map<string, FakeResource>();
  const downloads = new Map<string, string>(); // url token → downloadCode
  const faults: { left: number; fault: Fault; prefix?: string }[] = [];
  let windowFault: { until: number; fault: Fault; prefix?: string } | undefined;
  const tokens = new Set<string>();
  const tickets = new Set<string>();
  const sockets = new Set<WsSocket>();
  const hanging = new Set<ServerResponse>();
  let seq = 0;
  let url = "";
  const state = { connections: 0, subscriptions: [] as { type: string; topic: string }[] };
  const oauth = dingtalkOAuthFake(appKey, appSecret);

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const authed = (c: FakeCall) => tokens.has(c.headers["x-acs-dingtalk-access-token"] ?? "");

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? "/", url);
    const raw = await readBody(req);
    let body: any = undefined;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const call: FakeCall = { method: req.method ?? "GET", path: u.pathname, query: Object.fromEntries(u.searchParams), headers, body, at: Date.now() };
    calls.push(call);
    res.on("finish", () => (call.status = res.statusCode));

    const queued = faults.find((x) => x.left > 0 && (!x.prefix || u.pathname.startsWith(x.prefix)));
    const windowed = windowFault && Date.now() < windowFault.until && (!windowFault.prefix || u.pathname.startsWith(windowFault.prefix)) ? windowFault : undefined;
    const f = queued ?? windowed;
    if (f) {
      if (queued) queued.left--;
      if ("hangMs" in f.fault) {
        hanging.add(res);
        setTimeout(() => {
          hanging.delete(res);
          if (!res.writableEnded) send(res, 504, { code: "timeout" });
        }, f.fault.hangMs);
        return;
      }
      return send(res, f.fault.status, f.fault.body ?? { code: "fake.fault", message: "injected fault" });
    }

    if (oauth.handle(call, res, (t) => tokens.has(t))) return;
    const route = `${call.method} ${u.pathname}`;
    if (call.method === "GET" && u.pathname.startsWith("/files/")) {
      // The download URL itself: no token, it expires (an OSS link in the real service).
      const file = files.get(downloads.get(u.pathname.slice("/files/".length)) ?? "");
      if (!file) return send(res, 403, { code: "AccessDenied", message: "Request has expired." });
      return sendResource(res, file);
    }
    switch (route) {
      case "POST /v1.0/robot/messageFiles/download": {
        if (!authed(call)) return send(res, 401, { code: "InvalidAuthentication", message: "不合法的access_token" });
        if (body?.robotCode !== (o.robotCode ?? appKey)) return send(res, 400, { code: "invalidParameter.robotCode.notExist", message: "robotCode不存在" });
        if (!files.has(body?.downloadCode)) return send(res, 400, { code: "unknownError", message: "downloadCode无效" });
        const token = `f${++seq}`;
        downloads.set(token, body.downloadCode);
        return send(res, 200, { downloadUrl: `${url}/files/${token}` });
      }
      case "POST /topapi/v2/user/get": {
        // Old-style API: token in the query, errors as errcode in a 200 (https://open.dingtalk.com/document/orgapp/query-user-details).
        if (!tokens.has(u.searchParams.get("access_token") ?? "")) return send(res, 200, { errcode: 40014, errmsg: "不合法的access_token" });
        const user = users.get(body?.userid ?? "");
        if (!user) return send(res, 200, { errcode: 60121, errmsg: "找不到该用户" });
        return send(res, 200, { errcode: 0, errmsg: "ok", result: { userid: body.userid, name: user.name } });
      }
      case "POST /v1.0/oauth2/accessToken": {
        if (body?.appKey !== appKey || body?.appSecret !== appSecret) return send(res, 400, { code: "invalidClientIdOrSecret", message: "无效的clientId或clientSecret" });
        const t = `tok-${++seq}`;
        tokens.add(t);
        return send(res, 200, { accessToken: t, expireIn: o.expireIn ?? 7200 });
      }
      case "POST /v1.0/gateway/connections/open": {
        if (body?.clientId !== appKey || body?.clientSecret !== appSecret) return send(res, 401, { code: "InvalidAuthentication" });
        state.subscriptions = body.subscriptions ?? [];
        const ticket = `ticket-${++seq}`;
        tickets.add(ticket);
        return send(res, 200, { endpoint: `${url.replace(/^http/, "ws")}/connect`, ticket });
      }
      case "POST /v1.0/card/instances/createAndDeliver": {
        if (!authed(call)) return send(res, 401, { code: "InvalidAuthentication", message: "不合法的access_token" });
        if (!body?.cardTemplateId || !body?.outTrackId || !body?.openSpaceId) return send(res, 400, { code: "param.openDeliverModelEmpty" });
        if (cards.has(body.outTrackId)) return send(res, 400, { code: "param.cardAlreadyExist" });
        cards.set(body.outTrackId, { ...(body.cardData?.cardParamMap ?? {}) });
        const [, spaceType = "", spaceId = ""] = /^dtv1\.card\/\/([A-Z_]+)\.(.+)$/.exec(body.openSpaceId) ?? [];
        return send(res, 200, { success: true, result: { outTrackId: body.outTrackId, deliverResults: [{ spaceType, spaceId, success: true, carrierId: `carrier-${++seq}` }] } });
      }
      case "PUT /v1.0/card/instances": {
        if (!authed(call)) return send(res, 401, { code: "InvalidAuthentication" });
        const card = cards.get(body?.outTrackId);
        if (!card) return send(res, 400, { code: "param.cardNotExist", message: "卡片不存在" });
        const next = body.cardData?.cardParamMap ?? {};
        cards.set(body.outTrackId, body.cardUpdateOptions?.updateCardDataByKey ? { ...card, ...next } : { ...next });
        return send(res, 200, { success: true, result: true });
      }
      case "POST /v1.0/robot/groupMessages/send":
      case "POST /v1.0/robot/oToMessages/batchSend": {
        if (!authed(call)) return send(res, 401, { code: "InvalidAuthentication" });
        if (typeof body?.msgParam !== "string") return send(res, 400, { code: "invalidParameter.msgParam.invalid" });
        if (Buffer.byteLength(body.msgParam) > 15000) return send(res, 400, { code: "invalidParameter.msgParam.tooLong" });
        if (route.includes("batchSend")) {
          if (!Array.isArray(body.userIds) || body.userIds.length > 20) return send(res, 400, { code: "invalidParameter.userIds.overMax" });
          return send(res, 200, { processQueryKey: `pqk-${++seq}`, invalidStaffIdList: [], flowControlledStaffIdList: [] });
        }
        if (!body.openConversationId) return send(res, 400, { code: "invalid.openConversationId" });
        return send(res, 200, { processQueryKey: `pqk-${++seq}` });
      }
      case "POST /robot/sendBySession":
        if (!u.searchParams.get("session")) return send(res, 200, { errcode: 300001, errmsg: "session不存在" });
        return send(res, 200, { errcode: 0, errmsg: "ok" });
      case "POST /v1.0/card/callbacks/register":
        if (!authed(call)) return send(res, 401, { code: "InvalidAuthentication" });
        return send(res, 200, { success: true, result: { callbackUrl: body?.callbackUrl, apiSecret: body?.apiSecret } });
      default:
        return send(res, 404, { code: "NotFound", message: route });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => send(res, 500, { code: "fake.crash", message: String(e) }));
  });
  const wss = createWsServer();
  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const u = new URL(req.url ?? "/", url);
    const ticket = u.searchParams.get("ticket") ?? "";
    // A ticket is good for exactly one connection (https://open-dingtalk.github.io/developerpedia/docs/learn/stream/protocol).
    if (u.pathname !== "/connect" || !tickets.delete(ticket)) {
      socket.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      state.connections++;
      sockets.add(ws);
      ws.on("message", (d) => {
        try {
          acks.push(JSON.parse(d.toString()) as StreamFrame);
        } catch {
          /* not a frame */
        }
      });
      ws.on("close", () => sockets.delete(ws));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const frame = (type: string, topic: string, data: unknown) => {
    const messageId = `msg-${++seq}`;
    const f = {
      specVersion: "1.0",
      type,
      headers: { appId: "fake-app", connectionId: "fake-conn", contentType: "application/json", messageId, time: String(Date.now()), topic },
      data: typeof data === "string" ? data : JSON.stringify(data),
    };
    if (!sockets.size) throw new Error("fake dingtalk: no Stream client connected");
    for (const s of sockets) s.send(JSON.stringify(f));
    return messageId;
  };

  return {
    url,
    calls,
    acks,
    cards,
    users,
    files,
    get subscriptions() {
      return state.subscriptions;
    },
    get connections() {
      return state.connections;
    },
    sessionWebhookUrl: (session = `s-${++seq}`) => `${url}/robot/sendBySession?session=${session}`,
    failNext(n, fault, pathPrefix) {
      faults.push({ left: n, fault, prefix: pathPrefix });
    },
    failFor(ms, fault, pathPrefix) {
      windowFault = { until: Date.now() + ms, fault, prefix: pathPrefix };
    },
    callsTo: (path) => calls.filter((c) => c.path === path),
    oauth,
    pushStream: (topic, data) => frame("CALLBACK", topic, data),
    pushSystem: (topic, data) => frame("SYSTEM", topic, data),
    async waitForAck(messageId, timeoutMs = 5_000) {
      await until(() => acks.some((a) => a.headers?.messageId === messageId), timeoutMs, `ACK of ${messageId}`);
      return acks.find((a) => a.headers.messageId === messageId)!;
    },
    waitForConnections: (n, timeoutMs = 5_000) => until(() => state.connections >= n && sockets.size > 0, timeoutMs, `${n} Stream connections`),
    dropConnections() {
      for (const s of sockets) s.terminate();
    },
    async close() {
      for (const s of sockets) s.terminate();
      for (const r of hanging) r.destroy();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
