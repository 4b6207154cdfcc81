import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";

describe("passwords", () => {
  it("are hashed with argon2id and verified", async () => {
    const hash = await hashPassword("s3cret-passphrase");
    expect(hash.startsWith("$argon2id$")).toBe(true);
    expect(hash).not.toContain("s3cret");
    expect(await verifyPassword(hash, "s3cret-passphrase")).toBe(true);
    expect(await verifyPassword(hash, "wrong")).toBe(false);
  });

  it("a missing account costs a real verification, so timing does not reveal it", async () => {
    const hash = await hashPassword("x-passphrase");
    await verifyPassword(null, "warm-up");
    const t0 = performance.now();
    expect(await verifyPassword(null, "anything")).toBe(false);
    const miss = performance.now() - t0;
    const t1 = performance.now();
    await verifyPassword(hash, "anything");
    const wrong = performance.now() - t1;
    // Same order of magnitude: the miss path runs argon2 too (not a fixed-time assertion).
    expect(miss).toBeGreaterThan(wrong / 5);
  });
});
