import type { IncomingMessage } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { CLIENT_IP_HEADER, clientIp, ipLimitKey, isLoopback, resetClientIpForTests, stampClientIp } from "./client-ip";

process.env.AUTH_SECRET = "client-ip-test-secret";

function incoming(remoteAddress: string, headers: Record<string, string>): IncomingMessage {
  const rawHeaders = Object.entries(headers).flat();
  // As Node does: the map's names lower-cased (a repeated one joined), rawHeaders as sent.
  const map: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) map[k.toLowerCase()] = map[k.toLowerCase()] ? `${map[k.toLowerCase()]}, ${v}` : v;
  return { socket: { remoteAddress }, connection: { remoteAddress }, headers: map, rawHeaders } as unknown as IncomingMessage;
}

/** What a handler behind the app server sees: the headers as the adapter and Next pass them on. */
function seen(req: IncomingMessage): string {
  const fromRaw = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) fromRaw.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const fromMap = new Headers(req.headers as Record<string, string>);
  expect(clientIp(fromRaw)).toBe(clientIp(fromMap));
  return clientIp(fromMap);
}

const setTrusted = (v: string) => {
  process.env.TRUSTED_PROXIES = v;
  resetEnvForTests();
  resetClientIpForTests();
};
afterEach(() => setTrusted(""));

describe("the client address", () => {
  it("is the socket's; X-Forwarded-For and a client's own internal header are ignored", () => {
    const req = incoming("::ffff:198.51.100.7", { "x-forwarded-for": "127.0.0.1", [CLIENT_IP_HEADER]: "127.0.0.1 forged", "X-Chatgate-Client-Ip": "10.0.0.1 x" });
    stampClientIp(req);
    expect(seen(req)).toBe("198.51.100.7");
    expect(req.rawHeaders.filter((h) => h.toLowerCase() === CLIENT_IP_HEADER)).toHaveLength(1);
  });

  it("comes from X-Forwarded-For only through trusted proxies, the rightmost untrusted hop", () => {
    setTrusted("10.0.0.0/8");
    const req = incoming("10.0.0.2", { "x-forwarded-for": "127.0.0.1, 203.0.113.5, 10.0.0.9" });
    stampClientIp(req);
    expect(seen(req)).toBe("203.0.113.5"); // the prepended 127.0.0.1 is the client's own claim
    const direct = incoming("192.0.2.1", { "x-forwarded-for": "203.0.113.5" });
    stampClientIp(direct);
    expect(seen(direct)).toBe("192.0.2.1"); // not from a trusted proxy: the header is not believed
  });

  it("is counted per /64 for IPv6, and loopback is recognised in both families", () => {
    expect(ipLimitKey("2001:db8:1:2:aaaa::1")).toBe(ipLimitKey("2001:db8:1:2:ffff::9"));
    expect(ipLimitKey("2001:db8:1:3::1")).not.toBe(ipLimitKey("2001:db8:1:2::1"));
    expect(ipLimitKey("198.51.100.7")).toBe("198.51.100.7");
    expect(isLoopback("127.0.0.1") && isLoopback("::1") && isLoopback("::ffff:127.0.0.1")).toBe(true);
    expect(isLoopback("unknown") || isLoopback("10.0.0.1")).toBe(false);
  });
});
