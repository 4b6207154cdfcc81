// Step 5: save the user message and an empty reply before the model is called (a refused or blocked
// message never gets here). One statement on the fast path (db/queries/messages.ts startTurn; for a
// new chat's first message the conversation too, startConversationTurn). If a later step fails, the
// placeholder is closed honestly as an error (registered with the turn). The title request of a new
// chat starts once the reply's first token has arrived (turn.soon), never before it.
import { createConversation, setConversationTitleIfEmpty } from "@/db/queries/conversations";
import { finishAssistantMessage, getConversationForTurn, getMessageById, startConversationTurn, startTurn, type StartedTurn } from "@/db/queries/messages";
import { pgErrorCode, UNIQUE_VIOLATION } from "@/db/errors";
import type { Conversation, Message } from "@/db/schema";
import { AppError, errors } from "@/lib/errors";
import { env } from "@/lib/env";
import { type AttachmentRef, attachToMessage, type PreparedAttachments } from "@/lib/files/attach";
import { metrics } from "@/lib/metrics/registry";
import { titleInBackground } from "../auto-title";
import type { Turn } from "./turn";

export interface ConversationTurn {
  conversationId: string;
  /** POST /api/chat creates a conversation for an unknown id; the conversation API does not. */
  create: boolean;
  /** A new user message; absent when regenerating. `attachments`: the caller's uploads (lib/files). */
  message?: { id: string; text: string; attachments?: AttachmentRef[] };
  /** Parent of the new user message; undefined = the current leaf; null = a new root (an edit of the first message). */
  parentId?: string | null;
  /** Regenerate: a new assistant reply under this user message. */
  regenerateFrom?: string;
}

export interface Saved {
  replyId: string;
  /** The message the reply hangs under. */
  userMessageId: string;
  /** The new user message as the context step needs it (null for a regenerate). */
  userMessage: Message | null;
}

/**
 * The message the new turn goes under, as far as the caller can tell before saving: a regenerate's
 * user message, the given parent, or the conversation's current leaf (null: a new root or a new
 * conversation). The save may find the leaf moved meanwhile; it reports where it really went.
 */
export function expectedParent(input: ConversationTurn, conversation: Conversation | null): string | null {
  if (input.regenerateFrom) return input.regenerateFrom;
  if (input.parentId !== undefined) return input.parentId;
  return conversation?.currentMessageId ?? null;
}

export function titleFrom(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 60 ? `${line.slice(0, 57).trimEnd()}…` : line || "New chat";
}

/**
 * Before admission (steps 1–2's tail): the caller's conversation and whether a reply is still being
 * written in it, in one statement. Null: it does not exist yet (the browser may create it).
 */
export async function loadConversation(turn: Turn, input: ConversationTurn): Promise<Conversation | null> {
  const found = await getConversationForTurn({ conversationId: input.conversationId, userId: turn.user.id });
  if (!found) {
    if (!input.create) throw errors.notFound("conversation");
    return null;
  }
  const leaf = found.leaf;
  // A checkpoint every CHECKPOINT_MS keeps a live reply's row fresh; an older unfinished one was left by
  // a dead server and is swept, so it does not block the conversation.
  if (leaf?.role === "assistant" && leaf.finishReason === null && Date.now() - leaf.updatedAt.getTime() < env().STREAM_SWEEP_AFTER_MS) {
    throw new AppError("invalid_request_error", "reply_in_progress", "A reply is still being written in this chat. Stop it first.", {
      status: 409,
    });
  }
  return found.conversation;
}

export async function save(
  turn: Turn,
  input: ConversationTurn,
  conversation: Conversation | null,
  args: { model: string; contentTokens: Record<string, number> | null; attachments: PreparedAttachments | null },
): Promise<{ saved: Saved; conversation: Conversation }> {
  const user = turn.user;
  const message = input.message
    ? { id: input.message.id, content: input.message.text, contentTokens: args.contentTokens, contentParts: args.attachments?.parts ?? null }
    : null;
  const stopTimer = metrics().persist.startTimer({ step: "start_turn" });
  let conv: Conversation;
  let started: StartedTurn | null;
  if (!conversation && message && !input.regenerateFrom && !input.parentId) {
    // A new chat's first message: the conversation and the turn in one statement.
    const created = await startConversationTurn({
      conversationId: input.conversationId,
      userId: user.id,
      title: titleFrom(message.content),
      model: args.model,
      user: message,
    }).catch(messageTaken(user.id, message?.id));
    // The id exists but belongs to someone else (or was just taken): answer exactly as for a missing conversation.
    if (!created) throw new AppError("not_found_error", "not_found:conversation", "That conversation does not exist.");
    conv = created.conversation;
    started = created.turn;
    const title = { userId: user.id, tier: user.tier, conversationId: conv.id, firstMessage: message.content, provisionalTitle: conv.title! };
    turn.soon(() => titleInBackground(title));
  } else {
    conv = conversation ?? (await create(turn, input, args.model));
    started = await startTurn({
      userId: user.id,
      conversationId: conv.id,
      model: args.model,
      parentId: input.regenerateFrom ?? input.parentId ?? null,
      newRoot: !input.regenerateFrom && input.parentId === null,
      user: message,
      expectedLeafId: conv.currentMessageId,
    }).catch(messageTaken(user.id, message?.id));
  }
  stopTimer();
  if (!started) throw errors.notFound("conversation");
  const replyId = started.assistant.id;
  turn.defer(async () => {
    await finishAssistantMessage({ id: replyId, content: "", finishReason: "error", error: "The reply could not be started.", model: args.model });
  });
  // The files now belong to the message (and go when its conversation goes).
  if (started.userMessage) await attachToMessage(user, args.attachments, conv.id, started.userMessage.id);
  if (input.message && conversation && !conversation.title) {
    const title = { id: conv.id, userId: user.id, title: titleFrom(input.message.text) };
    turn.soon(() => setConversationTitleIfEmpty(title).catch((err: unknown) => console.warn("[gateway] title failed", err)));
  }
  const userMessageId = started.userMessage?.id ?? input.regenerateFrom ?? started.assistant.parentId ?? "";
  return { saved: { replyId, userMessageId, userMessage: started.userMessage }, conversation: conv };
}

/**
 * The client chose a message id that already exists (a resent or forged request): not ours to
 * overwrite. The caller's own (a resend) is a 409; anyone else's is answered as a message that does
 * not exist, so the answer never tells that another user has that id.
 */
function messageTaken(userId: string, id: string | undefined): (err: unknown) => Promise<never> {
  return async (err) => {
    if (pgErrorCode(err) !== UNIQUE_VIOLATION) throw err;
    if (id && (await getMessageById({ id, userId }))) {
      throw new AppError("invalid_request_error", "message_exists", "A message with this id already exists.", { status: 409, param: "message.id" });
    }
    throw errors.notFound("message");
  };
}

async function create(turn: Turn, input: ConversationTurn, model: string): Promise<Conversation> {
  const user = turn.user;
  const firstMessage = input.message?.text;
  const provisionalTitle = firstMessage ? titleFrom(firstMessage) : null;
  try {
    const created = await createConversation({ id: input.conversationId, userId: user.id, model, title: provisionalTitle });
    if (firstMessage && provisionalTitle) {
      turn.soon(() => titleInBackground({ userId: user.id, tier: user.tier, conversationId: created.id, firstMessage, provisionalTitle }));
    }
    return created;
  } catch (err) {
    // The id exists but belongs to someone else: answer exactly as for a missing conversation.
    throw new AppError("not_found_error", "not_found:conversation", "That conversation does not exist.", { cause: err });
  }
}
