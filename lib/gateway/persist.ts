// Step 8: the reply's final state and its usage event, in one transaction (one commit).
import { finishReplyWithUsage, type UsageEventInput } from "@/db/queries/usage";
import { observeReplyFinished } from "@/lib/metrics/observe";
import { metrics } from "@/lib/metrics/registry";
import { catalogEncodings, findModel, type CatalogModel } from "@/lib/models/catalog";
import { countForEncodings } from "@/lib/tokens/count";
import type { ReplyRun } from "./reply-run";

export function costUsd(model: CatalogModel, promptTokens: number, completionTokens: number): number {
  return (promptTokens * model.pricing.inputPerM + completionTokens * model.pricing.outputPerM) / 1_000_000;
}

/** The model that answered (a fallback, or the cascade's pick): it sets the price. */
export function answeringModel(run: ReplyRun, requested: CatalogModel): CatalogModel {
  return run.model === requested.id ? requested : (findModel(run.model) ?? requested);
}

/** A finished run's usage event (chat turns and API calls alike); counts the reply in the metrics. */
export function usageEventOf(
  run: ReplyRun,
  requested: CatalogModel,
  ids: { conversationId: string | null; messageId: string | null },
  tier: string,
): UsageEventInput {
  const r = run.result;
  if (!r) throw new Error("usage event before the reply ended");
  observeReplyFinished(run, tier);
  const usage = r.usage;
  return {
    userId: run.userId,
    ...ids,
    model: run.model,
    pool: run.pool,
    replica: run.replica,
    experiment: run.experiment,
    variant: run.variant,
    promptTokens: usage?.promptTokens ?? null,
    estimatedPromptTokens: run.context.promptTokens,
    completionTokens: usage?.completionTokens ?? null,
    latencyMs: (run.endedAt ?? Date.now()) - run.startedAt,
    ttftMs: run.ttftMs,
    costUsd: usage ? costUsd(answeringModel(run, requested), usage.promptTokens, usage.completionTokens).toFixed(6) : null,
    finishReason: r.finishReason,
  };
}

export async function persistReply(run: ReplyRun, requested: CatalogModel, tier: string): Promise<void> {
  const r = run.result;
  if (!r) throw new Error("persistReply before the reply ended");
  const usageEvent = usageEventOf(run, requested, { conversationId: run.conversationId, messageId: run.id }, tier);
  const m = metrics();
  const stopTimer = m.persist.startTimer({ step: "finish" });
  const usage = r.usage;
  const latencyMs = usageEvent.latencyMs ?? (run.endedAt ?? Date.now()) - run.startedAt;
  const contentTokens = await countForEncodings(run.content, catalogEncodings());
  await finishReplyWithUsage({
    message: {
      id: run.id,
      content: run.content,
      finishReason: r.finishReason,
      error: r.error ?? null,
      model: run.model,
      replica: run.replica,
      experiment: run.experiment,
      variant: run.variant,
      tokenCount: usage ? { prompt: usage.promptTokens, completion: usage.completionTokens } : null,
      contentTokens,
      context: run.context,
      ttftMs: run.ttftMs,
      latencyMs,
    },
    // Written only when the message update applied: a reply already finished (e.g. swept) is never overridden.
    usage: usageEvent,
  });
  stopTimer();
}
