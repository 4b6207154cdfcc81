// Accounts: email + password users and guests.
import { and, eq, sql } from "drizzle-orm";
import { DbError, pgErrorCode, UNIQUE_VIOLATION } from "../errors";
import { emailVerifications, type User, users } from "../schema";
import { forgetAllAuth, forgetAuthForUser } from "./auth-cache";
import { type Executor, isUuid, resolve } from "./executor";

function emailTaken(err: unknown): unknown {
  return pgErrorCode(err) === UNIQUE_VIOLATION
    ? new DbError("email_taken", "An account with this email already exists.", { cause: err })
    : err;
}

/** Emails are stored lower-cased; the unique index is on lower(email), so lookups use the same expression. */
const byEmail = (email: string) => sql`lower(${users.email}) = ${email.trim().toLowerCase()}`;

export async function createUser(
  args: { email?: string | null; name?: string | null; passwordHash?: string | null; isGuest: boolean },
  exec?: Executor,
): Promise<User> {
  const db = await resolve(exec);
  try {
    const [user] = await db
      .insert(users)
      .values({
        email: args.email?.trim().toLowerCase() || null,
        name: args.name ?? null,
        passwordHash: args.passwordHash ?? null,
        isGuest: args.isGuest,
      })
      .returning();
    return user;
  } catch (err) {
    throw emailTaken(err);
  }
}

export async function getUserByEmail(args: { email: string }, exec?: Executor): Promise<User | null> {
  const db = await resolve(exec);
  const [user] = await db.select().from(users).where(byEmail(args.email)).limit(1);
  return user ?? null;
}

export async function getUserById(args: { id: string }, exec?: Executor): Promise<User | null> {
  if (!isUuid(args.id)) return null;
  const db = await resolve(exec);
  const [user] = await db.select().from(users).where(eq(users.id, args.id)).limit(1);
  return user ?? null;
}

/** Turn a guest into a full account, keeping its conversations. Null when the user is not a guest. */
export async function upgradeGuestUser(
  args: { id: string; email: string; name: string | null; passwordHash: string },
  exec?: Executor,
): Promise<User | null> {
  if (!isUuid(args.id)) return null;
  const db = await resolve(exec);
  try {
    const [user] = await db
      .update(users)
      .set({ email: args.email.trim().toLowerCase(), name: args.name, passwordHash: args.passwordHash, isGuest: false })
      .where(and(eq(users.id, args.id), eq(users.isGuest, true)))
      .returning();
    forgetAuthForUser(args.id);
    return user ?? null;
  } catch (err) {
    throw emailTaken(err);
  }
}

export interface CustomInstructions {
  aboutMe: string | null;
  responseStyle: string | null;
  enabled: boolean;
}

export async function getCustomInstructionsByUserId(args: { userId: string }, exec?: Executor): Promise<CustomInstructions | null> {
  if (!isUuid(args.userId)) return null;
  const db = await resolve(exec);
  const [row] = await db
    .select({ aboutMe: users.aboutMe, responseStyle: users.responseStyle, enabled: users.customInstructionsEnabled })
    .from(users)
    .where(eq(users.id, args.userId));
  return row ?? null;
}

export async function updateCustomInstructionsByUserId(
  args: { userId: string } & CustomInstructions,
  exec?: Executor,
): Promise<CustomInstructions | null> {
  if (!isUuid(args.userId)) return null;
  const db = await resolve(exec);
  const [row] = await db
    .update(users)
    .set({ aboutMe: args.aboutMe, responseStyle: args.responseStyle, customInstructionsEnabled: args.enabled })
    .where(eq(users.id, args.userId))
    .returning({ aboutMe: users.aboutMe, responseStyle: users.responseStyle, enabled: users.customInstructionsEnabled });
  forgetAuthForUser(args.userId);
  return row ?? null;
}

/** Set an account's tier and/or role by email (operator tooling: `npm run user:set`). Null when no such user. */
export async function setUserAccessByEmail(
  args: { email: string; tier?: User["tier"]; role?: User["role"] },
  exec?: Executor,
): Promise<User | null> {
  const db = await resolve(exec);
  const patch: Partial<Pick<User, "tier" | "role">> = {};
  if (args.tier) patch.tier = args.tier;
  if (args.role) patch.role = args.role;
  if (Object.keys(patch).length === 0) return getUserByEmail({ email: args.email }, db);
  const [user] = await db.update(users).set(patch).where(byEmail(args.email)).returning();
  if (user) forgetAuthForUser(user.id);
  return user ?? null;
}

// ---- email verification (password accounts) ----

/** Records a new link for the user's current email (replacing any earlier one). */
export async function saveEmailVerificationToken(
  args: { userId: string; email: string; tokenHash: string; expiresAt: Date },
  exec?: Executor,
): Promise<void> {
  const db = await resolve(exec);
  const email = args.email.trim().toLowerCase();
  await db
    .insert(emailVerifications)
    .values({ userId: args.userId, email, tokenHash: args.tokenHash, tokenExpiresAt: args.expiresAt })
    .onConflictDoUpdate({
      target: emailVerifications.userId,
      set: {
        email,
        tokenHash: args.tokenHash,
        tokenExpiresAt: args.expiresAt,
        // A verified address stays verified; a new address starts unverified.
        verifiedAt: sql`case when ${emailVerifications.email} = ${email} then ${emailVerifications.verifiedAt} end`,
      },
    });
}

/**
 * Uses a link: single-use (the hash is cleared), unexpired, and only for the address the account
 * still has. The user id on success, null otherwise.
 */
export async function consumeEmailVerificationToken(args: { tokenHash: string }, exec?: Executor): Promise<string | null> {
  const db = await resolve(exec);
  const [row] = await db
    .update(emailVerifications)
    .set({ verifiedAt: sql`now()`, tokenHash: null, tokenExpiresAt: null })
    .where(
      and(
        eq(emailVerifications.tokenHash, args.tokenHash),
        sql`${emailVerifications.tokenExpiresAt} > now()`,
        sql`${emailVerifications.email} = (select lower(${users.email}) from ${users} where ${users.id} = ${emailVerifications.userId})`,
      ),
    )
    .returning({ userId: emailVerifications.userId });
  return row?.userId ?? null;
}

/** Whether the user's current email has been verified (by a link, or by an identity provider). */
export async function isEmailVerifiedByUserId(args: { userId: string }, exec?: Executor): Promise<boolean> {
  if (!isUuid(args.userId)) return false;
  const db = await resolve(exec);
  const [row] = await db
    .select({ userId: emailVerifications.userId })
    .from(emailVerifications)
    .innerJoin(users, eq(users.id, emailVerifications.userId))
    .where(
      and(
        eq(emailVerifications.userId, args.userId),
        sql`${emailVerifications.verifiedAt} is not null`,
        sql`${emailVerifications.email} = lower(${users.email})`,
      ),
    )
    .limit(1);
  return Boolean(row);
}

/**
 * A provider-verified identity signs in to this account: its email is verified from now on, and a
 * password set while the address was unverified is dropped (whoever set it never proved they own the
 * address: the account pre-takeover). Returns whether a password was dropped.
 */
export async function markEmailVerifiedByProvider(args: { userId: string; email: string }, exec?: Executor): Promise<boolean> {
  const db = await resolve(exec);
  const email = args.email.trim().toLowerCase();
  return db.transaction(async (tx) => {
    const verified = await isEmailVerifiedByUserId({ userId: args.userId }, tx);
    let dropped = false;
    if (!verified) {
      const rows = await tx
        .update(users)
        .set({ passwordHash: null })
        .where(and(eq(users.id, args.userId), sql`${users.passwordHash} is not null`))
        .returning({ id: users.id });
      dropped = rows.length > 0;
    }
    await tx
      .insert(emailVerifications)
      .values({ userId: args.userId, email, verifiedAt: sql`now()` })
      .onConflictDoUpdate({ target: emailVerifications.userId, set: { email, verifiedAt: sql`now()`, tokenHash: null, tokenExpiresAt: null } });
    return dropped;
  });
}

// ---- idle guests ----

/**
 * Deletes up to `limit` guest accounts created before `idleBefore` with no session seen since, with
 * their conversations, messages, files rows, sessions and keys (foreign keys cascade) and their usage
 * rows (usage_events is partitioned and has no foreign key). Returns how many were deleted and the
 * storage keys of their files (the caller deletes those objects: lib/files/remove.ts
 * deleteAccountFiles). The keys are read by the deleting statement itself: its outer select sees the
 * snapshot from before the delete and its cascade, and only the accounts really deleted.
 */
export async function deleteIdleGuests(args: { idleBefore: Date; limit: number }, exec?: Executor): Promise<{ count: number; storageKeys: string[] }> {
  const db = await resolve(exec);
  const before = args.idleBefore.toISOString();
  const deleted = await db.transaction(async (tx) => {
    const rows = await tx.execute<{ id: string; storage_key: string | null }>(sql`
      with gone as (
        delete from users where id in (
          select u.id from users u
          where u.is_guest and u.created_at < ${before}::timestamptz
            and not exists (
              select 1 from sessions s
              where s.user_id = u.id and coalesce(s.last_seen_at, s.created_at) >= ${before}::timestamptz
            )
          limit ${args.limit}
        ) returning id
      )
      select distinct g.id, f.storage_key from gone g left join files f on f.user_id = g.id`);
    const found = rowsOf<{ id: string; storage_key: string | null }>(rows);
    const ids = [...new Set(found.map((r) => r.id))];
    const storageKeys = [...new Set(found.flatMap((r) => (r.storage_key ? [r.storage_key] : [])))];
    if (ids.length) await tx.execute(sql`delete from usage_events where user_id = any(${`{${ids.join(",")}}`}::uuid[])`);
    return { count: ids.length, storageKeys };
  });
  if (deleted.count) forgetAllAuth();
  return deleted;
}

/** postgres.js returns the rows array, PGlite `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}

/** The built-in tools a user turned off (Settings → Tools). */
export async function getDisabledTools(args: { userId: string }, exec?: Executor): Promise<string[]> {
  if (!isUuid(args.userId)) return [];
  const db = await resolve(exec);
  const [row] = await db.select({ disabledTools: users.disabledTools }).from(users).where(eq(users.id, args.userId));
  return row?.disabledTools ?? [];
}

export async function setDisabledTools(args: { userId: string; disabledTools: string[] }, exec?: Executor): Promise<string[] | null> {
  if (!isUuid(args.userId)) return null;
  const db = await resolve(exec);
  const [row] = await db
    .update(users)
    .set({ disabledTools: args.disabledTools })
    .where(eq(users.id, args.userId))
    .returning({ disabledTools: users.disabledTools });
  forgetAuthForUser(args.userId);
  return row?.disabledTools ?? null;
}
