// DingTalk callback signatures (robot: https://open.dingtalk.com/document/development/receive-message; cards: https://open.dingtalk.com/document/development/event-callback-card), on WebCrypto
// so the same code runs in Node and in a Cloudflare Worker.
import { ChatDeskError } from "../../core/errors.js";

/** Robot callbacks: the timestamp may differ from now by at most one hour (https://open.dingtalk.com/document/development/receive-message). */
export const SIGN_WINDOW_MS = 60 * 60 * 1000;

const enc = new TextEncoder();

function toBase64(bytes: ArrayBuffer): string {
  let s = "";
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(s: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    const bin = atob(s.trim());
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

const hmacKey = (secret: string, usage: "sign" | "verify") =>
  crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [usage]);

async function hmacBase64(secret: string, data: string): Promise<string> {
  return toBase64(await crypto.subtle.sign("HMAC", await hmacKey(secret, "sign"), enc.encode(data)));
}

/** subtle.verify compares in constant time, which a string === would not. */
async function hmacMatches(secret: string, data: string, signature: string): Promise<boolean> {
  const sig = fromBase64(signature);
  if (!sig || sig.length !== 32) return false;
  return crypto.subtle.verify("HMAC", await hmacKey(secret, "verify"), sig, enc.encode(data));
}

function checkTimestamp(timestamp: string | undefined | null, now: number, windowMs: number): void {
  if (!timestamp || !/^\d+$/.test(timestamp.trim())) throw new ChatDeskError("SIGNATURE_INVALID", "missing or malformed timestamp header");
  let ts = Number(timestamp.trim());
  if (ts < 1e12) ts *= 1000; // seconds, should a sender use them
  if (Math.abs(now - ts) > windowMs) {
    throw new ChatDeskError("TIMESTAMP_STALE", "callback timestamp outside the accepted window", { timestamp: ts, now });
  }
}

/** sign = Base64(HmacSHA256(key = appSecret, data = timestamp + "\n" + appSecret)). */
export function signRobotCallback(timestamp: string, appSecret: string): Promise<string> {
  return hmacBase64(appSecret, `${timestamp}\n${appSecret}`);
}

/**
 * Verify a robot HTTP callback's `timestamp` + `sign` headers. The body is not covered by the
 * signature, so the route also refuses the pair with another message (routes.ts) and dedupes on msgId
 * (https://open.dingtalk.com/document/development/receive-message).
 */
export async function verifyRobotCallback(
  headers: { timestamp?: string | null; sign?: string | null },
  appSecret: string,
  now: number = Date.now(),
  windowMs: number = SIGN_WINDOW_MS,
): Promise<SignedPair> {
  checkTimestamp(headers.timestamp, now, windowMs);
  const timestamp = headers.timestamp!.trim();
  if (!headers.sign || !(await hmacMatches(appSecret, `${timestamp}\n${appSecret}`, headers.sign))) {
    throw new ChatDeskError("SIGNATURE_INVALID", "robot callback signature mismatch");
  }
  return { timestamp, signature: canonical(headers.sign) };
}

/** A verified (timestamp, signature) pair, the signature in canonical base64. */
export interface SignedPair {
  timestamp: string;
  signature: string;
}

// Base64 decoding forgives padding bits and whitespace, so several spellings of one signature verify
// alike; a replay check must see them as one.
const canonical = (signature: string): string => toBase64(fromBase64(signature)!.buffer);

/** Card callbacks: x-ddpaas-signature = Base64(HmacSHA256(key = apiSecret, data = timestamp)). */
export function signCardCallback(timestamp: string, apiSecret: string): Promise<string> {
  return hmacBase64(apiSecret, timestamp);
}

/**
 * Card callbacks: DingTalk documents no time window for x-ddpaas-signature-timestamp
 * (https://open.dingtalk.com/document/development/event-callback-card), and a click is delivered at once
 * (the answer is due within 2 s), so five minutes leave room for clock skew and little for replay.
 */
export const CARD_SIGN_WINDOW_MS = 5 * 60 * 1000;

/**
 * Verify a card callback's `x-ddpaas-signature-timestamp` + `x-ddpaas-signature`. The signature covers
 * only the timestamp, so the route also refuses a second use of the same pair (routes.ts).
 */
export async function verifyCardCallback(
  headers: { timestamp?: string | null; signature?: string | null },
  apiSecret: string,
  now: number = Date.now(),
  windowMs: number = CARD_SIGN_WINDOW_MS,
): Promise<SignedPair> {
  checkTimestamp(headers.timestamp, now, windowMs);
  const timestamp = headers.timestamp!.trim();
  if (!headers.signature || !(await hmacMatches(apiSecret, timestamp, headers.signature))) {
    throw new ChatDeskError("SIGNATURE_INVALID", "card callback signature mismatch");
  }
  return { timestamp, signature: canonical(headers.signature) };
}
