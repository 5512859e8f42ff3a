// Web sign-in pieces both sandbox platforms share: single-use codes bound to their redirect URI, user
// tokens, and who is asking (the persona the playground page chose, kept in a cookie on /playground).
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { Persona } from "../personas.js";

export const PERSONA_COOKIE = "pg_persona";

/** The persona chosen on the sign-in page (?as=) or on the playground page (cookie). */
export function personaFromCookie(c: Context, personas: Persona[]): Persona | undefined {
  const id = c.req.query("as") ?? getCookie(c, PERSONA_COOKIE);
  return id ? personas.find((p) => p.id === id) : undefined;
}

export function oauthCodes<U>() {
  const codes = new Map<string, { user: U; redirect: string; exp: number }>();
  const tokens = new Map<string, { user: U; exp: number }>();
  const random = () => crypto.randomUUID().replace(/-/g, "");
  return {
    issue(user: U, redirect: string): string {
      const code = `pgc${random()}`;
      codes.set(code, { user, redirect, exp: Date.now() + 5 * 60_000 });
      return code;
    },
    /** The code's user when it is fresh and was issued for this redirect URI (empty: any); spent either way. */
    take(code: string, redirect: string): U | undefined {
      const c = codes.get(code);
      codes.delete(code);
      if (!c || c.exp < Date.now() || (redirect && c.redirect !== redirect)) return undefined;
      return c.user;
    },
    token(user: U): string {
      const t = `pgu${random()}`;
      tokens.set(t, { user, exp: Date.now() + 2 * 60 * 60_000 });
      return t;
    },
    user(token: string): U | undefined {
      const t = tokens.get(token);
      return t && t.exp > Date.now() ? t.user : undefined;
    },
  };
}
