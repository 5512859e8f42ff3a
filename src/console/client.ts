// Who is on the other end of a console request: the client's address (for sign-in throttling and the
// log) and whether the console is served over https (for Secure cookies).
//
// The address is the direct peer the runtime reports — the TCP peer on Node, CF-Connecting-IP on
// Workers (set by Cloudflare itself: https://developers.cloudflare.com/fundamentals/reference/http-headers/).
// X-Forwarded-For and X-Forwarded-Proto are believed only when that peer is one of the configured
// trusted proxies (CHATDESK_TRUSTED_PROXIES); from anyone else they are ignored, since anyone can send them.
import type { Context } from "hono";
import { ipText, parseIp, type IpMatcher } from "../http/ip.js";

export interface ClientInfo {
  /** Normalised client address, or "unknown" when the runtime reports none. */
  address: string;
  https: boolean;
}

/** How the runtime names the direct peer of a request. */
export type PeerAddress = (c: Context) => string | undefined;

export interface ClientSettings {
  publicUrl?: string;
  trusted: IpMatcher;
  peer?: PeerAddress;
}

export function clientInfo(c: Context, s: ClientSettings): ClientInfo {
  const peer = s.peer?.(c);
  const viaProxy = !!peer && s.trusted(peer);
  let address = peer;
  if (viaProxy) {
    // Right to left: each trusted proxy appended the address it saw; the first untrusted one is the client.
    const hops = (c.req.header("x-forwarded-for") ?? "").split(",").map((h) => h.trim()).filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) {
      address = hops[i];
      if (!s.trusted(hops[i]!)) break;
    }
  }
  const ip = address ? parseIp(address) : undefined;
  const proto = viaProxy ? c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() : undefined;
  return {
    address: ip ? ipText(ip) : "unknown",
    https: proto === "https" || (s.publicUrl ?? "").startsWith("https:") || new URL(c.req.url).protocol === "https:",
  };
}
