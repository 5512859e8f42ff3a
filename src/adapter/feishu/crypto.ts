// Feishu webhook security: AES-256-CBC envelope, request signatures, verification token.
// WebCrypto only (globalThis.crypto.subtle) so the same code runs in Node and in a Worker.
import { ChatDeskError } from "../../core/errors.js";
import type { FeishuSettings } from "../../config/env.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Feishu pushes are retried for hours, but each push is re-signed, so a short window is safe. */
export const TIMESTAMP_WINDOW_SECONDS = 5 * 60;

function toHex(buf: ArrayBuffer): string {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
}

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function bytesToBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Derived once per key and use: hashing and importing it on every event was ~9 % of the ack's CPU. */
const keys = new Map<string, Promise<CryptoKey>>();

function aesKey(encryptKey: string, usage: "encrypt" | "decrypt"): Promise<CryptoKey> {
  const id = `${usage}:${encryptKey}`;
  let key = keys.get(id);
  if (!key) {
    key = crypto.subtle.digest("SHA-256", enc.encode(encryptKey)).then((raw) => crypto.subtle.importKey("raw", raw, { name: "AES-CBC" }, false, [usage]));
    if (keys.size > 16) keys.clear(); // a handful of keys in practice (one per app; tests use several)
    keys.set(id, key);
    key.catch(() => keys.delete(id));
  }
  return key;
}

/** base64(iv || AES-256-CBC(PKCS7(plain))) with key = SHA256(encryptKey) → plaintext. */
export async function decryptFeishu(encrypted: string, encryptKey: string): Promise<string> {
  const bytes = base64ToBytes(encrypted);
  if (bytes.length < 32 || bytes.length % 16 !== 0) throw new Error("ciphertext has a bad length");
  const key = await aesKey(encryptKey, "decrypt");
  const plain = await crypto.subtle.decrypt({ name: "AES-CBC", iv: bytes.slice(0, 16) }, key, bytes.slice(16));
  return dec.decode(plain);
}

/** Inverse of decryptFeishu; used by tests and fakes. A fixed iv makes vectors reproducible. */
export async function encryptFeishu(plain: string, encryptKey: string, iv?: Uint8Array): Promise<string> {
  const ivBytes = new Uint8Array(16);
  if (iv) ivBytes.set(iv.subarray(0, 16));
  else crypto.getRandomValues(ivBytes);
  const key = await aesKey(encryptKey, "encrypt");
  const cipher = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-CBC", iv: ivBytes }, key, enc.encode(plain)));
  const out = new Uint8Array(16 + cipher.length);
  out.set(ivBytes, 0);
  out.set(cipher, 16);
  return bytesToBase64(out);
}

/** X-Lark-Signature: hex(sha256(timestamp + nonce + encryptKey + rawBody)). */
export async function signature(timestamp: string, nonce: string, encryptKey: string, rawBody: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", enc.encode(timestamp + nonce + encryptKey + rawBody)));
}

/** Legacy card callbacks (card.action.trigger_v1): hex(sha1(timestamp + nonce + verificationToken + rawBody)). */
export async function legacyCardSignature(timestamp: string, nonce: string, token: string, rawBody: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-1", enc.encode(timestamp + nonce + token + rawBody)));
}

function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === want) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A legacy (v1) card callback: no schema/encrypt/type, an `action` plus the clicker at top level. */
export function isLegacyCardCallback(body: Record<string, unknown>): boolean {
  return !("schema" in body) && !("encrypt" in body) && !("type" in body) && isObject(body.action) && ("open_id" in body || "open_message_id" in body);
}

export interface VerifyInput {
  headers: HeaderSource;
  rawBody: string;
  settings: Pick<FeishuSettings, "encryptKey" | "verificationToken">;
  /** Epoch ms; defaults to Date.now(). */
  now?: number;
}

/**
 * Authenticates one webhook POST and returns the decrypted JSON payload.
 * Throws ChatDeskError: PAYLOAD_INVALID (not JSON / undecryptable), SIGNATURE_INVALID,
 * TIMESTAMP_STALE, TOKEN_INVALID. Fails closed when neither key nor token is configured.
 */
export async function verifyFeishuRequest(input: VerifyInput): Promise<Record<string, unknown>> {
  const { headers, rawBody, settings } = input;
  const now = input.now ?? Date.now();
  let outer: unknown;
  try {
    outer = JSON.parse(rawBody);
  } catch {
    throw new ChatDeskError("PAYLOAD_INVALID", "body is not JSON");
  }
  if (!isObject(outer)) throw new ChatDeskError("PAYLOAD_INVALID", "body is not a JSON object");

  let payload = outer;
  if (typeof outer.encrypt === "string") {
    if (!settings.encryptKey) throw new ChatDeskError("PAYLOAD_INVALID", "encrypted body but no encrypt key configured");
    try {
      const inner: unknown = JSON.parse(await decryptFeishu(outer.encrypt, settings.encryptKey));
      if (!isObject(inner)) throw new Error("not an object");
      payload = inner;
    } catch {
      throw new ChatDeskError("PAYLOAD_INVALID", "cannot decrypt body");
    }
  }

  // url_verification carries no signature headers (https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/request-url-configuration-case): the token is the only check.
  if (payload.type === "url_verification") {
    checkToken(payload.token, settings.verificationToken, !!settings.encryptKey);
    return payload;
  }

  const ts = header(headers, "x-lark-request-timestamp");
  const nonce = header(headers, "x-lark-request-nonce");
  const sig = header(headers, "x-lark-signature");
  const legacy = isLegacyCardCallback(payload);

  if (legacy) {
    // Legacy card callbacks are never encrypted and are signed with the verification token (SHA1).
    if (!settings.verificationToken) throw new ChatDeskError("SIGNATURE_INVALID", "legacy card callback needs a verification token");
    if (!ts || !nonce || !sig) throw new ChatDeskError("SIGNATURE_INVALID", "missing signature headers");
    const want = await legacyCardSignature(ts, nonce, settings.verificationToken, rawBody);
    if (!safeEqual(want, sig.toLowerCase())) throw new ChatDeskError("SIGNATURE_INVALID", "bad signature");
    checkTimestamp(ts, now);
    return payload;
  }

  if (settings.encryptKey) {
    if (!ts || !nonce || !sig) throw new ChatDeskError("SIGNATURE_INVALID", "missing signature headers");
    // Hash the raw bytes as received: re-serialised JSON may differ (https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/encrypt-key-encryption-configuration-case).
    const want = await signature(ts, nonce, settings.encryptKey, rawBody);
    if (!safeEqual(want, sig.toLowerCase())) throw new ChatDeskError("SIGNATURE_INVALID", "bad signature");
    checkTimestamp(ts, now);
  }
  const h = isObject(payload.header) ? payload.header : undefined;
  checkToken(h ? h.token : payload.token, settings.verificationToken, !!settings.encryptKey);
  return payload;
}

function checkTimestamp(ts: string, now: number): void {
  const secs = Number(ts);
  if (!Number.isFinite(secs)) throw new ChatDeskError("TIMESTAMP_STALE", "bad timestamp");
  if (Math.abs(now / 1000 - secs) > TIMESTAMP_WINDOW_SECONDS) throw new ChatDeskError("TIMESTAMP_STALE", "timestamp outside the allowed window");
}

function checkToken(got: unknown, want: string | undefined, signed: boolean): void {
  if (!want) {
    // A verified signature authenticates the request on its own; with neither, nothing does.
    if (signed) return;
    throw new ChatDeskError("TOKEN_INVALID", "no verification token or encrypt key configured");
  }
  if (typeof got !== "string" || !safeEqual(got, want)) throw new ChatDeskError("TOKEN_INVALID", "verification token mismatch");
}
