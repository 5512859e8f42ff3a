// The long-connection side of the fake Feishu (https://github.com/larksuite/node-sdk ws-client): WSClient asks POST /callback/ws/endpoint
// for a socket URL, connects, and receives `data` frames of type "event"; it answers each with an ACK
// frame whose payload is {code, data: base64(JSON handler result)}.
import type { IncomingMessage, Server } from "node:http";
import type { Socket } from "node:net";
import { decodeFrame, encodeFrame, type WsFrame } from "./feishu-ws-frame.js";
import { createWsServer, type WsSocket } from "./ws-server.js";

export interface WsAck {
  messageId: string;
  /** 200 when the handler finished, 500 when it threw (Feishu then re-pushes). */
  code: number;
  /** The handler's return value (the card-callback response), decoded. */
  data?: unknown;
  frame: WsFrame;
}

export interface FakeWsGateway {
  /** Sockets currently open. */
  connections(): number;
  /** Push an event (v2 envelope) to every connected client; returns the frame's message_id. */
  push(payload: unknown): string;
  waitForAck(messageId: string, timeoutMs?: number): Promise<WsAck>;
  acks: WsAck[];
  /** Answer for POST /callback/ws/endpoint. */
  endpointAnswer(appId: unknown): { code: number; msg: string; data?: unknown };
  close(): void;
}

const SERVICE_ID = 7;
const utf8 = new TextEncoder();

export async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function attachWsGateway(server: Server, baseUrl: () => string, appId: string): FakeWsGateway {
  const wss = createWsServer();
  const sockets = new Set<WsSocket>();
  const acks: WsAck[] = [];
  let seq = 0;

  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const u = new URL(req.url ?? "/", baseUrl());
    if (u.pathname !== "/ws" || u.searchParams.get("service_id") !== String(SERVICE_ID)) {
      socket.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on("message", (d) => {
        const f = decodeFrame(new Uint8Array(d));
        const h = Object.fromEntries(f.headers.map((x) => [x.key, x.value]));
        if (f.method !== 1 || h.type !== "event") return; // pings and other control frames
        const body = JSON.parse(new TextDecoder().decode(f.payload ?? new Uint8Array())) as { code: number; data?: string };
        const data = body.data ? (JSON.parse(Buffer.from(body.data, "base64").toString("utf8")) as unknown) : undefined;
        acks.push({ messageId: h.message_id ?? "", code: body.code, data, frame: f });
      });
      ws.on("close", () => sockets.delete(ws));
    });
  });

  return {
    connections: () => sockets.size,
    acks,
    push(payload) {
      if (!sockets.size) throw new Error("fake feishu: no long-connection client connected");
      const messageId = `ws_msg_${++seq}`;
      const frame = encodeFrame({
        SeqID: seq,
        LogID: seq,
        service: SERVICE_ID,
        method: 1,
        headers: [
          { key: "type", value: "event" },
          { key: "message_id", value: messageId },
          { key: "sum", value: "1" },
          { key: "seq", value: "0" },
          { key: "trace_id", value: `trace_${seq}` },
        ],
        payload: utf8.encode(JSON.stringify(payload)),
      });
      for (const s of sockets) s.send(frame);
      return messageId;
    },
    async waitForAck(messageId, timeoutMs = 10_000) {
      await until(() => acks.some((a) => a.messageId === messageId), timeoutMs, `the ACK of ${messageId}`);
      return acks.find((a) => a.messageId === messageId)!;
    },
    endpointAnswer(id) {
      if (id !== appId) return { code: 514, msg: "auth failed" };
      const ws = baseUrl().replace(/^http/, "ws");
      return {
        code: 0,
        msg: "ok",
        // Long intervals: no ping or reconnect noise during a test.
        data: { URL: `${ws}/ws?device_id=fake_device&service_id=${SERVICE_ID}`, ClientConfig: { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 } },
      };
    },
    close() {
      for (const s of sockets) s.terminate();
      wss.close();
    },
  };
}
