// Step 8: stream from upstream into the reply. The reply (../reply-run.ts) runs each delta through
// output moderation and appends it to the event log (live.ts); a failure before the first token is
// retried once on another replica (or the model's fallback when the pool has none left). After the
// first token nothing is retried: the partial reply is kept with finish_reason "error".
// Tools: a `tool_calls` finish of a chat turn runs the calls (tools.ts), appends their events, and
// calls the model again (routed like the first call) with the results in the body — the loop stays
// inside this step. For the public API the calls are the caller's: they end the reply, returned.
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
import { streamChatCompletion, type UpstreamResult, type UpstreamToolCall, type UpstreamUsage } from "../upstream";
import { appendTo, track } from "./live";
import { withVariant } from "./route";
import { runToolStep, toCallInfos, toolsBody, type ToolLoop } from "./tools";

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
  /** The API caller's sampling parameters (they win over a variant's temperature) and its own `tools`. */
  params?: Record<string, unknown>;
  /** The built-in tools a chat turn offers (null: none; always null for the public API). */
  loop?: ToolLoop | null;
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
  const loop = args.loop ?? null;
  streamRouted(
    run,
    args,
    args.target,
    {
      messages: withContentParts(args.context.messages),
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: args.context.maxTokens,
      ...params,
      ...(temperature === undefined ? {} : { temperature }),
      ...toolsBody(loop, 0),
    },
    loop,
  );
  return run;
}

type Retry = Pick<StreamArgs, "model" | "tier" | "assignment" | "affinityKey">;

/** What carries over between the model calls of one reply: the growing body, the usage so far. */
interface Steps {
  loop: ToolLoop | null;
  body: Record<string, unknown>;
  usage: UpstreamUsage | null;
}

/** Streams `body` from `target` into the run, retrying once on another replica before the first token. */
export function streamRouted(run: ReplyRun, retry: Retry, target: Target, body: Record<string, unknown>, loop: ToolLoop | null = null): void {
  attempt(run, retry, target, 1, new Set(), { loop, body, usage: null });
}

function addUsage(a: UpstreamUsage | null, b: UpstreamUsage | undefined): UpstreamUsage | undefined {
  if (!a) return b;
  return { promptTokens: a.promptTokens + (b?.promptTokens ?? 0), completionTokens: a.completionTokens + (b?.completionTokens ?? 0) };
}

/** A model turn ended in tool calls: run them (a chat) or hand them back (the API's own tools). */
function onToolCalls(run: ReplyRun, args: Retry, steps: Steps, upstream: UpstreamResult, calls: UpstreamToolCall[]): void {
  const usage = addUsage(steps.usage, upstream.usage);
  if (!steps.loop) {
    run.callerToolCalls(toCallInfos(calls, 1));
    return run.end({ finishReason: "tool_calls", usage });
  }
  // Past the step limit the tools were withheld; a model that calls one anyway has answered.
  if (run.toolSteps.length >= steps.loop.maxSteps) return run.end({ finishReason: "stop", usage });
  const loop = steps.loop;
  runToolStep(run, loop, calls)
    .then(async (added) => {
      if (!added) return;
      const body: Record<string, unknown> = { ...steps.body, messages: [...(steps.body.messages as unknown[]), ...added] };
      delete body.tools;
      delete body.tool_choice;
      Object.assign(body, toolsBody(loop, run.toolSteps.length));
      // Each step is routed like the first call: the pool's healthiest replica, the same affinity.
      const next = withVariant(
        await pickTarget(args.model, args.tier, { affinityKey: args.affinityKey, poolName: args.assignment?.variant.pool }),
        args.model,
        args.assignment,
      );
      if (run.done) return;
      run.model = next.model;
      run.pool = next.pool;
      run.replica = next.replica;
      run.upstreamModel = next.upstreamModel;
      attempt(run, args, next, 1, new Set(), { loop, body, usage: usage ?? null });
    })
    .catch((err: unknown) => run.fail("The model server could not be reached after a tool step.", (err as Error).message));
}

function attempt(run: ReplyRun, args: Retry, target: Target, retriesLeft: number, tried: Set<string>, steps: Steps): void {
  const body = steps.body;
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
      onToolDelta() {
        if (!started && timer) clearTimeout(timer);
        started = true;
        run.lastUpstreamAt = Date.now();
        run.answering();
      },
      onEnd(upstream) {
        if (timer) clearTimeout(timer);
        run.abort.signal.removeEventListener("abort", forward);
        const result = timedOut && !started ? { finishReason: "error" as const, error: "The model server did not start answering in time." } : upstream;
        // 4xx other than 429 is about the request, not the replica: neither counted nor retried.
        const replicaFault = result.finishReason === "error" && (upstream.status === undefined || upstream.status >= 500 || upstream.status === 429);
        if (result.finishReason === "error") observeUpstreamError(target.replica, upstream.status, timedOut && !started);
        lease.release(result.finishReason === "aborted" || (result.finishReason === "error" && !replicaFault) ? "neutral" : replicaFault ? "failed" : "ok");
        if (result.finishReason === "tool_calls" && upstream.toolCalls?.length && !run.done) return onToolCalls(run, args, steps, upstream, upstream.toolCalls);
        if (!replicaFault || started || retriesLeft <= 0 || run.done || run.abort.signal.aborted) {
          return run.end(steps.usage ? { ...result, usage: addUsage(steps.usage, result.usage) } : result);
        }
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
            attempt(run, args, routed, retriesLeft - 1, tried, steps);
          })
          .catch(() => run.end(result));
      },
    },
  );
}
