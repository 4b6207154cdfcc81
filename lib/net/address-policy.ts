// Which IP addresses an outbound request made on a user's behalf may connect to. Classification is
// ipaddr.js's (a maintained table of special ranges), applied as an allow-list: only ordinary
// public unicast passes, so a range the table learns later is refused by default.
import ipaddr from "ipaddr.js";

export type AddressVerdict = { ok: true; address: string } | { ok: false; reason: string };

/** 2000::/3 is the only IPv6 space handed out as global unicast; everything else is special. */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR("2000::/3");
/** Documentation prefix; ipaddr.js files it under "unicast". */
const DOCUMENTATION_V6 = ipaddr.IPv6.parseCIDR("2001:db8::/32");

/**
 * Verdict for one literal address as the socket layer sees it ("127.0.0.1", "::ffff:7f00:1").
 * IPv4-mapped IPv6 is judged as the IPv4 it maps to (and refused as a form anyway: no public
 * host needs it). Strict parsing: "0177.0.0.1"-style forms never reach here (the WHATWG URL
 * parser has normalised them) and are refused if they do.
 */
export function checkAddress(address: string): AddressVerdict {
  const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  // Zone ids ("fe80::1%eth0") are link-local by definition.
  if (bare.includes("%")) return { ok: false, reason: "scoped IPv6 address" };
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) ip = ipaddr.IPv4.parse(bare);
  else if (ipaddr.IPv6.isValid(bare)) ip = ipaddr.IPv6.parse(bare);
  else return { ok: false, reason: "not an IP address" };

  if (ip.kind() === "ipv6") {
    const v6 = ip as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return { ok: false, reason: "IPv4-mapped IPv6 address" };
    const range = v6.range();
    if (range !== "unicast") return { ok: false, reason: `${range} IPv6 address` };
    if (!v6.match(GLOBAL_UNICAST_V6)) return { ok: false, reason: "IPv6 address outside global unicast (2000::/3)" };
    if (v6.match(DOCUMENTATION_V6)) return { ok: false, reason: "documentation IPv6 address" };
    return { ok: true, address: v6.toNormalizedString() };
  }
  const range = (ip as ipaddr.IPv4).range();
  if (range !== "unicast") return { ok: false, reason: `${range} IPv4 address` };
  return { ok: true, address: ip.toString() };
}

/** True when `host` (a URL hostname, brackets allowed) is an IP literal rather than a DNS name. */
export function isIpLiteral(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  return ipaddr.isValid(bare);
}

/** "127.0.0.1:8080" / "[::1]:8080" / "localhost:8080" entries of the test-only allowance, normalised for comparison. */
export function parseAllowance(list: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const raw of (list ?? "").split(",")) {
    const entry = raw.trim();
    const local = /^localhost:(\d{1,5})$/i.exec(entry);
    if (local) {
      // "localhost:PORT" means the loopback addresses a local test server listens on.
      out.add(allowanceKey("127.0.0.1", Number(local[1])));
      out.add(allowanceKey("::1", Number(local[1])));
      continue;
    }
    const m = /^\[?([0-9a-fA-F:.]+)\]?:(\d{1,5})$/.exec(entry);
    if (!m || !ipaddr.isValid(m[1])) continue;
    out.add(allowanceKey(m[1], Number(m[2])));
  }
  return out;
}

export function allowanceKey(address: string, port: number): string {
  const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  const ip = ipaddr.process(bare); // IPv4-mapped → IPv4, so "::ffff:127.0.0.1" matches "127.0.0.1"
  return `${ip.toNormalizedString()}|${port}`;
}
