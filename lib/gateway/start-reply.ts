// The gateway pipeline of DESIGN §1 for one chat turn: the user message is saved before anything can
// fail upstream, then context, routing, the upstream stream, and persistence when the reply ends.
import { randomUUID } from "node:crypto";
import { createConversation, getConversationById, setConversationTitleIfEmpty } from "@/db/queries/conversations";
import { finishAssistantMessage, getContextPath, startTurn } from "@/db/queries/messages";
import { getCustomInstructionsByUserId } from "@/db/queries/users";
import type { Conversation } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/session-user";
import { AppError, errors, toAppError } from "@/lib/errors";
import { env } from "@/lib/env";
import { admitChatModel, holdStreamSlot, recordTokens, type LimitNotice } from "@/lib/limits/usage-limits";
import { metrics } from "@/lib/metrics/registry";
import { catalogEncodings, findModel, reservedOutputTokens, type CatalogModel } from "@/lib/models/catalog";
import { countForEncodings, MESSAGE_OVERHEAD_TOKENS, tokenCounter } from "@/lib/tokens/count";
import { assembleContext, assertMessageFits, type AssembledContext, systemText } from "./context";
import { liveReplyFor, trackReply } from "./live-replies";
import { persistReply } from "./persist";
import { ReplyRun } from "./reply-run";
import { experimentFor } from "@/lib/routing/experiments";
import { cascadeModel, planAndAdmit, streamRouted, withVariant } from "./route-reply";
import { titleInBackground } from "./auto-title";
import { summarizeInBackground } from "./summarize";
import { auditInput, checkInput, redactContext } from "@/lib/safety/input";
import { auditOutput, outputFilter } from "@/lib/safety/output";

export interface TurnInput {
  conversationId: string;
  model: string;
  /** A new user message; absent when regenerating. */
  message?: { id: string; text: string };
  /** Parent of the new user message; undefined = the conversation's current leaf; null = a new root (an edit of the first message). */
  parentId?: string | null;
  /** Regenerate: a new assistant reply under this user message. */
  regenerateFrom?: string;
}

export interface StartedReply {
  run: ReplyRun;
  /** The message the assistant reply hangs under. */
  userMessageId: string;
}

export function resolveModel(id: string, user: SessionUser): CatalogModel {
  const model = findModel(id);
  if (!model || !model.tiers.includes(user.tier)) {
    throw errors.badRequest(`The model "${id}" is not available.`, "model_not_found", "model");
  }
  return model;
}

export function titleFrom(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 60 ? `${line.slice(0, 57).trimEnd()}…` : line || "New chat";
}

async function ensureConversation(user: SessionUser, id: string, model: string, firstMessage: string | undefined): Promise<Conversation> {
  const existing = await getConversationById({ id, userId: user.id });
  if (existing) return existing;
  try {
    const provisionalTitle = firstMessage ? titleFrom(firstMessage) : null;
    const created = await createConversation({ id, userId: user.id, model, title: provisionalTitle });
    if (firstMessage && provisionalTitle) {
      void titleInBackground({ userId: user.id, tier: user.tier, conversationId: id, firstMessage, provisionalTitle });
    }
    return created;
  } catch (err) {
    // The id exists but belongs to someone else: answer exactly as for a missing conversation.
    throw new AppError("not_found_error", "not_found:conversation", "That conversation does not exist.", { cause: err });
  }
}

/** Step 3, usage limits (lib/limits): may hand the turn to the tier's fallback model; holds a stream slot. */
export async function startReply(user: SessionUser, input: TurnInput): Promise<StartedReply> {
  const admitted = await admitChatModel(user, resolveModel(input.model, user));
  const release = await holdStreamSlot(user, input.message?.id ?? randomUUID());
  let started: StartedReply;
  try {
    started = await startTurnReply(user, { ...input, model: admitted.model.id });
  } catch (err) {
    release();
    await admitted.refund().catch(() => {});
    throw err;
  }
  const { run } = started;
  if (admitted.notice) run.limitNotice = admitted.notice;
  const ended = () => {
    release();
    const u = run.result?.usage;
    if (u) recordTokens(user, u.promptTokens + u.completionTokens).catch((err: unknown) => console.warn("[limits] token count failed", err));
  };
  if (run.done) ended();
  else run.onEnd(ended);
  return started;
}

async function startTurnReply(user: SessionUser, input: TurnInput): Promise<StartedReply> {
  const requested = resolveModel(input.model, user);
  // A/B experiment (sticky per user); a variant's system prompt applies before the system text is built.
  const assignment = experimentFor(user, requested.id);
  const model = withVariant(requested, assignment);
  // Step 4, before anything is saved: a blocked message is answered 400 content_filter and kept only in the moderation log.
  const safetyArgs = input.message
    ? { userId: user.id, tier: user.tier, conversationId: input.conversationId, model: model.id, text: input.message.text }
    : null;
  const inputSafety = safetyArgs ? await checkInput(safetyArgs) : null;
  const [conversation, customInstructions, count] = await Promise.all([
    ensureConversation(user, input.conversationId, model.id, input.message?.text),
    user.customInstructions ?? getCustomInstructionsByUserId({ userId: user.id }),
    tokenCounter(model.encoding),
  ]);
  const live = liveReplyFor(conversation.id);
  if (live && !live.done) {
    throw new AppError("invalid_request_error", "reply_in_progress", "A reply is still being written in this chat. Stop it first.", {
      status: 409,
    });
  }

  const system = systemText({ model, now: new Date(), customInstructions, conversationSystemPrompt: conversation.systemPrompt });
  let contentTokens: Record<string, number> | null = null;
  if (input.message) {
    // Counted once here, stored with the message; checked before anything is saved or sent.
    contentTokens = await countForEncodings(input.message.text, catalogEncodings());
    assertMessageFits(model, count(system) + MESSAGE_OVERHEAD_TOKENS, contentTokens[model.encoding]);
  }

  const stopTimer = metrics().persist.startTimer({ step: "start_turn" });
  const turn = await startTurn({
    userId: user.id,
    conversationId: conversation.id,
    model: model.id,
    parentId: input.regenerateFrom ?? input.parentId ?? null,
    newRoot: !input.regenerateFrom && input.parentId === null,
    user: input.message ? { id: input.message.id, content: input.message.text, contentTokens } : null,
    expectedLeafId: conversation.currentMessageId,
  });
  stopTimer();
  if (!turn) throw errors.notFound("conversation");
  const userMessageId = turn.userMessage?.id ?? input.regenerateFrom ?? turn.assistant.parentId ?? "";
  if (safetyArgs && inputSafety) auditInput({ ...safetyArgs, conversationId: conversation.id }, inputSafety, userMessageId);
  if (input.message && !conversation.title) {
    void setConversationTitleIfEmpty({ id: conversation.id, userId: user.id, title: titleFrom(input.message.text) }).catch(
      (err: unknown) => console.warn("[gateway] title failed", err),
    );
  }

  let context: AssembledContext;
  try {
    const path = await getContextPath({
      conversationId: conversation.id,
      userId: user.id,
      encoding: model.encoding,
      budgetTokens: model.contextWindow - reservedOutputTokens(model),
      untilMessageId: conversation.summaryUntilMessageId,
    });
    const summary =
      conversation.summary && conversation.summaryUntilMessageId
        ? { text: conversation.summary, untilMessageId: conversation.summaryUntilMessageId }
        : null;
    context = assembleContext({ model, system, summary, path, count });
    redactContext(context.messages);
    if (context.unsummarized) {
      summarizeInBackground({
        userId: user.id,
        tier: user.tier,
        conversationId: conversation.id,
        previous: summary,
        ...context.unsummarized,
      });
    }
  } catch (err) {
    // The placeholder exists already (a regenerate whose message no longer fits): close it honestly.
    const appError = toAppError(err);
    await finishAssistantMessage({ id: turn.assistant.id, content: "", finishReason: "error", error: appError.message, model: model.id });
    throw appError;
  }

  let answering = cascadeModel(model, context.messages); // "auto": the cheap or the strong model
  let cascadeNotice: LimitNotice | null = null;
  if (model.cascade && answering.id !== model.id) {
    // The pick counts against its own cap (else "auto" would be a way around it); when the pick is used
    // up, the tier's fallback answers with the usual notice, or the cascade's cheap model with none left.
    const picked = await admitChatModel(user, answering).catch(() => null);
    answering = picked?.model ?? findModel(model.cascade.cheap) ?? answering;
    cascadeNotice = picked?.notice ?? null;
  }
  const { target, error: routeError } = await planAndAdmit({
    model: answering,
    tier: user.tier,
    affinityKey: conversation.id,
    assignment,
  });

  const run = new ReplyRun({
    id: turn.assistant.id,
    conversationId: conversation.id,
    userId: user.id,
    userMessageId,
    model: target?.model ?? answering.id,
    upstreamModel: target?.upstreamModel ?? "",
    pool: target?.pool ?? "",
    replica: target?.replica ?? "",
    context: context.info,
    experiment: assignment?.experiment ?? null,
    variant: assignment?.variant.name ?? null,
    filter: outputFilter(),
  });
  run.limitNotice = cascadeNotice;
  run.onEnd((r) => void auditOutput(r));
  const persisted = new Promise<void>((resolve) => {
    run.onEnd(() => {
      persistReply(run, model, user.tier).then(resolve, (err: unknown) => {
        console.error("[gateway] saving the reply failed", run.id, err);
        resolve();
      });
    });
  });
  trackReply(run, persisted);

  if (!target) {
    run.fail(routeError ?? "No model server is available.");
    return { run, userMessageId };
  }
  streamRouted({
    run,
    model: answering,
    tier: user.tier,
    target,
    assignment,
    headersTimeoutMs: env().UPSTREAM_STALL_MS,
    body: {
      messages: context.messages,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: context.maxTokens,
    },
  });
  return { run, userMessageId };
}
