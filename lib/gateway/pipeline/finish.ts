// Step 9: when the reply ends — the output moderation audit, the reply's final state and its usage
// event in one transaction (a stored reply) or the usage event alone (the public API), the tokens
// counted against the day's allowance, metrics and the reply's log line (lib/metrics/observe.ts); then the lease and the log go (live.ts). The
// turn's final cleanups (the stream slot) run as soon as generation ends. `saved` resolves once all of that is written.
import { insertUsageEvent, finishReplyWithUsage, type UsageEventInput } from "@/db/queries/usage";
import { recordTokens } from "@/lib/limits/usage-limits";
import { bindToRequest } from "@/lib/log/context";
import { log } from "@/lib/log/logger";
import { observeReplyFinished } from "@/lib/metrics/observe";
import { metrics } from "@/lib/metrics/registry";
import { catalogEncodings, findModel, type CatalogModel } from "@/lib/models/catalog";
import { auditOutput } from "@/lib/safety/output";
import { countForEncodings } from "@/lib/tokens/count";
import type { ReplyRun } from "../reply-run";
import { releaseReply } from "./live";
import { saveToolSteps } from "./tool-steps";
import type { Turn } from "./turn";

export function costUsd(model: CatalogModel, promptTokens: number, completionTokens: number): number {
  return (promptTokens * model.pricing.inputPerM + completionTokens * model.pricing.outputPerM) / 1_000_000;
}

/** Registers the end-of-reply work; returns a promise that resolves when it is all written. */
export function finish(turn: Turn, run: ReplyRun, requested: CatalogModel): Promise<void> {
  return new Promise<void>((resolve) => {
    // Bound to this turn's request: the end may come from the shared ticker, a pooled upstream
    // socket's callback or another request's stop, and its log lines must name this request and user.
    run.onEnd(bindToRequest(() => {
      turn.end(); // the stream slot is free as soon as generation is
      void auditOutput(run);
      // Counted and logged once per reply (chat turn or API call), with the tier of the user it served.
      observeReplyFinished(run, turn.user.tier);
      const stored = run.conversationId !== "";
      // A reply stopped during a tool step is saved once the tool has stopped and reported.
      const save = (): Promise<unknown> => (stored ? persistReply(run, requested) : insertUsageEvent(usageEventOf(run, requested)));
      const saved = Promise.resolve(run.toolSettled)
        .then(save)
        .catch((err: unknown) => log().error({ err, reply_id: run.id }, "gateway: saving the reply failed"));
      // A stored reply's end goes out once it is saved (ReplyRun.holdEndUntil); the lease and the log go after it.
      if (stored) run.holdEndUntil(saved);
      const sent = new Promise<void>((done) => run.afterEndSent(done));
      Promise.all([saved, sent])
        .then(() => {
          const u = run.result?.usage;
          if (u) recordTokens(turn.user, u.promptTokens + u.completionTokens).catch((err: unknown) => log().warn({ err }, "limits: token count failed"));
          return releaseReply(run);
        })
        .finally(resolve);
    }));
  });
}

/** A finished run's usage event (chat turns and API calls alike). */
function usageEventOf(run: ReplyRun, requested: CatalogModel): UsageEventInput {
  const r = run.result!;
  const usage = r.usage;
  // The model that answered (a fallback, or the cascade's pick) sets the price.
  const answering = run.model === requested.id ? requested : (findModel(run.model) ?? requested);
  const stored = run.conversationId !== "";
  return {
    userId: run.userId,
    conversationId: stored ? run.conversationId : null,
    messageId: stored ? run.id : null,
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
    costUsd: usage ? costUsd(answering, usage.promptTokens, usage.completionTokens).toFixed(6) : null,
    finishReason: r.finishReason,
  };
}

async function persistReply(run: ReplyRun, requested: CatalogModel): Promise<void> {
  const r = run.result!;
  const usageEvent = usageEventOf(run, requested);
  const stopTimer = metrics().persist.startTimer({ step: "finish" });
  const usage = r.usage;
  const contentTokens = await countForEncodings(run.content, catalogEncodings());
  // Tool steps not saved yet (most were, as they completed: tool-steps.ts) first, so the path is whole once the reply is final.
  if (run.toolSteps.length) await saveToolSteps(run, { final: true });
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
      latencyMs: usageEvent.latencyMs,
    },
    // Written only when the message update applied: a reply already finished (e.g. swept) is never overridden.
    usage: usageEvent,
  });
  stopTimer();
}
