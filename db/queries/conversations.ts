// Conversations, always scoped to their owner: every statement has user_id in its WHERE clause,
// and another user's conversation is indistinguishable from a missing one (null → 404).
import { and, desc, eq, isNull, or, sql } from "drizzle-orm";
import { DbError } from "../errors";
import { type Conversation, conversations } from "../schema";
import { type Executor, isUuid, resolve } from "./executor";

export interface ConversationPage {
  items: Conversation[];
  nextCursor: string | null;
  hasMore: boolean;
}

export async function createConversation(
  args: { id?: string; userId: string; title?: string | null; model: string; systemPrompt?: string | null },
  exec?: Executor,
): Promise<Conversation> {
  const db = await resolve(exec);
  const [row] = await db
    .insert(conversations)
    .values({
      ...(args.id ? { id: args.id } : {}),
      userId: args.userId,
      title: args.title ?? null,
      model: args.model,
      systemPrompt: args.systemPrompt ?? null,
    })
    .returning();
  return row;
}

export async function getConversationById(
  args: { id: string; userId: string },
  exec?: Executor,
): Promise<Conversation | null> {
  if (!isUuid(args.id)) return null;
  const db = await resolve(exec);
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.id, args.id), eq(conversations.userId, args.userId)))
    .limit(1);
  return row ?? null;
}

/**
 * Newest first, by keyset on (updated_at desc, id desc): a page never repeats or skips a row when
 * others are inserted meanwhile. `before` is the opaque `nextCursor` of the previous page.
 */
export async function listConversationsByUserId(
  args: { userId: string; limit: number; before?: string | null; archived?: boolean },
  exec?: Executor,
): Promise<ConversationPage> {
  const limit = Math.min(100, Math.max(1, Math.trunc(Number.isFinite(args.limit) ? args.limit : 20)));
  const cursor = args.before ? decodeCursor(args.before) : null;
  const db = await resolve(exec);
  const rows = await db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.userId, args.userId),
        eq(conversations.isArchived, args.archived ?? false),
        cursor
          ? sql`(${conversations.updatedAt}, ${conversations.id}) < (${cursor.updatedAt.toISOString()}::timestamptz, ${cursor.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(conversations.updatedAt), desc(conversations.id))
    .limit(limit + 1);
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, hasMore, nextCursor: hasMore && last ? encodeCursor(last) : null };
}

export async function renameConversation(
  args: { id: string; userId: string; title: string },
  exec?: Executor,
): Promise<Conversation | null> {
  if (!isUuid(args.id)) return null;
  const db = await resolve(exec);
  // Renaming is not activity: updated_at (the sidebar order) stays.
  const [row] = await db
    .update(conversations)
    .set({ title: args.title })
    .where(and(eq(conversations.id, args.id), eq(conversations.userId, args.userId)))
    .returning();
  return row ?? null;
}

/** Deletes the conversation and, by cascade, its messages. False when there was none of this user's. */
export async function deleteConversationById(args: { id: string; userId: string }, exec?: Executor): Promise<boolean> {
  if (!isUuid(args.id)) return false;
  const db = await resolve(exec);
  const rows = await db
    .delete(conversations)
    .where(and(eq(conversations.id, args.id), eq(conversations.userId, args.userId)))
    .returning({ id: conversations.id });
  return rows.length > 0;
}

/** Sets the automatic title unless the conversation has one (the user may have renamed it meanwhile). */
export function setConversationTitleIfEmpty(
  args: { id: string; userId: string; title: string },
  exec?: Executor,
): Promise<boolean> {
  return replaceConversationTitle({ ...args, expected: null }, exec);
}

// The cursor is base64url("<updated_at ms>.<id>"). Timestamps are stored with millisecond precision
// (db/schema.ts), so the value round-trips exactly.
function encodeCursor(row: Pick<Conversation, "updatedAt" | "id">): string {
  return Buffer.from(`${row.updatedAt.getTime()}.${row.id}`).toString("base64url");
}

const MAX_CURSOR_MS = Date.UTC(10000, 0, 1);

function decodeCursor(cursor: string): { updatedAt: Date; id: string } {
  const [ms, id] = Buffer.from(cursor, "base64url").toString("utf8").split(".");
  const updatedAt = new Date(Number(ms));
  // Only years 0000–9999: a later Date serialises as "+010000-…", which PostgreSQL cannot parse (a 500).
  if (!/^\d{1,15}$/.test(ms ?? "") || !(updatedAt.getTime() < MAX_CURSOR_MS) || !id || !isUuid(id)) {
    throw new DbError("invalid_cursor", "The pagination cursor is not valid.");
  }
  return { updatedAt, id };
}

export interface ConversationPatch {
  title?: string;
  systemPrompt?: string | null;
  model?: string;
  isArchived?: boolean;
}

/** Changes the user's settings of a conversation. Not activity: updated_at (the sidebar order) stays. */
export async function updateConversation(
  args: { id: string; userId: string; patch: ConversationPatch },
  exec?: Executor,
): Promise<Conversation | null> {
  if (!isUuid(args.id)) return null;
  const db = await resolve(exec);
  const patch = Object.fromEntries(Object.entries(args.patch).filter(([, v]) => v !== undefined));
  if (Object.keys(patch).length === 0) return getConversationById({ id: args.id, userId: args.userId }, db);
  const [row] = await db
    .update(conversations)
    .set(patch)
    .where(and(eq(conversations.id, args.id), eq(conversations.userId, args.userId)))
    .returning();
  return row ?? null;
}

/**
 * Stores an extended summary of the conversation's early history, compare-and-set on the previous
 * coverage, so two summarizers racing cannot overwrite a newer summary with an older one.
 */
export async function updateConversationSummary(
  args: { id: string; userId: string; summary: string; untilMessageId: string; previousUntilMessageId: string | null },
  exec?: Executor,
): Promise<boolean> {
  if (!isUuid(args.id)) return false;
  const db = await resolve(exec);
  const rows = await db
    .update(conversations)
    .set({ summary: args.summary, summaryUntilMessageId: args.untilMessageId })
    .where(
      and(
        eq(conversations.id, args.id),
        eq(conversations.userId, args.userId),
        args.previousUntilMessageId === null
          ? isNull(conversations.summaryUntilMessageId)
          : eq(conversations.summaryUntilMessageId, args.previousUntilMessageId),
      ),
    )
    .returning({ id: conversations.id });
  return rows.length > 0;
}

/**
 * Replaces the title only while it is still `expected` (null: no title yet), so a title the user set
 * meanwhile is never overwritten.
 */
export async function replaceConversationTitle(
  args: { id: string; userId: string; title: string; expected: string | null },
  exec?: Executor,
): Promise<boolean> {
  if (!isUuid(args.id)) return false;
  const db = await resolve(exec);
  const current =
    args.expected === null
      ? or(isNull(conversations.title), eq(conversations.title, ""))
      : eq(conversations.title, args.expected);
  const rows = await db
    .update(conversations)
    .set({ title: args.title })
    .where(and(eq(conversations.id, args.id), eq(conversations.userId, args.userId), current))
    .returning({ id: conversations.id });
  return rows.length > 0;
}
