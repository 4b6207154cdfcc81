// Step 8: stream from upstream into the reply. The reply (../reply-run.ts) runs each delta through
// output moderation and appends it to the event log (live.ts); a failure before the first token is
// retried once on another replica (or the model's fallback when the pool has none left). After the
// first token nothing is retried: the partial reply is kept with finish_reason "error".
// Seam for tools: a `tool_calls` finish runs the tool here, appends its events, and calls attempt()
// again with the result in the body — the loop stays inside this step.
import { env } from "@/lib/env";
import { withContentParts } from "@/lib/files/api-images";
import type { LimitNotice } from "@/lib/limits/usage-limits";
import { observeUpstreamError } from "@/lib/metrics/observe";
import type { CatalogModel, Tier } from "@/lib/models/catalog";
import { countRoutingEvent } from "@/lib/routing/metrics";
import type { Assignment } from "@/lib/routing/experiments";
import { acquire, pickTarget, type Target } from "@/lib/routing/router";
import { outputFilter } from "@/lib/safety/output";
import type { AssembledContext } from "../context";
import { ReplyRun } from "../reply-run";
import { streamChatCompletion } from "../upstream";
import { appendTo, track } from "./live";
import { withVariant } from "./route";

export interface StreamArgs {
  replyId: string;
  conversationId: string | null;
  userId: string;
  userMessageId: string | null;
  tier: Tier;
  model: CatalogModel;
  target: Target | null;
  failure: string | null;
  assignment: Assignment | null;
  affinityKey: string;
  context: AssembledContext;
  notice: LimitNotice | null;
  /** The API caller's sampling parameters (they win over a variant's temperature). */
  params?: Record<string, unknown>;
}

export function stream(args: StreamArgs): ReplyRun {
  const logged = args.conversationId !== null; // a public API completion is not resumable: nothing is stored
  const run = new ReplyRun({
    id: args.replyId,
    conversationId: args.conversationId ?? "",
    userId: args.userId,
    userMessageId: args.userMessageId ?? "",
    model: args.target?.model ?? args.model.id,
    upstreamModel: args.target?.upstreamModel ?? "",
    pool: args.target?.pool ?? "",
    replica: args.target?.replica ?? "",
    context: args.context.info,
    experiment: args.assignment?.experiment ?? null,
    variant: args.assignment?.variant.name ?? null,
    filter: outputFilter(),
    limitNotice: args.notice,
    append: logged ? appendTo(args.replyId) : undefined,
  });
  track(run, logged);
  if (!args.target) {
    run.fail(args.failure ?? "No model server is available.");
    return run;
  }
  const params = args.params ?? {};
  // A variant's temperature, unless the request sets its own (an API caller's explicit parameter wins).
  const temperature = params.temperature === undefined ? args.assignment?.variant.temperature : undefined;
  streamRouted(run, args, args.target, {
    messages: withContentParts(args.context.messages),
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: args.context.maxTokens,
    ...params,
    ...(temperature === undefined ? {} : { temperature }),
  });
  return run;
}

type Retry = Pick<StreamArgs, "model" | "tier" | "assignment" | "affinityKey">;

/** Streams `body` from `target` into the run, retrying once on another replica before the first token. */
export function streamRouted(run: ReplyRun, retry: Retry, target: Target, body: Record<string, unknown>): void {
  attempt(run, retry, target, 1, new Set(), body);
}

function attempt(run: ReplyRun, args: Retry, target: Target, retriesLeft: number, tried: Set<string>, body: Record<string, unknown>): void {
  const lease = acquire(target);
  let started = false;
  // Per attempt, so a replica that never sends a first token can be cancelled and the reply retried.
  const attemptAbort = new AbortController();
  const forward = () => attemptAbort.abort();
  run.abort.signal.addEventListener("abort", forward, { once: true });
  let timedOut = false;
  const firstTokenTimeoutMs = env().ROUTER_FIRST_TOKEN_TIMEOUT_MS;
  const timer =
    retriesLeft > 0 && firstTokenTimeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          attemptAbort.abort();
        }, firstTokenTimeoutMs)
      : null;
  timer?.unref();
  streamChatCompletion(
    { baseUrl: target.replica, signal: attemptAbort.signal, headersTimeoutMs: env().UPSTREAM_STALL_MS, body: { ...body, model: target.upstreamModel } },
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
        const replicaFault = result.finishReason === "error" && (upstream.status === undefined || upstream.status >= 500 || upstream.status === 429);
        if (result.finishReason === "error") observeUpstreamError(target.replica, upstream.status, timedOut && !started);
        lease.release(result.finishReason === "aborted" || (result.finishReason === "error" && !replicaFault) ? "neutral" : replicaFault ? "failed" : "ok");
        if (!replicaFault || started || retriesLeft <= 0 || run.done || run.abort.signal.aborted) return run.end(result);
        tried.add(target.replica);
        pickTarget(args.model, args.tier, { affinityKey: args.affinityKey, exclude: tried, poolName: args.assignment?.variant.pool })
          .then((next) => {
            if (run.done) return;
            const routed = withVariant(next, args.model, args.assignment);
            countRoutingEvent("retry");
            run.model = routed.model;
            run.pool = routed.pool;
            run.replica = routed.replica;
            run.upstreamModel = routed.upstreamModel;
            run.lastUpstreamAt = Date.now(); // the stall timer starts over for the new replica
            attempt(run, args, routed, retriesLeft - 1, tried, body);
          })
          .catch(() => run.end(result));
      },
    },
  );
}
