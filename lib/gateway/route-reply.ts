// Step 6–7 glue: the "auto" cascade and A/B variants decide what to send where, the router picks a
// replica, and a failure before the first token is retried once on another replica (or the model's
// fallback when the pool has none left). After the first token nothing is retried: the partial reply
// is kept (ReplyRun ends with finish_reason "error").
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { tierLimits } from "@/lib/limits/config";
import { priorityGate } from "@/lib/limits/priority-gate";
import { findModel, type CatalogModel, type Tier } from "@/lib/models/catalog";
import { observeUpstreamError } from "@/lib/metrics/observe";
import { classify } from "@/lib/routing/cascade";
import { countRoutingEvent } from "@/lib/routing/metrics";
import type { Assignment } from "@/lib/routing/experiments";
import { acquire, pickTarget, type Target } from "@/lib/routing/router";
import type { UpstreamMessage } from "./context";
import type { ReplyRun } from "./reply-run";
import { streamChatCompletion } from "./upstream";

/** A model with an experiment variant's system prompt applied (before the system text is built). */
export function withVariant(model: CatalogModel, assignment: Assignment | null): CatalogModel {
  const prompt = assignment?.variant.systemPrompt;
  return prompt === undefined ? model : { ...model, systemPrompt: prompt };
}

/** The model that will answer: the cascade's pick for "auto", else the model itself. */
export function cascadeModel(model: CatalogModel, messages: UpstreamMessage[]): CatalogModel {
  if (!model.cascade) return model;
  const users = messages.filter((m) => m.role === "user");
  const last = users[users.length - 1];
  const decision = classify({ text: last?.content ?? "", depth: users.length, attachments: 0 });
  const id = decision.tier === "cheap" ? model.cascade.cheap : model.cascade.strong;
  return findModel(id) ?? model;
}

export interface RoutePlan {
  target: Target | null;
  error: string | null;
  /** Why there is no target, as the error to answer with (the public API answers it; a chat turn saves the message). */
  failure?: AppError | null;
}

export interface PlanArgs {
  model: CatalogModel;
  tier: Tier;
  /** Same key → same replica (its prefix cache): the conversation id, or the API's key for a session. */
  affinityKey: string;
  assignment: Assignment | null;
}

export async function planTarget(args: PlanArgs): Promise<RoutePlan> {
  try {
    const target = await pickTarget(args.model, args.tier, {
      affinityKey: args.affinityKey,
      poolName: args.assignment?.variant.pool,
    });
    return { target: applyVariant(target, args.model, args.assignment), error: null };
  } catch (err) {
    return failed(err);
  }
}

function failed(err: unknown): RoutePlan {
  const failure = err instanceof AppError ? err : null;
  return { target: null, error: failure?.message ?? "No model server is available.", failure };
}

/** planTarget, then priority under load (lib/limits): free-tier requests wait behind paid ones while the pool is saturated. */
export async function planAndAdmit(args: PlanArgs): Promise<RoutePlan> {
  const plan = await planTarget(args);
  if (!plan.target) return plan;
  try {
    await priorityGate().admit(plan.target.pool, tierLimits(args.tier).priority);
  } catch (err) {
    return failed(err);
  }
  return plan;
}

function applyVariant(target: Target, model: CatalogModel, assignment: Assignment | null): Target {
  const upstream = assignment?.variant.upstreamModel;
  return upstream && target.model === model.id ? { ...target, upstreamModel: upstream } : target;
}

/** Streams the reply into run, retrying once before the first token on another replica. */
export function streamRouted(args: {
  run: ReplyRun;
  model: CatalogModel;
  tier: Tier;
  target: Target;
  assignment: Assignment | null;
  body: Record<string, unknown>;
  headersTimeoutMs: number;
  /** For the retry's replica choice; the conversation id when absent. */
  affinityKey?: string;
}): void {
  const { run } = args;
  // A variant's temperature, unless the request sets its own (an API caller's explicit parameter wins).
  const temperature = args.body.temperature === undefined ? args.assignment?.variant.temperature : undefined;
  const affinityKey = args.affinityKey ?? run.conversationId;
  const tried = new Set<string>();
  const firstTokenTimeoutMs = env().ROUTER_FIRST_TOKEN_TIMEOUT_MS;

  const attempt = (target: Target, retriesLeft: number) => {
    const lease = acquire(target);
    let started = false;
    // Per attempt, so a replica that never sends a first token can be cancelled and the reply retried.
    const attemptAbort = new AbortController();
    const forward = () => attemptAbort.abort();
    run.abort.signal.addEventListener("abort", forward, { once: true });
    let timedOut = false;
    const timer =
      retriesLeft > 0 && firstTokenTimeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            attemptAbort.abort();
          }, firstTokenTimeoutMs)
        : null;
    timer?.unref();
    streamChatCompletion(
      {
        baseUrl: target.replica,
        signal: attemptAbort.signal,
        headersTimeoutMs: args.headersTimeoutMs,
        body: { ...args.body, model: target.upstreamModel, ...(temperature === undefined ? {} : { temperature }) },
      },
      {
        onDelta(text) {
          if (!started && timer) clearTimeout(timer);
          started = true;
          run.push(text);
        },
        onEnd(upstream) {
          if (timer) clearTimeout(timer);
          run.abort.signal.removeEventListener("abort", forward);
          const result = timedOut && !started ? { finishReason: "error" as const, error: "The model server did not start answering in time." } : upstream;
          // 4xx other than 429 is about the request, not the replica: neither counted nor retried.
          const replicaFault =
            result.finishReason === "error" && (result.status === undefined || result.status >= 500 || result.status === 429);
          if (result.finishReason === "error") observeUpstreamError(target.replica, result.status, timedOut && !started);
          lease.release(result.finishReason === "aborted" || (result.finishReason === "error" && !replicaFault) ? "neutral" : replicaFault ? "failed" : "ok");
          if (!replicaFault || started || retriesLeft <= 0 || run.done || run.abort.signal.aborted) {
            run.end(result);
            return;
          }
          tried.add(target.replica);
          pickTarget(args.model, args.tier, { affinityKey, exclude: tried, poolName: args.assignment?.variant.pool })
            .then((next) => {
              if (run.done) return;
              const routed = applyVariant(next, args.model, args.assignment);
              countRoutingEvent("retry");
              run.model = routed.model;
              run.pool = routed.pool;
              run.replica = routed.replica;
              run.upstreamModel = routed.upstreamModel;
              run.lastUpstreamAt = Date.now(); // the stall timer starts over for the new replica
              attempt(routed, retriesLeft - 1);
            })
            .catch(() => run.end(result));
        },
      },
    );
  };
  attempt(args.target, 1);
}
