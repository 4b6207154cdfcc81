// Password hashing with argon2id (@node-rs/argon2, OWASP-recommended parameters).
import { hash, verify } from "@node-rs/argon2";

// 2 = Algorithm.Argon2id (a const enum, which isolatedModules cannot import).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Verified against when the email is unknown, so a miss costs the same time as a wrong password
// and the response timing does not reveal whether an account exists.
let dummyHash: Promise<string> | undefined;

/** The hash a missing account is verified against: made by hashPassword, so it costs the same to check. */
export function timingDummyHash(): Promise<string> {
  return (dummyHash ??= hashPassword("timing-equaliser-not-a-real-password"));
}

export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    await verify(await timingDummyHash(), password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
