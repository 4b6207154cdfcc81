// The client's address, for every per-IP limit, the sign-in throttle and /api/metrics. Next gives
// route handlers, server actions and Auth.js callbacks no socket, so the app server (scripts/server.ts)
// works the address out once per request — the socket's, or X-Forwarded-For only when the socket is a
// proxy named in TRUSTED_PROXIES (proxy-addr: the rightmost untrusted hop, so a client cannot pick its
// own address by prepending one) — and passes it on in an internal header it first removes from the
// incoming request. The value is signed with the auth secret as well: a server started some other way
// (`next dev`, `next start`) forwards a client's own copy of the header untouched, and an unsigned or
// forged value must not be believed there either. Anything unverifiable is the one bucket "unknown".
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import ipaddr from "ipaddr.js";
import proxyaddr from "proxy-addr";
import { authSecret } from "@/lib/auth/secret";
import { env } from "@/lib/env";

export const CLIENT_IP_HEADER = "x-chatgate-client-ip";
export const UNKNOWN_IP = "unknown";

let trust: ((addr: string, i: number) => boolean) | undefined;
const trusted = () => (trust ??= proxyaddr.compile(env().TRUSTED_PROXIES));

const sign = (ip: string) => createHmac("sha256", authSecret()).update(`client-ip:${ip}`).digest("base64url");

/** "::ffff:1.2.3.4" → "1.2.3.4", so one client has one spelling. */
function normalize(ip: string): string {
  try {
    const addr = ipaddr.process(ip);
    return addr.toString();
  } catch {
    return UNKNOWN_IP;
  }
}

/** The client address of a Node request (socket, or X-Forwarded-For through trusted proxies only). */
export function socketClientIp(req: IncomingMessage): string {
  if (!req.socket?.remoteAddress) return UNKNOWN_IP;
  return normalize(proxyaddr(req, trusted()));
}

/**
 * For the app server, first thing for every request: drops any client-sent copy of the internal
 * header (from rawHeaders too, which the streaming routes' adapter reads) and sets the signed address.
 */
export function stampClientIp(req: IncomingMessage): void {
  const raw = req.rawHeaders;
  const kept: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].toLowerCase() !== CLIENT_IP_HEADER) kept.push(raw[i], raw[i + 1]);
  }
  const ip = socketClientIp(req);
  const value = `${ip} ${sign(ip)}`;
  kept.push(CLIENT_IP_HEADER, value);
  req.rawHeaders.splice(0, raw.length, ...kept);
  req.headers[CLIENT_IP_HEADER] = value;
}

/** The verified client address carried by a request's headers, or "unknown". */
export function clientIp(headers: Headers | { get(name: string): string | null }): string {
  const value = headers.get(CLIENT_IP_HEADER);
  if (!value) return UNKNOWN_IP;
  const space = value.lastIndexOf(" ");
  if (space <= 0) return UNKNOWN_IP;
  const ip = value.slice(0, space);
  const given = Buffer.from(value.slice(space + 1));
  const want = Buffer.from(sign(ip));
  return given.length === want.length && timingSafeEqual(given, want) ? ip : UNKNOWN_IP;
}

/** The key a per-IP limit counts under: an IPv6 client is its /64 (one host usually holds a whole /64). */
export function ipLimitKey(ip: string): string {
  if (ip === UNKNOWN_IP) return ip;
  try {
    const addr = ipaddr.parse(ip);
    if (addr.kind() === "ipv6") return `${(addr as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16)).join(":")}::/64`;
    return addr.toString();
  } catch {
    return UNKNOWN_IP;
  }
}

/** Loopback (this machine), for what only local clients may see without a token. */
export function isLoopback(ip: string): boolean {
  try {
    return ipaddr.process(ip).range() === "loopback";
  } catch {
    return false;
  }
}

/** Tests change TRUSTED_PROXIES between cases. */
export function resetClientIpForTests(): void {
  trust = undefined;
}
