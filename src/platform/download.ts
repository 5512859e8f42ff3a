// Attachment downloads from a platform's resource API: what to fetch, what comes back, and the 10 MB
// bound (docs/spec.md: "≤ 10 MB each"), checked on the declared Content-Length and again while reading,
// since a declared length can lie or be missing.
import type { AttachmentRef, Downloaded } from "./fetched.js";
import { PlatformError } from "./port.js";

export type { AttachmentRef, Downloaded };

/** docs/spec.md: attachments ≤ 10 MB each. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** Over the bound: declared so, or found so while reading. Not worth retrying. */
export class AttachmentTooBigError extends PlatformError {
  readonly code = "ATTACHMENT_TOO_BIG";
  constructor(
    readonly bytes: number,
    readonly limit: number,
    readonly declared: boolean,
  ) {
    super(`attachment is larger than ${limit} bytes (${declared ? "declared" : "read"} ${bytes})`, false);
    this.name = "AttachmentTooBigError";
  }
}

type Chunks = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

async function* chunksOf(body: Chunks): AsyncGenerator<Uint8Array> {
  if (Symbol.asyncIterator in body) {
    for await (const c of body as AsyncIterable<Uint8Array>) yield c;
    return;
  }
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) return;
      yield r.value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Read a body to the end, at most `limit` bytes. A declared Content-Length over the limit fails before
 * reading; a body that runs past it fails as soon as it does (`abort` stops the transfer).
 */
export async function readCapped(body: Chunks, o: { contentLength?: string | null; limit: number; abort?: () => void }): Promise<Uint8Array> {
  const declared = o.contentLength != null && /^\d+$/.test(o.contentLength) ? Number(o.contentLength) : undefined;
  if (declared !== undefined && declared > o.limit) {
    o.abort?.();
    throw new AttachmentTooBigError(declared, o.limit, true);
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const c of chunksOf(body)) {
    total += c.byteLength;
    if (total > o.limit) {
      o.abort?.();
      throw new AttachmentTooBigError(total, o.limit, false);
    }
    parts.push(c);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** The file name in a Content-Disposition header (RFC 6266: filename* wins over filename). */
export function dispositionName(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim());
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/.exec(header);
  const v = (plain?.[1] ?? plain?.[2])?.trim();
  return v || undefined;
}
