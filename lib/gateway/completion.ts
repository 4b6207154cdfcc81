// The public API's pipeline (POST /v1/chat/completions): the caller sends the whole conversation and
// nothing is stored but the usage event and moderation events. Otherwise the same steps as a chat turn
// (start-reply.ts): limits (requests per minute, tokens per day, concurrent streams), input moderation
// and PII redaction, the "auto" cascade and A/B variants, routing with affinity, priority and one retry
// before the first token (route-reply.ts), output moderation on the stream, usage.
import { createHash, randomBytes } from "node:crypto";
import { insertUsageEvent } from "@/db/queries/usage";
import type { SessionUser } from "@/lib/auth/session-user";
import { errors } from "@/lib/errors";
import { env } from "@/lib/env";
import { admitApiModel, admitApiRequest, holdStreamSlot, recordTokens } from "@/lib/limits/usage-limits";
import { findModel, type CatalogModel } from "@/lib/models/catalog";
import { experimentFor } from "@/lib/routing/experiments";
import { auditInput, checkInput, redactContext } from "@/lib/safety/input";
import { auditOutput, outputFilter } from "@/lib/safety/output";
import { MESSAGE_OVERHEAD_TOKENS, REPLY_PRIMING_TOKENS, tokenCounter } from "@/lib/tokens/count";
import type { UpstreamMessage } from "./context";
import { usageEventOf } from "./persist";
import { ReplyRun } from "./reply-run";
import { cascadeModel, planAndAdmit, streamRouted } from "./route-reply";
import { resolveModel } from "./start-reply";

export interface CompletionInput {
  model: string;
  messages: { role: UpstreamMessage["role"]; content: string; name?: string }[];
  maxTokens?: number | null;
  temperature?: number | null;
  topP?: number | null;
  seed?: number | null;
  stop?: string | string[] | null;
}

export interface StartedCompletion {
  /** run.model names the catalog model that answers (the cascade's pick for "auto", or a fallback). */
  run: ReplyRun;
  /** The requested model. */
  model: CatalogModel;
  promptTokens: number;
  /** x-ratelimit-* headers for the response. */
  headers: Record<string, string>;
}

/**
 * What input moderation reads: the caller's instructions, i.e. the user and system messages (joined,
 * so one request is one decision and one event). Assistant turns are model output, moderated on the
 * stream when they were written; a chat turn likewise checks only what the user types.
 */
export function moderatedText(messages: CompletionInput["messages"]): string {
  return messages
    .filter((m) => m.role === "user" || m.role === "system")
    .map((m) => m.content)
    .join("\n\n");
}

/**
 * The API has no conversation id; a multi-turn client resends the same opening messages each turn, so
 * the user and those messages keep one session on one replica (its prefix cache), as a chat does.
 */
export function apiAffinityKey(userId: string, messages: CompletionInput["messages"]): string {
  const h = createHash("sha256").update(userId);
  for (const m of messages.slice(0, 2)) h.update(`\u0000${m.role}\u0000${m.content}`);
  return `api:${h.digest("base64url")}`;
}

export async function startCompletion(user: SessionUser, input: CompletionInput): Promise<StartedCompletion> {
  const model = resolveModel(input.model, user);
  const headers = await admitApiRequest(user);

  // Step 4: a blocked input is answered 400 content_filter (kept only in moderation_events); nothing goes upstream.
  const safetyArgs = { userId: user.id, tier: user.tier, conversationId: null, model: model.id, text: moderatedText(input.messages) };
  const inputSafety = await checkInput(safetyArgs);

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

  // PII under the "redact" policy never goes upstream; a warned or redacted input is logged (no message to name).
  const messages = input.messages.map((m) => ({ ...m }));
  redactContext(messages);
  auditInput(safetyArgs, inputSafety, null);

  // A/B experiment (sticky per user): its pool, upstream model and temperature apply. Its system prompt
  // replaces the catalog model's, which the API does not send either: the caller's messages go as given.
  const assignment = experimentFor(user, model.id);
  let answering = cascadeModel(model, messages); // "auto": the cheap or the strong model
  // The model's message cap (shared with the chat). For "auto", a used-up strong pick goes to the cheap model.
  const cheap = model.cascade ? findModel(model.cascade.cheap) : undefined;
  const refund = await admitApiModel(user, answering).catch(async (err: unknown) => {
    if (!cheap || cheap.id === answering.id) throw err;
    answering = cheap;
    return admitApiModel(user, cheap);
  });
  const affinityKey = apiAffinityKey(user.id, input.messages);

  const id = `chatcmpl-${randomBytes(12).toString("base64url")}`;
  const release = await holdStreamSlot(user, id).catch(async (err: unknown) => {
    await refund().catch(() => {});
    throw err;
  });
  const { target, error, failure } = await planAndAdmit({ model: answering, tier: user.tier, affinityKey, assignment });
  if (!target) {
    release();
    await refund().catch(() => {});
    throw failure ?? errors.upstream(error ?? undefined, undefined, 503);
  }

  const run = new ReplyRun({
    id,
    conversationId: "",
    userId: user.id,
    userMessageId: "",
    model: target.model,
    upstreamModel: target.upstreamModel,
    pool: target.pool,
    replica: target.replica,
    context: { omitted: 0, summarized: false, promptTokens },
    experiment: assignment?.experiment ?? null,
    variant: assignment?.variant.name ?? null,
    filter: outputFilter(),
  });
  const stall = watchStall(run, env().UPSTREAM_STALL_MS);
  run.onEnd(() => {
    clearInterval(stall);
    release();
    void auditOutput(run);
    recordUsage(user, run, model).catch((err: unknown) => console.error("[api] usage not recorded", run.id, err));
  });
  streamRouted({
    run,
    model: answering,
    tier: user.tier,
    target,
    assignment,
    affinityKey,
    headersTimeoutMs: env().UPSTREAM_STALL_MS,
    body: {
      messages,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: maxTokens,
      ...(input.temperature != null && { temperature: input.temperature }),
      ...(input.topP != null && { top_p: input.topP }),
      ...(input.seed != null && { seed: input.seed }),
      ...(input.stop != null && { stop: input.stop }),
    },
  });
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

async function recordUsage(user: SessionUser, run: ReplyRun, requested: CatalogModel): Promise<void> {
  await insertUsageEvent(usageEventOf(run, requested, { conversationId: null, messageId: null }, user.tier));
  const usage = run.result?.usage;
  if (usage) await recordTokens(user, usage.promptTokens + usage.completionTokens);
}
