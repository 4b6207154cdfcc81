// "Good response" / "Bad response" votes: one per user per message, only on assistant messages of
// the user's own conversations (a message of anyone else is null → 404).
import { and, eq, inArray, sql } from "drizzle-orm";
import { conversations, feedback, type FeedbackRating, messages } from "../schema";
import { type Executor, resolve } from "./executor";

/** Sets (or with null, clears) the user's vote. Returns null when the message is not theirs. */
export async function setFeedback(
  args: { messageId: string; userId: string; rating: FeedbackRating | null },
  exec?: Executor,
): Promise<{ rating: FeedbackRating | null } | null> {
  const db = await resolve(exec);
  const [owned] = await db
    .select({ id: messages.id })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.id, args.messageId), eq(conversations.userId, args.userId), eq(messages.role, "assistant")));
  if (!owned) return null;
  if (args.rating === null) {
    await db.delete(feedback).where(and(eq(feedback.messageId, args.messageId), eq(feedback.userId, args.userId)));
    return { rating: null };
  }
  await db
    .insert(feedback)
    .values({ messageId: args.messageId, userId: args.userId, rating: args.rating })
    .onConflictDoUpdate({ target: [feedback.messageId, feedback.userId], set: { rating: args.rating, updatedAt: sql`now()` } });
  return { rating: args.rating };
}

/** The user's votes on these messages, by message id. */
export async function listFeedbackByMessageIds(
  args: { userId: string; messageIds: string[] },
  exec?: Executor,
): Promise<Map<string, FeedbackRating>> {
  if (args.messageIds.length === 0) return new Map();
  const db = await resolve(exec);
  const rows = await db
    .select({ messageId: feedback.messageId, rating: feedback.rating })
    .from(feedback)
    .where(and(eq(feedback.userId, args.userId), inArray(feedback.messageId, args.messageIds)));
  return new Map(rows.map((r) => [r.messageId, r.rating]));
}
