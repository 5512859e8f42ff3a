// One POST on its own connection, for bodies fetch would refuse or reuse a socket after (oversized,
// chunked without a length): the server may answer and close before the upload ends.
import http from "node:http";

export interface RawAnswer {
  status?: number;
  body?: string;
  error?: string;
}

export function postRaw(base: string, path: string, body: string | { chunk: Buffer; total: number }, headers: Record<string, string>, timeoutMs = 15_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const u = new URL(path, base);
    let settled = false;
    let answered = false;
    const done = (a: RawAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(a);
    };
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: "POST", agent: false, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () => done({ status: res.statusCode, body: Buffer.concat(parts).toString("utf8") }));
      res.on("error", () => done({ status: res.statusCode }));
      answered = true;
    });
    const timer = setTimeout(() => {
      req.destroy();
      done({ error: "timeout" });
    }, timeoutMs);
    // An error after the answer started (EPIPE while we were still uploading) is not the outcome.
    req.on("error", (e: NodeJS.ErrnoException) => setTimeout(() => done({ error: e.code ?? e.message }), answered ? 1_000 : 50));
    if (typeof body === "string") {
      req.end(body);
      return;
    }
    let sent = 0;
    const pump = () => {
      while (sent < body.total && !answered && !req.destroyed) {
        sent += body.chunk.length;
        if (!req.write(body.chunk)) return void req.once("drain", pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}
