import { describe, expect, it } from "vitest";
import { bearerToken, hashApiKey, newApiKeySecret } from "./api-keys";

describe("API key secrets", () => {
  it("are sk- plus 256 random bits, stored as their SHA-256, with a hint that cannot be used", () => {
    const a = newApiKeySecret();
    const b = newApiKeySecret();
    expect(a.key).toMatch(/^sk-[A-Za-z0-9_-]{43}$/);
    expect(a.key).not.toBe(b.key);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hint).toBe(`sk-…${a.key.slice(-4)}`);
  });

  it("are read from an Authorization: Bearer header only", () => {
    const req = (h?: string) => new Request("http://x/", { headers: h ? { authorization: h } : {} });
    expect(bearerToken(req())).toBeNull();
    expect(bearerToken(req("Bearer sk-abc"))).toBe("sk-abc");
    expect(bearerToken(req("bearer   sk-abc "))).toBe("sk-abc");
    expect(bearerToken(req("Basic dXNlcjpwYXNz"))).toBe(""); // present but not a bearer key: refused, not a cookie fallback
  });
});
