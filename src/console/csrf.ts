// CSRF tokens: an HMAC of the session id (or, before sign-in, of the login form's nonce), so a
// token is bound to one browser session and cannot be forged without the server's key.
import type { Signer } from "./crypto.js";

export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "x-csrf-token";

export const csrfToken = (signer: Signer, sid: string) => signer.sign(`csrf.${sid}`);

export async function csrfValid(signer: Signer, sid: string | undefined, token: string | undefined): Promise<boolean> {
  if (!sid || !token) return false;
  return signer.verify(`csrf.${sid}`, token);
}

/**
 * Browsers send Origin on every cross-site POST; one that names another site is refused even before
 * the token is checked. A missing or opaque ("null") Origin, which some in-app webviews send, leaves
 * the decision to the token.
 */
export function sameOrigin(origin: string | undefined, requestUrl: string, publicUrl?: string): boolean {
  if (!origin || origin === "null") return true;
  const allowed = new Set([new URL(requestUrl).origin]);
  if (publicUrl) allowed.add(new URL(publicUrl).origin);
  return allowed.has(origin);
}
