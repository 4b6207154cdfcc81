import { describe, expect, it } from "vitest";
import { hashPassword, timingDummyHash, verifyPassword } from "./password";

describe("passwords", () => {
  it("are hashed with argon2id and verified", async () => {
    const hash = await hashPassword("s3cret-passphrase");
    expect(hash.startsWith("$argon2id$")).toBe(true);
    expect(hash).not.toContain("s3cret");
    expect(await verifyPassword(hash, "s3cret-passphrase")).toBe(true);
    expect(await verifyPassword(hash, "wrong")).toBe(false);
  });

  it("a missing account is checked against a real hash of the same cost, so timing does not reveal it", async () => {
    // argon2's cost is in the hash's parameters ($argon2id$v=19$m=…,t=…,p=…$): the same parameters
    // mean the same work for a missing account as for a wrong password (no timed assertion needed).
    const params = (h: string) => h.split("$").slice(1, 4).join("$");
    const real = await hashPassword("x-passphrase");
    const dummy = await timingDummyHash();
    expect(params(dummy)).toBe(params(real));
    expect(params(real)).toMatch(/^argon2id\$v=19\$m=19456,t=2,p=1$/);
    expect(await verifyPassword(null, "timing-equaliser-not-a-real-password")).toBe(false);
  });
});
