// The console's cookies: HttpOnly, SameSite=Lax (the OAuth callback is a top-level navigation from
// the platform, which Lax allows), scoped to /console, Secure whenever the console is served over https
// (PUBLIC_URL is https, the request is, or a trusted proxy says so: see client.ts).
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { ConsoleContext } from "./context.js";
import { CONSOLE_BASE } from "./settings.js";

export function putCookie(c: ConsoleContext, name: string, value: string, maxAgeSeconds: number): void {
  setCookie(c, name, value, { path: CONSOLE_BASE, httpOnly: true, sameSite: "Lax", secure: c.get("client").https, maxAge: maxAgeSeconds });
}

export function dropCookie(c: ConsoleContext, name: string): void {
  deleteCookie(c, name, { path: CONSOLE_BASE, httpOnly: true, sameSite: "Lax", secure: c.get("client").https });
}

export const readCookie = (c: ConsoleContext, name: string): string | undefined => getCookie(c, name);
