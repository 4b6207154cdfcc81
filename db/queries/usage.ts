// The usage ledger (billing, dashboards, experiments). usage_events is partitioned by month; the
// DEFAULT partition catches any row whose month has no partition yet, so an insert never fails.
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { type NewUsageEvent, usageEvents } from "../schema";
import { type Executor, resolve } from "./executor";
import { finishAssistantMessage } from "./messages";

export type UsageEventInput = Omit<NewUsageEvent, "id" | "costUsd"> & {
  /** Dollars; a number is stored as numeric(12,6). */
  costUsd?: number | string | null;
};

export async function insertUsageEvent(args: UsageEventInput, exec?: Executor): Promise<{ id: string }> {
  const db = await resolve(exec);
  const [row] = await db
    .insert(usageEvents)
    .values({
      ...args,
      costUsd: args.costUsd === undefined || args.costUsd === null ? null : costToNumeric(args.costUsd),
    })
    .returning({ id: usageEvents.id });
  return row;
}

/** Creates monthly partitions from this month (UTC) through monthsAhead ahead. Returns how many were new. */
export async function ensureUsagePartitions(args: { monthsAhead: number }, exec?: Executor): Promise<number> {
  const db = await resolve(exec);
  const monthsAhead = Math.max(0, Math.min(120, Math.trunc(args.monthsAhead)));
  const [row] = await db
    .select({ created: sql<number>`ensure_usage_partitions(${monthsAhead}::int)`.mapWith(Number) })
    .from(sql`(select 1) as once`);
  return row?.created ?? 0;
}

function costToNumeric(cost: number | string): string {
  return typeof cost === "number" ? cost.toFixed(6) : cost;
}

export interface UsageTotals {
  replies: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

/** The owner's usage in [from, to): partition pruning keeps this to the period's partitions. */
export async function getUsageTotalsByUserId(args: { userId: string; from: Date; to: Date }, exec?: Executor): Promise<UsageTotals> {
  const db = await resolve(exec);
  const [row] = await db
    .select({
      replies: sql<number>`count(*)`.mapWith(Number),
      promptTokens: sql<number>`coalesce(sum(coalesce(${usageEvents.promptTokens}, ${usageEvents.estimatedPromptTokens})), 0)`.mapWith(Number),
      completionTokens: sql<number>`coalesce(sum(${usageEvents.completionTokens}), 0)`.mapWith(Number),
      costUsd: sql<number>`coalesce(sum(${usageEvents.costUsd}), 0)`.mapWith(Number),
    })
    .from(usageEvents)
    .where(and(eq(usageEvents.userId, args.userId), gte(usageEvents.createdAt, args.from), lt(usageEvents.createdAt, args.to)));
  return row ?? { replies: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
}

/**
 * The end of a reply in one transaction: the assistant message's final state and, when that update
 * applied (a reply is finished once), its usage event. One commit instead of two (a durable commit waits
 * for a disk flush: 0.2 ms on an idle disk, several ms on a busy one), and never a saved reply without
 * its usage row.
 */
export async function finishReplyWithUsage(
  args: { message: Parameters<typeof finishAssistantMessage>[0]; usage: UsageEventInput },
  exec?: Executor,
): Promise<boolean> {
  const db = await resolve(exec);
  return db.transaction(async (tx) => {
    const saved = await finishAssistantMessage(args.message, tx);
    if (saved) await insertUsageEvent(args.usage, tx);
    return saved;
  });
}
