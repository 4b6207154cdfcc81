// The public API's pipeline (POST /v1/chat/completions): the caller sends the whole conversation and
// nothing is stored but the usage event. Same steps as a chat turn otherwise: limits (requests per
// minute, tokens per day, concurrent streams), routing and priority, the upstream stream, usage.
import { randomBytes } from "node:crypto";
import { insertUsageEvent } from "@/db/queries/usage";
import type { SessionUser } from "@/lib/auth/session-user";
import { errors } from "@/lib/errors";
import { env } from "@/lib/env";
import { tierLimits } from "@/lib/limits/config";
import { priorityGate } from "@/lib/limits/priority-gate";
import { admitApiRequest, holdStreamSlot, recordTokens } from "@/lib/limits/usage-limits";
import { metrics } from "@/lib/metrics/registry";
import type { CatalogModel } from "@/lib/models/catalog";
import { MESSAGE_OVERHEAD_TOKENS, REPLY_PRIMING_TOKENS, tokenCounter } from "@/lib/tokens/count";
import { costUsd } from "./persist";
import { ReplyRun } from "./reply-run";
import { selectTarget } from "./select-replica";
import { resolveModel } from "./start-reply";
import { streamChatCompletion } from "./upstream";

export interface CompletionInput {
  model: string;
  messages: { role: string; content: string; name?: string }[];
  maxTokens?: number | null;
  temperature?: number | null;
  topP?: number | null;
  seed?: number | null;
  stop?: string | string[] | null;
}

export interface StartedCompletion {
  run: ReplyRun;
  model: CatalogModel;
  promptTokens: number;
  /** x-ratelimit-* headers for the response. */
  headers: Record<string, string>;
}

export async function startCompletion(user: SessionUser, input: CompletionInput): Promise<StartedCompletion> {
  const model = resolveModel(input.model, user);
  const headers = await admitApiRequest(user);

  const count = await tokenCounter(model.encoding);
  const promptTokens =
    input.messages.reduce((sum, m) => sum + count(m.content) + MESSAGE_OVERHEAD_TOKENS, 0) + REPLY_PRIMING_TOKENS;
  const room = model.contextWindow - promptTokens;
  if (room <= 0) {
    throw errors.badRequest(
      `This model's maximum context length is ${model.contextWindow} tokens; the messages have ${promptTokens}.`,
      "context_length_exceeded",
      "messages",
    );
  }
  const maxTokens = Math.min(input.maxTokens ?? model.maxOutputTokens, model.maxOutputTokens, room);

  const id = `chatcmpl-${randomBytes(12).toString("base64url")}`;
  const release = await holdStreamSlot(user, id);
  let target;
  try {
    target = await selectTarget(model, user.tier);
    await priorityGate().admit(target.pool, tierLimits(user.tier).priority);
  } catch (err) {
    release();
    throw err;
  }

  const run = new ReplyRun({
    id,
    conversationId: "",
    userId: user.id,
    userMessageId: "",
    model: model.id,
    upstreamModel: target.upstreamModel,
    pool: target.pool,
    replica: target.replica,
    context: { omitted: 0, summarized: false, promptTokens },
  });
  const stall = watchStall(run, env().UPSTREAM_STALL_MS);
  run.onEnd(() => {
    clearInterval(stall);
    release();
    recordUsage(user, run, model).catch((err: unknown) => console.error("[api] usage not recorded", run.id, err));
  });
  streamChatCompletion(
    {
      baseUrl: target.replica,
      signal: run.abort.signal,
      headersTimeoutMs: env().UPSTREAM_STALL_MS,
      body: {
        model: target.upstreamModel,
        messages: input.messages,
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: maxTokens,
        ...(input.temperature != null && { temperature: input.temperature }),
        ...(input.topP != null && { top_p: input.topP }),
        ...(input.seed != null && { seed: input.seed }),
        ...(input.stop != null && { stop: input.stop }),
      },
    },
    { onDelta: (text) => run.push(text), onEnd: (result) => run.end(result) },
  );
  return { run, model, promptTokens, headers };
}

/** Chat turns get stall detection from the live-replies ticker; API runs are not tracked there (nothing to checkpoint). */
function watchStall(run: ReplyRun, stallMs: number): NodeJS.Timeout {
  const timer = setInterval(() => {
    if (!run.done && Date.now() - run.lastUpstreamAt > stallMs) run.fail("The model stopped responding.");
  }, Math.max(50, Math.min(1_000, stallMs / 4)));
  timer.unref();
  return timer;
}

async function recordUsage(user: SessionUser, run: ReplyRun, model: CatalogModel): Promise<void> {
  const r = run.result!;
  const m = metrics();
  m.replies.inc({ model: run.model, finish_reason: r.finishReason });
  if (run.ttftMs !== null) m.ttft.observe({ model: run.model }, run.ttftMs / 1000);
  const usage = r.usage;
  await insertUsageEvent({
    userId: user.id,
    conversationId: null,
    messageId: null,
    model: run.model,
    pool: run.pool,
    replica: run.replica,
    promptTokens: usage?.promptTokens ?? null,
    estimatedPromptTokens: run.context.promptTokens,
    completionTokens: usage?.completionTokens ?? null,
    latencyMs: (run.endedAt ?? Date.now()) - run.startedAt,
    ttftMs: run.ttftMs,
    costUsd: usage ? costUsd(model, usage.promptTokens, usage.completionTokens).toFixed(6) : null,
    finishReason: r.finishReason,
  });
  if (usage) await recordTokens(user, usage.promptTokens + usage.completionTokens);
}
