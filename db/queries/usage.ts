// The usage ledger (billing, dashboards, experiments). usage_events is partitioned by month; the
// DEFAULT partition catches any row whose month has no partition yet, so an insert never fails.
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { messages, type NewUsageEvent, usageEvents } from "../schema";
import { type Executor, resolve } from "./executor";
import type { finishAssistantMessage } from "./messages";

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
 * The end of a reply in ONE statement: the assistant message's final state and, when that update
 * applied (a reply is finished once: compare-and-set on finish_reason), its usage event. A single
 * statement is atomic (never a saved reply without its usage row), commits once (a durable commit
 * waits for a disk flush: 0.2 ms on an idle disk, several ms on a busy one) and is one round trip
 * where a transaction was four (BEGIN, UPDATE, INSERT, COMMIT).
 */
export async function finishReplyWithUsage(
  args: { message: Parameters<typeof finishAssistantMessage>[0]; usage: UsageEventInput },
  exec?: Executor,
): Promise<boolean> {
  const db = await resolve(exec);
  const m = args.message;
  const u = args.usage;
  const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
  const cost = u.costUsd === undefined || u.costUsd === null ? null : costToNumeric(u.costUsd);
  const result = (await db.execute(sql`
    with finished as (
      update ${messages} set
        content = ${m.content}::text, finish_reason = ${m.finishReason}::text, error = ${m.error ?? null}::text,
        model = ${m.model}::text, replica = ${m.replica ?? null}::text, experiment = ${m.experiment ?? null}::text,
        variant = ${m.variant ?? null}::text, token_count = ${json(m.tokenCount)}::jsonb, content_tokens = ${json(m.contentTokens)}::jsonb,
        context = ${json(m.context)}::jsonb, ttft_ms = ${m.ttftMs ?? null}::int, latency_ms = ${m.latencyMs ?? null}::int, updated_at = now()
       where id = ${m.id}::uuid and finish_reason is null
      returning id
    ),
    usage as (
      insert into ${usageEvents} (user_id, conversation_id, message_id, model, pool, replica, experiment, variant, prompt_tokens,
                                  completion_tokens, estimated_prompt_tokens, latency_ms, ttft_ms, cost_usd, finish_reason, created_at)
      select ${u.userId}::uuid, ${u.conversationId ?? null}::uuid, ${u.messageId ?? null}::uuid, ${u.model}::text, ${u.pool ?? null}::text,
             ${u.replica ?? null}::text, ${u.experiment ?? null}::text, ${u.variant ?? null}::text, ${u.promptTokens ?? null}::int,
             ${u.completionTokens ?? null}::int, ${u.estimatedPromptTokens ?? null}::int, ${u.latencyMs ?? null}::int, ${u.ttftMs ?? null}::int,
             ${cost}::numeric, ${u.finishReason ?? null}::text, coalesce(${u.createdAt?.toISOString() ?? null}::timestamptz, now())
        from finished
      returning 1
    )
    select count(*)::int as n from finished`)) as unknown;
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: number }[];
  return Number(rows[0]?.n ?? 0) > 0;
}
