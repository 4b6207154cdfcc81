import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "../index";
import {
  createSession,
  getActiveSessionByTokenHash,
  revokeSessionByTokenHash,
  revokeSessionsByUserId,
} from "../queries/sessions";
import { createUser, getUserByEmail, getUserById, upgradeGuestUser } from "../queries/users";
import { sessions, users } from "../schema";
import { newUser } from "./helpers";

afterAll(closeDb);

const inAnHour = () => new Date(Date.now() + 3_600_000);

describe("users", () => {
  it("stores emails lower-cased and finds them case-insensitively", async () => {
    const email = `Mixed-${randomUUID()}@Example.COM`;
    const user = await createUser({ email, name: "M", passwordHash: "h", isGuest: false });
    expect(user.email).toBe(email.toLowerCase());
    expect(user.tier).toBe("free");
    expect(user.role).toBe("user");
    expect((await getUserByEmail({ email: email.toUpperCase() }))?.id).toBe(user.id);
    expect((await getUserById({ id: user.id }))?.email).toBe(email.toLowerCase());
    expect(await getUserById({ id: randomUUID() })).toBeNull();
    expect(await getUserById({ id: "not-a-uuid" })).toBeNull();
  });

  it("refuses a taken email with code email_taken", async () => {
    const email = `dup-${randomUUID()}@example.com`;
    await createUser({ email, isGuest: false });
    await expect(createUser({ email: email.toUpperCase(), isGuest: false })).rejects.toMatchObject({
      code: "email_taken",
    });
  });

  it("allows any number of guests without email", async () => {
    const a = await createUser({ isGuest: true });
    const b = await createUser({ isGuest: true });
    expect(a.email).toBeNull();
    expect(b.isGuest).toBe(true);
  });

  it("upgrades a guest once, never a full account", async () => {
    const guest = await newUser({ isGuest: true });
    const email = `Up-${randomUUID()}@example.com`;
    const upgraded = await upgradeGuestUser({ id: guest.id, email, name: "G", passwordHash: "h2" });
    expect(upgraded).toMatchObject({ id: guest.id, isGuest: false, email: email.toLowerCase(), passwordHash: "h2" });
    expect(await upgradeGuestUser({ id: guest.id, email: `x-${email}`, name: null, passwordHash: "h3" })).toBeNull();

    const other = await newUser({ isGuest: true });
    await expect(upgradeGuestUser({ id: other.id, email, name: null, passwordHash: "h" })).rejects.toMatchObject({
      code: "email_taken",
    });
  });
});

describe("sessions", () => {
  it("resolve to the user while active, and not after revocation", async () => {
    const user = await newUser();
    const tokenHash = randomUUID();
    const { id } = await createSession({ userId: user.id, tokenHash, expiresAt: inAnHour(), userAgent: "vitest" });
    const active = await getActiveSessionByTokenHash({ tokenHash });
    expect(active).toMatchObject({ sessionId: id, user: { id: user.id, email: user.email } });
    expect(active?.user.createdAt).toBeInstanceOf(Date);

    expect(await revokeSessionByTokenHash({ tokenHash })).toBe(true);
    expect(await revokeSessionByTokenHash({ tokenHash })).toBe(false);
    expect(await getActiveSessionByTokenHash({ tokenHash })).toBeNull();
    expect(await getActiveSessionByTokenHash({ tokenHash: "unknown" })).toBeNull();
  });

  it("expire", async () => {
    const user = await newUser();
    const tokenHash = randomUUID();
    await createSession({ userId: user.id, tokenHash, expiresAt: new Date(Date.now() - 1000) });
    expect(await getActiveSessionByTokenHash({ tokenHash })).toBeNull();
  });

  it("stop working when the user is disabled", async () => {
    const user = await newUser();
    const tokenHash = randomUUID();
    await createSession({ userId: user.id, tokenHash, expiresAt: inAnHour() });
    const db = await getDb();
    await db.update(users).set({ disabledAt: sql`now()` }).where(eq(users.id, user.id));
    expect(await getActiveSessionByTokenHash({ tokenHash })).toBeNull();
  });

  it("are all revoked by user, and only that user's", async () => {
    const [a, b] = [await newUser(), await newUser()];
    const hashes = [randomUUID(), randomUUID(), randomUUID()];
    await createSession({ userId: a.id, tokenHash: hashes[0], expiresAt: inAnHour() });
    await createSession({ userId: a.id, tokenHash: hashes[1], expiresAt: inAnHour() });
    await createSession({ userId: b.id, tokenHash: hashes[2], expiresAt: inAnHour() });
    expect(await revokeSessionsByUserId({ userId: a.id })).toBe(2);
    expect(await getActiveSessionByTokenHash({ tokenHash: hashes[0] })).toBeNull();
    expect(await getActiveSessionByTokenHash({ tokenHash: hashes[1] })).toBeNull();
    expect(await getActiveSessionByTokenHash({ tokenHash: hashes[2] })).not.toBeNull();
  });

  it("refresh last_seen_at at most once a minute", async () => {
    const user = await newUser();
    const tokenHash = randomUUID();
    const { id } = await createSession({ userId: user.id, tokenHash, expiresAt: inAnHour() });
    const db = await getDb();
    const lastSeen = async () =>
      (await db.select({ t: sessions.lastSeenAt }).from(sessions).where(eq(sessions.id, id)))[0].t;

    const old = new Date(Date.now() - 5 * 60_000);
    await db.update(sessions).set({ lastSeenAt: old }).where(eq(sessions.id, id));
    await getActiveSessionByTokenHash({ tokenHash });
    const refreshed = await lastSeen();
    expect(refreshed!.getTime()).toBeGreaterThan(old.getTime() + 4 * 60_000);

    await getActiveSessionByTokenHash({ tokenHash });
    expect((await lastSeen())!.getTime()).toBe(refreshed!.getTime());
  });
});
