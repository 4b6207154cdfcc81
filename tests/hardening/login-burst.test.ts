// The sign-in throttle is atomic (review finding 10): an attempt is counted before its password is
// checked, in one step with the check, so a burst of concurrent wrong passwords for one account gets
// exactly the free attempts (FREE_FAILURES + the one that starts the first wait) and no more — on the
// in-process store and, with REDIS_URL set, on Redis. Over real HTTP through Auth.js's own endpoints.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hardeningEnv, passwordSignIn, startApp, type TestApp } from "./app";

const redisUrl = process.env.REDIS_URL;
hardeningEnv({ LOGIN_FAILURES_PER_IP: "50" });

const { closeDb } = await import("@/db");
const { createUser } = await import("@/db/queries/users");
const { hashPassword } = await import("@/lib/auth/password");
const { FREE_FAILURES, resetLoginThrottleForTests } = await import("@/lib/auth/login-throttle");
const { resetLimitersForTests } = await import("@/lib/limits/limiters");
const { resetLimitsRedisForTests } = await import("@/lib/limits/redis-client");
const { resetEnvForTests } = await import("@/lib/env");

const PASSWORD = "correct horse battery staple";
let app: TestApp;

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app.close();
  await resetLimitsRedisForTests();
  await closeDb();
});

async function useStore(redis: string) {
  process.env.REDIS_URL = redis;
  resetEnvForTests();
  resetLimitersForTests();
  resetLoginThrottleForTests();
  await resetLimitsRedisForTests();
}

/** 60 wrong passwords at once for one fresh account, each from its own sign-in flow; the codes. */
async function burst(): Promise<{ codes: string[]; email: string }> {
  const email = `burst-${randomUUID().slice(0, 8)}@example.test`;
  await createUser({ email, name: null, passwordHash: await hashPassword(PASSWORD), isGuest: false });
  const results = await Promise.all(Array.from({ length: 60 }, () => passwordSignIn(app.url, email, "wrong password")));
  return { codes: results.map((r) => r.code ?? "none"), email };
}

function checked(codes: string[]): number {
  // invalid_login: the password was checked (and was wrong); too_many_attempts: refused before it.
  expect(codes.every((c) => c === "invalid_login" || c === "too_many_attempts"), codes.join(",")).toBe(true);
  return codes.filter((c) => c === "invalid_login").length;
}

describe("a burst of concurrent wrong passwords", () => {
  it("in process: exactly the free attempts get a password check", async () => {
    await useStore("");
    const { codes, email } = await burst();
    expect(checked(codes)).toBe(FREE_FAILURES + 1);
    // The right password during the wait is refused too; nothing unlocks it early.
    expect((await passwordSignIn(app.url, email, PASSWORD)).code).toBe("too_many_attempts");
  }, 60_000);

  it.runIf(redisUrl)("on Redis: exactly the free attempts get a password check", async () => {
    await useStore(redisUrl!);
    const { codes } = await burst();
    expect(checked(codes)).toBe(FREE_FAILURES + 1);
  }, 60_000);

  it("a right password gives its attempt back: it never adds to the backoff", async () => {
    await useStore("");
    const email = `ok-${randomUUID().slice(0, 8)}@example.test`;
    await createUser({ email, name: null, passwordHash: await hashPassword(PASSWORD), isGuest: false });
    for (let i = 0; i < FREE_FAILURES + 3; i++) expect((await passwordSignIn(app.url, email, PASSWORD)).ok).toBe(true);
    for (let i = 0; i < FREE_FAILURES; i++) expect((await passwordSignIn(app.url, email, "wrong")).code).toBe("invalid_login");
    expect((await passwordSignIn(app.url, email, PASSWORD)).ok).toBe(true);
  }, 60_000);
});
