// The console's cookies: HttpOnly, SameSite=Lax (the OAuth callback is a top-level navigation from
// the platform, which Lax allows), scoped to /console, Secure whenever the console is served over https.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { CONSOLE_BASE } from "./settings.js";

const secure = (c: Context, publicUrl?: string) => (publicUrl ?? c.req.url).startsWith("https:");

export function putCookie(c: Context, name: string, value: string, maxAgeSeconds: number, publicUrl?: string): void {
  setCookie(c, name, value, { path: CONSOLE_BASE, httpOnly: true, sameSite: "Lax", secure: secure(c, publicUrl), maxAge: maxAgeSeconds });
}

export function dropCookie(c: Context, name: string, publicUrl?: string): void {
  deleteCookie(c, name, { path: CONSOLE_BASE, secure: secure(c, publicUrl) });
}

export const readCookie = (c: Context, name: string): string | undefined => getCookie(c, name);
