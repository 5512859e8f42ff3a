// Signed cookies: the session reference (a random id and its expiry; who signed in is kept server-side,
// see src/store/console-sessions.ts) and the short-lived OAuth state.
// Value = base64url(JSON) + "." + HMAC over purpose + payload, so one kind can't pass for another.
import { decodeText, encodeText, type Signer } from "./crypto.js";

export type SignInVia = "feishu" | "dingtalk" | "admin";

/** What the session cookie carries: nothing about who, so nothing in it can claim a person or the admin. */
export interface SessionRef {
  /** Random id (the database keeps its SHA-256); the CSRF token is derived from it. */
  sid: string;
  /** Expiry, epoch ms. */
  exp: number;
}

/** A live session as read from the database. */
export interface Session {
  /** Random id; the CSRF token is derived from it. */
  sid: string;
  /** A configured person's id, or "" for the admin token without a person. */
  personId: string;
  name: string;
  via: SignInVia;
  /** Signed in with the admin token (super-user for first set-up). */
  admin: boolean;
  /** Expiry, epoch ms. */
  exp: number;
}

export interface OAuthState {
  nonce: string;
  provider: "feishu" | "dingtalk";
  /** Console path to return to after sign-in. */
  next: string;
  exp: number;
}

export const SESSION_COOKIE = "cd_session";
export const STATE_COOKIE = "cd_oauth";
export const LANG_COOKIE = "cd_lang";
export const SESSION_TTL_MS = 12 * 60 * 60_000;
export const STATE_TTL_MS = 10 * 60_000;

export interface SignedCodec<T extends { exp: number }> {
  encode(value: T): Promise<string>;
  /** undefined when tampered, malformed or expired. */
  decode(raw: string | undefined, nowMs: number): Promise<T | undefined>;
}

export function signedCodec<T extends { exp: number }>(signer: Signer, purpose: string, check: (v: unknown) => v is T): SignedCodec<T> {
  return {
    async encode(value) {
      const payload = encodeText(JSON.stringify(value));
      return `${payload}.${await signer.sign(`${purpose}.${payload}`)}`;
    },
    async decode(raw, nowMs) {
      if (!raw || raw.length > 4096) return undefined;
      const dot = raw.indexOf(".");
      if (dot <= 0) return undefined;
      const payload = raw.slice(0, dot);
      if (!(await signer.verify(`${purpose}.${payload}`, raw.slice(dot + 1)))) return undefined;
      const text = decodeText(payload);
      if (!text) return undefined;
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch {
        return undefined;
      }
      if (!check(v) || v.exp <= nowMs) return undefined;
      return v;
    },
  };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

export const isSessionRef = (v: unknown): v is SessionRef => isObj(v) && typeof v.sid === "string" && v.sid.length >= 32 && typeof v.exp === "number";

export const isSignInVia = (v: unknown): v is SignInVia => v === "feishu" || v === "dingtalk" || v === "admin";

export const isOAuthState = (v: unknown): v is OAuthState =>
  isObj(v) && typeof v.nonce === "string" && (v.provider === "feishu" || v.provider === "dingtalk") && typeof v.next === "string" && typeof v.exp === "number";

/** Only console pages may be returned to after sign-in (no open redirect, no sign-in loop). */
export function safeNext(next: string | undefined, base: string): string {
  const fallback = `${base}/tickets`;
  if (!next || !next.startsWith("/") || /[\\\r\n\t]/.test(next)) return fallback;
  // Resolved the way a browser will ("//host", "/console/../x", "%2e%2e" all normalised first).
  const origin = "http://console.invalid";
  let u: URL;
  try {
    u = new URL(next, origin);
  } catch {
    return fallback;
  }
  const path = u.pathname;
  if (u.origin !== origin || !path.startsWith(`${base}/`)) return fallback;
  if (path.startsWith(`${base}/auth/`) || path === `${base}/login` || path === `${base}/logout` || path === `${base}/lang`) return fallback;
  return `${path}${u.search}`;
}
