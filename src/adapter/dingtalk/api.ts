// One fetch wrapper for every DingTalk HTTP call (token, cards, robot messages, session webhook):
// timeout, JSON decoding and the failure → PlatformError mapping live here so they cannot drift.
import { PlatformError } from "../../platform/port.js";

export interface ApiOptions {
  fetch: typeof fetch;
  timeoutMs: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Throttling answers, worth retrying after a pause. Codes from
 * https://open.dingtalk.com/document/development/how-to-process-api-throttling-on-the-dingtalk-server,
 * https://open.dingtalk.com/document/development/the-robot-sends-a-group-message,
 * https://open.dingtalk.com/document/development/custom-robots-send-group-messages and
 * https://open.dingtalk.com/document/development/interactive-card-update-interface.
 */
const THROTTLE_CODES = /QpsLimit|tooFast|too\.fast|too\.many|system\.busy|ServiceUnavailable|Throttl/i;
const RETRY_ERRCODES: Record<number, number> = {
  90018: 1_000, // per-app QPS (old API)
  90002: 1_000, // per-API global QPS (old API)
  410100: 600_000, // webhook robot throttled for 10 minutes
  [-1]: 1_000, // "system busy" on old APIs
};

type Json = Record<string, unknown>;

function retryAfterHeader(res: Response): number | undefined {
  const h = res.headers.get("retry-after");
  if (!h) return undefined;
  const secs = Number(h);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(h);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/** Map a DingTalk error answer (any status; body already decoded when it was JSON). */
export function toPlatformError(what: string, status: number, body: unknown, retryAfter?: number): PlatformError {
  const b = (body && typeof body === "object" ? body : {}) as Json;
  const code = typeof b.code === "string" ? b.code : undefined;
  const errcode = typeof b.errcode === "number" ? b.errcode : typeof b.errorCode === "number" ? b.errorCode : undefined;
  const detail = [code, errcode, b.message ?? b.errmsg].filter((x) => x !== undefined && x !== "").join(" ");
  const msg = `DingTalk ${what} failed (HTTP ${status}${detail ? `: ${detail}` : ""})`;
  // IP ban (https://open.dingtalk.com/document/development/how-to-process-api-throttling-on-the-dingtalk-server): {"status":1111,"wait":5} — banned for minutes.
  if (b.status === 1111) return new PlatformError(msg, true, status, Number(b.wait ?? 5) * 60_000);
  if (status === 429) return new PlatformError(msg, true, status, retryAfter ?? 1_000);
  if (code && THROTTLE_CODES.test(code)) return new PlatformError(msg, true, status, retryAfter ?? (/send|many/i.test(code) ? 60_000 : 1_000));
  if (errcode !== undefined && errcode in RETRY_ERRCODES) return new PlatformError(msg, true, status, retryAfter ?? RETRY_ERRCODES[errcode]);
  if (status >= 500) return new PlatformError(msg, true, status, retryAfter);
  return new PlatformError(msg, false, status);
}

/** Token rejected by the platform: the caller drops its cached token and tries once more. */
export function isAuthError(e: unknown): boolean {
  if (!(e instanceof PlatformError)) return false;
  return e.status === 401 || /InvalidAuthentication|Unauthorized|40014|InvalidToken/i.test(e.message);
}

/**
 * Call DingTalk and return the decoded JSON body. Throws PlatformError: network, timeout, 5xx and
 * throttling are retryable; other 4xx are not. `okWhen` rejects 200 answers that carry an error
 * (old-style `errcode`, card `success:false`).
 */
export async function callApi<T = Json>(
  o: ApiOptions,
  what: string,
  url: string,
  init: { method: string; body?: unknown; headers?: Record<string, string> },
): Promise<T> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), o.timeoutMs);
  let res: Response;
  let text: string;
  try {
    res = await o.fetch(url, {
      method: init.method,
      headers: { "content-type": "application/json", accept: "application/json", ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: ctrl.signal,
    });
    text = await res.text();
  } catch (e) {
    const timedOut = ctrl.signal.aborted;
    throw new PlatformError(`DingTalk ${what} ${timedOut ? `timed out after ${o.timeoutMs} ms` : `network error: ${(e as Error).message}`}`, true);
  } finally {
    clearTimeout(timer);
  }
  let body: unknown;
  try {
    body = text === "" ? {} : JSON.parse(text);
  } catch {
    // An HTML page instead of JSON is what the IP ban and gateways in trouble answer.
    throw new PlatformError(`DingTalk ${what} answered non-JSON (HTTP ${res.status})`, res.ok || res.status >= 500 || res.status === 429, res.status);
  }
  if (!res.ok) throw toPlatformError(what, res.status, body, retryAfterHeader(res));
  const b = body as Json;
  if ((typeof b.errcode === "number" && b.errcode !== 0) || b.success === false || b.status === 1111) {
    throw toPlatformError(what, res.status, body);
  }
  return body as T;
}

/** UTF-8 byte length: DingTalk's size limits are in bytes. */
export const byteLength = (s: string): number => new TextEncoder().encode(s).length;
