// The gateway pipeline of DESIGN §1 for one chat turn: the user message is saved before anything can
// fail, then context, routing, the upstream stream, and persistence when the reply ends.
import { createConversation, getConversationById, setConversationTitleIfEmpty } from "@/db/queries/conversations";
import { getActivePath, startTurn } from "@/db/queries/messages";
import type { SessionUser } from "@/lib/auth/session-user";
import { AppError, errors } from "@/lib/errors";
import { env } from "@/lib/env";
import { metrics } from "@/lib/metrics/registry";
import { findModel, type CatalogModel } from "@/lib/models/catalog";
import { assembleContext } from "./context";
import { liveReplyFor, trackReply } from "./live-replies";
import { persistReply } from "./persist";
import { ReplyRun } from "./reply-run";
import { selectTarget, type Target } from "./select-replica";
import { streamChatCompletion } from "./upstream";

export interface TurnInput {
  conversationId: string;
  model: string;
  /** A new user message; absent when regenerating. */
  message?: { id: string; text: string };
  /** Parent of the new user message; undefined = the conversation's current leaf. */
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

async function ensureConversation(user: SessionUser, id: string, model: string) {
  const existing = await getConversationById({ id, userId: user.id });
  if (existing) return existing;
  try {
    return await createConversation({ id, userId: user.id, model });
  } catch (err) {
    // The id exists but belongs to someone else: answer exactly as for a missing conversation.
    throw new AppError("not_found_error", "not_found:conversation", "That conversation does not exist.", { cause: err });
  }
}

export async function startReply(user: SessionUser, input: TurnInput): Promise<StartedReply> {
  const model = resolveModel(input.model, user);
  const conversation = await ensureConversation(user, input.conversationId, model.id);
  const live = liveReplyFor(conversation.id);
  if (live && !live.done) {
    throw new AppError("invalid_request_error", "reply_in_progress", "A reply is still being written in this chat. Stop it first.", {
      status: 409,
    });
  }

  const stopTimer = metrics().persist.startTimer({ step: "start_turn" });
  const turn = await startTurn({
    userId: user.id,
    conversationId: conversation.id,
    model: model.id,
    parentId: input.regenerateFrom ?? input.parentId ?? null,
    user: input.message ? { id: input.message.id, content: input.message.text } : null,
  });
  stopTimer();
  if (!turn) throw errors.notFound("conversation");
  const userMessageId = turn.userMessage?.id ?? input.regenerateFrom!;
  if (input.message && !conversation.title) {
    await setConversationTitleIfEmpty({ id: conversation.id, userId: user.id, title: titleFrom(input.message.text) });
  }

  const path = await getActivePath({ conversationId: conversation.id, userId: user.id });
  const messages = assembleContext({ model, conversationSystemPrompt: conversation.systemPrompt, path, now: new Date() });

  let target: Target | null = null;
  let routeError: string | null = null;
  try {
    target = await selectTarget(model, user.tier);
  } catch (err) {
    routeError = err instanceof AppError ? err.message : "No model server is available.";
  }

  const run = new ReplyRun({
    id: turn.assistant.id,
    conversationId: conversation.id,
    userId: user.id,
    userMessageId,
    model: model.id,
    upstreamModel: target?.upstreamModel ?? "",
    pool: target?.pool ?? "",
    replica: target?.replica ?? "",
  });
  const persisted = new Promise<void>((resolve) => {
    run.onEnd(() => {
      persistReply(run, model).then(resolve, (err: unknown) => {
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
  streamChatCompletion(
    {
      baseUrl: target.replica,
      signal: run.abort.signal,
      headersTimeoutMs: env().UPSTREAM_STALL_MS,
      body: {
        model: target.upstreamModel,
        messages,
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: model.maxOutputTokens,
      },
    },
    { onDelta: (text) => run.push(text), onEnd: (result) => run.end(result) },
  );
  return { run, userMessageId };
}
