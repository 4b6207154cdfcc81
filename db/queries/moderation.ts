// The audit trail of the safety layer: one row per flagged input or output, and the admin review
// queue over it. The queue's queries are not owner-scoped on purpose: only admin pages call them
// (requireAdminUser), and they answer for every user.
import { and, desc, eq, lt, or } from "drizzle-orm";
import { moderationEvents, users, type ModerationReviewStatus, type NewModerationEvent } from "../schema";
import { type Executor, isUuid, resolve } from "./executor";

export async function insertModerationEvent(
  args: Omit<NewModerationEvent, "id" | "createdAt" | "reviewStatus" | "reviewedBy" | "reviewedAt">,
  exec?: Executor,
): Promise<{ id: string }> {
  const db = await resolve(exec);
  const [row] = await db.insert(moderationEvents).values(args).returning({ id: moderationEvents.id });
  return row;
}

export interface ModerationQueueItem {
  id: string;
  userId: string;
  userEmail: string | null;
  conversationId: string | null;
  messageId: string | null;
  model: string | null;
  direction: string;
  action: string;
  categories: Record<string, number> | null;
  content: string | null;
  detail: NewModerationEvent["detail"];
  reviewStatus: ModerationReviewStatus;
  createdAt: Date;
}

const MAX_PAGE = 100;

/** Flagged events with a review status, newest first; `before` is the previous page's last (createdAt, id). */
export async function listModerationEventsForReview(
  args: { status: ModerationReviewStatus; limit?: number; before?: { createdAt: Date; id: string } },
  exec?: Executor,
): Promise<ModerationQueueItem[]> {
  const db = await resolve(exec);
  const limit = Math.min(Math.max(args.limit ?? 50, 1), MAX_PAGE);
  const b = args.before;
  const rows = await db
    .select({
      id: moderationEvents.id,
      userId: moderationEvents.userId,
      userEmail: users.email,
      conversationId: moderationEvents.conversationId,
      messageId: moderationEvents.messageId,
      model: moderationEvents.model,
      direction: moderationEvents.direction,
      action: moderationEvents.action,
      categories: moderationEvents.categories,
      content: moderationEvents.content,
      detail: moderationEvents.detail,
      reviewStatus: moderationEvents.reviewStatus,
      createdAt: moderationEvents.createdAt,
    })
    .from(moderationEvents)
    .innerJoin(users, eq(users.id, moderationEvents.userId))
    .where(
      and(
        eq(moderationEvents.flagged, true),
        eq(moderationEvents.reviewStatus, args.status),
        b
          ? or(lt(moderationEvents.createdAt, b.createdAt), and(eq(moderationEvents.createdAt, b.createdAt), lt(moderationEvents.id, b.id)))
          : undefined,
      ),
    )
    .orderBy(desc(moderationEvents.createdAt), desc(moderationEvents.id))
    .limit(limit);
  return rows as ModerationQueueItem[];
}

/** Confirms or dismisses one event; null when it does not exist. */
export async function reviewModerationEvent(
  args: { id: string; reviewerId: string; status: Exclude<ModerationReviewStatus, "pending"> },
  exec?: Executor,
): Promise<{ id: string } | null> {
  if (!isUuid(args.id)) return null;
  const db = await resolve(exec);
  const [row] = await db
    .update(moderationEvents)
    .set({ reviewStatus: args.status, reviewedBy: args.reviewerId, reviewedAt: new Date() })
    .where(eq(moderationEvents.id, args.id))
    .returning({ id: moderationEvents.id });
  return row ?? null;
}

export async function listModerationEventsByMessageId(args: { messageId: string }, exec?: Executor) {
  const db = await resolve(exec);
  return db.select().from(moderationEvents).where(eq(moderationEvents.messageId, args.messageId)).orderBy(moderationEvents.createdAt);
}
