// IP addresses: parsing (hono's parser), CIDR matching for the trusted-proxy list, and the bucket
// an address is throttled in.
import {
  convertIPv4BinaryToString,
  convertIPv4MappedIPv6ToIPv4,
  convertIPv4ToBinary,
  convertIPv6BinaryToString,
  convertIPv6ToBinary,
  distinctRemoteAddr,
  isIPv4MappedIPv6,
} from "hono/utils/ipaddr";

export interface Ip {
  v: 4 | 6;
  bits: bigint;
}

/** An address as a number; IPv4-mapped IPv6 (::ffff:a.b.c.d, as dual-stack sockets report) as IPv4. */
export function parseIp(raw: string): Ip | undefined {
  const s = raw.trim().replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  try {
    const kind = distinctRemoteAddr(s);
    if (kind === "IPv4") return { v: 4, bits: convertIPv4ToBinary(s) };
    if (kind !== "IPv6") return undefined;
    const bits = convertIPv6ToBinary(s);
    return isIPv4MappedIPv6(bits) ? { v: 4, bits: convertIPv4MappedIPv6ToIPv4(bits) } : { v: 6, bits };
  } catch {
    return undefined;
  }
}

export const ipText = (ip: Ip): string => (ip.v === 4 ? convertIPv4BinaryToString(ip.bits) : convertIPv6BinaryToString(ip.bits));

export type IpMatcher = (address: string) => boolean;

/** "10.0.0.1, 10.1.0.0/16, ::1, fd00::/8" → a matcher; throws on an entry that is neither. */
export function ipMatcher(list: string | undefined): IpMatcher {
  const nets = (list ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean)
    .map((entry) => {
      const [addr, len, extra] = entry.split("/");
      const ip = parseIp(addr!);
      const width = ip?.v === 4 ? 32 : 128;
      const prefix = len === undefined ? width : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
      if (!ip || extra !== undefined || !(prefix >= 0 && prefix <= width)) throw new Error(`not an IP address or CIDR range: "${entry}"`);
      const shift = BigInt(width - prefix);
      return { v: ip.v, shift, net: ip.bits >> shift };
    });
  return (address) => {
    const ip = parseIp(address);
    return !!ip && nets.some((n) => n.v === ip.v && ip.bits >> n.shift === n.net);
  };
}

/**
 * The throttling bucket of an address: an IPv6 client usually holds a whole /64, so it counts as one;
 * an IPv4 address counts alone.
 */
export function addressBucket(address: string): string {
  const ip = parseIp(address);
  if (!ip) return address;
  return ip.v === 4 ? ipText(ip) : `${convertIPv6BinaryToString((ip.bits >> 64n) << 64n)}/64`;
}
