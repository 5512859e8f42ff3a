// WebCrypto helpers (HMAC-SHA256, random tokens, constant-time compare) that run on Node and Workers.
const enc = new TextEncoder();

export function b64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromB64url(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return undefined;
  try {
    const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

export const encodeText = (s: string) => b64url(enc.encode(s));
export const decodeText = (s: string): string | undefined => {
  const bytes = fromB64url(s);
  if (!bytes) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
};

export const randomToken = (bytes = 18): string => b64url(crypto.getRandomValues(new Uint8Array(bytes)));

export interface Signer {
  sign(data: string): Promise<string>;
  /** Constant-time check (crypto.subtle.verify). */
  verify(data: string, signature: string): Promise<boolean>;
}

export function hmacSigner(secret: string): Signer {
  let key: Promise<CryptoKey> | undefined;
  const getKey = () => (key ??= crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]));
  return {
    async sign(data) {
      return b64url(new Uint8Array(await crypto.subtle.sign("HMAC", await getKey(), enc.encode(data))));
    },
    async verify(data, signature) {
      const sig = fromB64url(signature);
      if (!sig || sig.length !== 32) return false;
      return crypto.subtle.verify("HMAC", await getKey(), new Uint8Array(sig), enc.encode(data));
    },
  };
}

/** Compare two secrets without leaking where they differ (both are hashed first, so lengths don't matter). */
export async function secretEquals(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([a, b].map(async (s) => new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(s)))));
  let diff = 0;
  for (let i = 0; i < x!.length; i++) diff |= x![i]! ^ y![i]!;
  return diff === 0;
}

/** base64url SHA-256: what the database keeps of a session id instead of the id itself. */
export async function sha256(s: string): Promise<string> {
  return b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(s))));
}
