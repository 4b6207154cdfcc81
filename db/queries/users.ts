// Accounts: email + password users and guests.
import { and, eq, sql } from "drizzle-orm";
import { DbError, pgErrorCode, UNIQUE_VIOLATION } from "../errors";
import { type User, users } from "../schema";
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
  return user ?? null;
}
