// The `ws` server both fake platforms' long-connection gateways use. `ws` ships no types and @types/ws
// is not installed: this describes the little the fakes use.
import type { IncomingMessage } from "node:http";
import { createRequire } from "node:module";
import type { Socket } from "node:net";

export interface WsSocket {
  send(data: string | Uint8Array): void;
  close(code?: number): void;
  terminate(): void;
  on(ev: "message", fn: (data: Buffer) => void): void;
  on(ev: "close", fn: () => void): void;
}

export interface WsServer {
  handleUpgrade(req: IncomingMessage, socket: Socket, head: Buffer, cb: (ws: WsSocket) => void): void;
  close(): void;
}

const { WebSocketServer } = createRequire(import.meta.url)("ws") as { WebSocketServer: new (o: { noServer: true }) => WsServer };

/** A WebSocket server without its own port: the fake's HTTP server hands it upgrades. */
export const createWsServer = (): WsServer => new WebSocketServer({ noServer: true });
