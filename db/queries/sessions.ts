// Server-side session records, so sessions can be listed and revoked. Only SHA-256 hashes of the
// cookie's random token are stored.
import { and, eq, getTableColumns, gt, isNull, lt, or, sql } from "drizzle-orm";
import { sessions, type User, users } from "../schema";
import { cachedAuthLookup, forgetAuthForUser, forgetAuthKey } from "./auth-cache";
import { type Executor, isUuid, preparedPerDb, resolve } from "./executor";

/** last_seen_at is refreshed at most this often, so a busy session does not write on every request. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

export interface ActiveSession {
  sessionId: string;
  expiresAt: Date;
  user: User;
}

export async function createSession(
  args: { userId: string; tokenHash: string; expiresAt: Date; userAgent?: string | null },
  exec?: Executor,
): Promise<{ id: string }> {
  const db = await resolve(exec);
  const [row] = await db
    .insert(sessions)
    .values({
      userId: args.userId,
      tokenHash: args.tokenHash,
      expiresAt: args.expiresAt,
      lastSeenAt: sql`now()`,
      userAgent: args.userAgent ?? null,
    })
    .returning({ id: sessions.id });
  return row;
}

/** The session and its user, or null when the session is unknown, revoked or expired, or the user is disabled. */
export async function getActiveSessionByTokenHash(
  args: { tokenHash: string },
  exec?: Executor,
): Promise<ActiveSession | null> {
  const [row] = await (await sessionByTokenHash(exec)).execute(args);
  if (!row) return null;

  // Skip the write entirely while last_seen_at is fresh (the common case); the WHERE guard keeps
  // concurrent requests from writing twice when it is not.
  if (!row.lastSeenAt || Date.now() - row.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
    const db = await resolve(exec);
    await db
      .update(sessions)
      .set({ lastSeenAt: sql`now()` })
      .where(
        and(
          eq(sessions.id, row.sessionId),
          or(isNull(sessions.lastSeenAt), lt(sessions.lastSeenAt, sql`now() - ${sql.raw(`interval '${LAST_SEEN_RESOLUTION_MS} milliseconds'`)}`)),
        ),
      );
  }
  return { sessionId: row.sessionId, expiresAt: row.expiresAt, user: row.user };
}

const sessionByTokenHash = preparedPerDb((db) =>
  db
    .select({ sessionId: sessions.id, expiresAt: sessions.expiresAt, lastSeenAt: sessions.lastSeenAt, user: getTableColumns(users) })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, sql.placeholder("tokenHash")), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`), isNull(users.disabledAt)))
    .limit(1)
    .prepare("session_by_token_hash"),
);

/**
 * getActiveSessionByTokenHash as every request asks it: the answer is reused for a few seconds
 * (./auth-cache.ts; sign-out and every change to the user forget it at once in this process).
 */
export function findActiveSessionByTokenHash(args: { tokenHash: string }): Promise<ActiveSession | null> {
  return cachedAuthLookup(`session:${args.tokenHash}`, () => getActiveSessionByTokenHash(args), (s) => ({
    userId: s.user.id,
    untilMs: s.expiresAt.getTime(),
  }));
}

/** Sign-out. True when a live session was revoked. */
export async function revokeSessionByTokenHash(args: { tokenHash: string }, exec?: Executor): Promise<boolean> {
  const db = await resolve(exec);
  const rows = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.tokenHash, args.tokenHash), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  forgetAuthKey(`session:${args.tokenHash}`);
  return rows.length > 0;
}

/** "Sign out everywhere" (also after a password change or when an account is disabled). Returns how many were revoked. */
export async function revokeSessionsByUserId(args: { userId: string }, exec?: Executor): Promise<number> {
  if (!isUuid(args.userId)) return 0;
  const db = await resolve(exec);
  const rows = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.userId, args.userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  forgetAuthForUser(args.userId);
  return rows.length;
}
