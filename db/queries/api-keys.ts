// API keys: created, listed and revoked by their owner; looked up by the SHA-256 of the key.
import { and, desc, eq, getTableColumns, isNull, lt, or, sql } from "drizzle-orm";
import { apiKeys, type User, users } from "../schema";
import { cachedAuthLookup, forgetAuthForUser } from "./auth-cache";
import { type Executor, isUuid, preparedPerDb, resolve } from "./executor";

/** last_used_at is written at most this often per key, so a busy key does not write on every call. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiKeyListItem {
  id: string;
  name: string;
  hint: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export async function createApiKey(
  args: { userId: string; name: string; keyHash: string; hint: string },
  exec?: Executor,
): Promise<ApiKeyListItem> {
  const db = await resolve(exec);
  const [row] = await db
    .insert(apiKeys)
    .values(args)
    .returning({ id: apiKeys.id, name: apiKeys.name, hint: apiKeys.hint, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt });
  return row;
}

/** The owner's keys that are not revoked, newest first. */
export async function listApiKeysByUserId(args: { userId: string }, exec?: Executor): Promise<ApiKeyListItem[]> {
  const db = await resolve(exec);
  return db
    .select({ id: apiKeys.id, name: apiKeys.name, hint: apiKeys.hint, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, args.userId), isNull(apiKeys.revokedAt)))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

/** Revokes the owner's key; false when there is no such live key of theirs. */
export async function revokeApiKey(args: { id: string; userId: string }, exec?: Executor): Promise<boolean> {
  if (!isUuid(args.id)) return false;
  const db = await resolve(exec);
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, args.id), eq(apiKeys.userId, args.userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  forgetAuthForUser(args.userId);
  return rows.length > 0;
}

/** The live key with this hash and its (enabled) user, or null. Marks the key used. */
export async function getActiveApiKeyByHash(
  args: { keyHash: string },
  exec?: Executor,
): Promise<{ keyId: string; keyHash: string; user: User } | null> {
  const [row] = await (await apiKeyByHash(exec)).execute(args);
  if (!row) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    const db = await resolve(exec);
    await db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(apiKeys.id, row.keyId),
          or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - make_interval(secs => ${LAST_USED_RESOLUTION_MS / 1000})`)),
        ),
      );
  }
  return { keyId: row.keyId, keyHash: row.keyHash, user: row.user };
}

const apiKeyByHash = preparedPerDb((db) =>
  db
    .select({ keyId: apiKeys.id, keyHash: apiKeys.keyHash, lastUsedAt: apiKeys.lastUsedAt, user: getTableColumns(users) })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.keyHash, sql.placeholder("keyHash")), isNull(apiKeys.revokedAt), isNull(users.disabledAt)))
    .limit(1)
    .prepare("api_key_by_hash"),
);

/**
 * getActiveApiKeyByHash as every request asks it: reused for a few seconds (./auth-cache.ts;
 * revoking the key and every change to its user forget it at once in this process).
 */
export function findActiveApiKeyByHash(args: { keyHash: string }): Promise<{ keyId: string; keyHash: string; user: User } | null> {
  return cachedAuthLookup(`key:${args.keyHash}`, () => getActiveApiKeyByHash(args), (k) => ({ userId: k.user.id }));
}
