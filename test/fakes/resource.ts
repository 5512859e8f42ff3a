// A file the fake platforms serve (Feishu's message resources, DingTalk's download URLs), and how it is
// sent: with Content-Length, or chunked without one (a size the client can only count while reading).
import type { ServerResponse } from "node:http";

export interface FakeResource {
  bytes: Uint8Array;
  contentType?: string;
  /** Sent as Content-Disposition's file name, as Feishu does for files. */
  fileName?: string;
  chunked?: boolean;
}

/** The file itself, as the platforms stream it: binary, its type, and for files a Content-Disposition name. */
export function sendResource(res: ServerResponse, r: FakeResource): void {
  const headers: Record<string, string> = { "content-type": r.contentType ?? "application/octet-stream" };
  if (r.fileName) headers["content-disposition"] = `attachment; filename="${encodeURIComponent(r.fileName)}"; filename*=UTF-8''${encodeURIComponent(r.fileName)}`;
  if (!r.chunked) {
    res.writeHead(200, { ...headers, "content-length": String(r.bytes.byteLength) });
    res.end(r.bytes);
    return;
  }
  res.writeHead(200, headers);
  const step = 256 * 1024;
  let at = 0;
  const more = () => {
    while (at < r.bytes.byteLength && !res.destroyed) {
      const ok = res.write(r.bytes.subarray(at, (at += step)));
      if (!ok) return void res.once("drain", more);
    }
    res.end();
  };
  res.on("error", () => {});
  more();
}

