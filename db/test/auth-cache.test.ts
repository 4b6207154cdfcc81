// The few seconds' cache of the per-request authentication lookups (db/queries/auth-cache.ts):
// reused while fresh, shared by concurrent lookups, and forgotten at once by every write in
// db/queries that changes what a request would be told.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { closeDb, getDb } from "../index";
import { changeUserByAdmin } from "../queries/admin-users";
import { createApiKey, findActiveApiKeyByHash, revokeApiKey } from "../queries/api-keys";
import { AUTH_CACHE_MS } from "../queries/auth-cache";
import { createSession, findActiveSessionByTokenHash, revokeSessionByTokenHash, revokeSessionsByUserId } from "../queries/sessions";
import { setDisabledTools, updateCustomInstructionsByUserId } from "../queries/users";
import { users } from "../schema";
import { newUser } from "./helpers";

afterAll(closeDb);

const inAnHour = () => new Date(Date.now() + 3_600_000);

async function session(userId?: string) {
  const user = userId ? { id: userId } : await newUser();
  const tokenHash = randomUUID();
  await createSession({ userId: user.id, tokenHash, expiresAt: inAnHour() });
  return { userId: user.id, tokenHash };
}

describe("auth cache", () => {
  it("reuses a session's row while fresh: a change made behind its back shows only after AUTH_CACHE_MS", async () => {
    const { userId, tokenHash } = await session();
    expect((await findActiveSessionByTokenHash({ tokenHash }))?.user.tier).toBe("free");
    const db = await getDb();
    await db.update(users).set({ tier: "plus" }).where(eq(users.id, userId)); // SQL by hand: no forget
    expect((await findActiveSessionByTokenHash({ tokenHash }))?.user.tier).toBe("free");
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + AUTH_CACHE_MS + 1 });
    try {
      expect((await findActiveSessionByTokenHash({ tokenHash }))?.user.tier).toBe("plus");
    } finally {
      vi.useRealTimers();
    }
  });

  it("shares one lookup among concurrent requests with the same credential", async () => {
    const { tokenHash } = await session();
    const found = await Promise.all(Array.from({ length: 20 }, () => findActiveSessionByTokenHash({ tokenHash })));
    expect(new Set(found).size).toBe(1);
    expect(found[0]).not.toBeNull();
  });

  it("keeps no miss: a session created after a failed lookup is found at once", async () => {
    const user = await newUser();
    const tokenHash = randomUUID();
    expect(await findActiveSessionByTokenHash({ tokenHash })).toBeNull();
    await createSession({ userId: user.id, tokenHash, expiresAt: inAnHour() });
    expect(await findActiveSessionByTokenHash({ tokenHash })).not.toBeNull();
  });

  it("forgets at once on sign-out, on revoking every session, and on disabling the user", async () => {
    const one = await session();
    expect(await findActiveSessionByTokenHash({ tokenHash: one.tokenHash })).not.toBeNull();
    await revokeSessionByTokenHash({ tokenHash: one.tokenHash });
    expect(await findActiveSessionByTokenHash({ tokenHash: one.tokenHash })).toBeNull();

    const two = await session();
    expect(await findActiveSessionByTokenHash({ tokenHash: two.tokenHash })).not.toBeNull();
    await revokeSessionsByUserId({ userId: two.userId });
    expect(await findActiveSessionByTokenHash({ tokenHash: two.tokenHash })).toBeNull();

    const admin = await newUser();
    const three = await session();
    const key = await createApiKey({ userId: three.userId, name: "k", keyHash: randomUUID(), hint: "sk-…" });
    const keyHash = (await findKeyHash(key.id))!;
    expect(await findActiveApiKeyByHash({ keyHash })).not.toBeNull();
    await changeUserByAdmin({ actorId: admin.id, targetId: three.userId, change: { disabled: true } });
    expect(await findActiveSessionByTokenHash({ tokenHash: three.tokenHash })).toBeNull();
    expect(await findActiveApiKeyByHash({ keyHash })).toBeNull();
  });

  it("forgets at once when the user's tier, settings or keys change", async () => {
    const admin = await newUser();
    const { userId, tokenHash } = await session();
    const user = async () => (await findActiveSessionByTokenHash({ tokenHash }))!.user;
    expect((await user()).tier).toBe("free");
    await changeUserByAdmin({ actorId: admin.id, targetId: userId, change: { tier: "plus" } });
    expect((await user()).tier).toBe("plus");
    await updateCustomInstructionsByUserId({ userId, aboutMe: "I grow tomatoes.", responseStyle: null, enabled: true });
    expect((await user()).aboutMe).toBe("I grow tomatoes.");
    await setDisabledTools({ userId, disabledTools: ["web_search"] });
    expect((await user()).disabledTools).toEqual(["web_search"]);

    const key = await createApiKey({ userId, name: "k", keyHash: randomUUID(), hint: "sk-…" });
    const keyHash = (await findKeyHash(key.id))!;
    expect(await findActiveApiKeyByHash({ keyHash })).not.toBeNull();
    await revokeApiKey({ id: key.id, userId });
    expect(await findActiveApiKeyByHash({ keyHash })).toBeNull();
  });
});

async function findKeyHash(id: string): Promise<string | undefined> {
  const { apiKeys } = await import("../schema");
  const db = await getDb();
  const [row] = await db.select({ keyHash: apiKeys.keyHash }).from(apiKeys).where(eq(apiKeys.id, id));
  return row?.keyHash;
}
