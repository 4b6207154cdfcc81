// The sign-in throttle and the account-creation limits are shared across instances through Redis
// (issue 13 item 5, issue 17 items 6–7): what one instance counted, another sees. An "instance" is
// a fresh limiter registry and backoff store on the same Redis. Runs when REDIS_URL is set; the
// idle-guest sweep runs always.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";

const redisUrl = process.env.REDIS_URL;
Object.assign(process.env, { AUTH_SECRET: "shared-limits-test", GUESTS_PER_IP_PER_HOUR: "2", GUEST_IDLE_DAYS: "30" });

const { closeDb, getDb } = await import("@/db");
const { sql } = await import("drizzle-orm");
const { createUser, getUserById } = await import("@/db/queries/users");
const { openServerSession } = await import("@/lib/auth/server-session");
const { sweepIdleGuests } = await import("@/lib/auth/guest-expiry");

afterAll(async () => {
  const { resetLimitsRedisForTests } = await import("@/lib/limits/redis-client");
  await resetLimitsRedisForTests();
  await closeDb();
});

describe.runIf(redisUrl)("with REDIS_URL", () => {
  it("guest creation and sign-in failures counted on one instance are seen by another", async () => {
    const { resetEnvForTests } = await import("@/lib/env");
    const { resetLimitersForTests } = await import("@/lib/limits/limiters");
    const { resetLimitsRedisForTests } = await import("@/lib/limits/redis-client");
    const { admitAccountCreation } = await import("@/lib/auth/creation-limits");
    const { reserveLoginAttempt, resetLoginThrottleForTests } = await import("@/lib/auth/login-throttle");
    process.env.REDIS_URL = redisUrl;
    resetEnvForTests();
    const ip = `2001:db8:${randomUUID().slice(0, 4)}::1`;
    const otherInstance = async () => {
      resetLimitersForTests();
      resetLoginThrottleForTests(); // the in-process store is empty: anything seen now came from Redis
      await resetLimitsRedisForTests();
    };
    expect((await admitAccountCreation("guest", ip)).ok).toBe(true);
    await otherInstance();
    expect((await admitAccountCreation("guest", ip)).ok).toBe(true);
    await otherInstance();
    expect((await admitAccountCreation("guest", ip)).ok).toBe(false);

    const email = `shared-${randomUUID()}@example.test`;
    for (let i = 0; i < 6; i++) expect((await reserveLoginAttempt(email, "192.0.2.44")).ok).toBe(true); // six failed attempts
    await otherInstance();
    const attempt = await reserveLoginAttempt(email, "192.0.2.45");
    expect(attempt.ok).toBe(false);
    expect(!attempt.ok && attempt.until - Date.now()).toBeLessThanOrEqual(1_000);
  });
});

describe("idle guests", () => {
  it("are deleted with their chats after GUEST_IDLE_DAYS; active guests and accounts stay", async () => {
    const db = await getDb();
    const old = new Date(Date.now() - 40 * 24 * 3600_000);
    const idle = await createUser({ isGuest: true, email: null, name: null });
    const active = await createUser({ isGuest: true, email: null, name: null });
    const account = await createUser({ isGuest: false, email: `keep-${randomUUID()}@example.test`, name: null });
    for (const u of [idle, active, account]) await db.execute(sql`update users set created_at = ${old.toISOString()}::timestamptz where id = ${u.id}::uuid`);
    await openServerSession(idle.id);
    await db.execute(sql`update sessions set last_seen_at = ${old.toISOString()}::timestamptz, created_at = ${old.toISOString()}::timestamptz where user_id = ${idle.id}::uuid`);
    await openServerSession(active.id); // seen now
    const { createConversation } = await import("@/db/queries/conversations");
    const chat = await createConversation({ userId: idle.id, model: "gpt-4o", title: "old", systemPrompt: null });
    expect(await sweepIdleGuests()).toBeGreaterThanOrEqual(1);
    expect(await getUserById({ id: idle.id })).toBeNull();
    expect(await getUserById({ id: active.id })).not.toBeNull();
    expect(await getUserById({ id: account.id })).not.toBeNull();
    const left = await db.execute(sql`select count(*)::int as n from conversations where id = ${chat.id}::uuid`);
    expect((Array.isArray(left) ? left : (left as { rows: { n: number }[] }).rows)[0].n).toBe(0);
  });
});
