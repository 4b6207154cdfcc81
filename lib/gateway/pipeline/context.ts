// Step 6: the prompt. For a conversation: system prompt + custom instructions + summary + as much
// of the path above the new message as fits the model's window (../context.ts does the fitting); for the public API:
// the caller's messages as given, checked against the window. Moderation's changes (PII redacted, a
// safe completion's instruction) are applied to what goes up (prepareUpstream).
// Files (lib/files): a new message's attachments are checked and counted with its text here, before
// the save; the prompt's user messages that carry files get their parts (images, PDF and file texts)
// beside their text, counted by their stored token counts; step 8 puts them into the content array.
import { getContextPath } from "@/db/queries/messages";
import { getCustomInstructionsByUserId } from "@/db/queries/users";
import type { Conversation } from "@/db/schema";
import { errors } from "@/lib/errors";
import { type AttachmentRef, moderateAttachments, type PreparedAttachments, prepareAttachments, withAttachmentTokens } from "@/lib/files/attach";
import { attachFileParts } from "@/lib/files/context-parts";
import { catalogEncodings, reservedOutputTokens, type CatalogModel } from "@/lib/models/catalog";
import { MESSAGE_OVERHEAD_TOKENS, REPLY_PRIMING_TOKENS, tokenCounter, type TokenCounter } from "@/lib/tokens/count";
import { assembleContext, assertMessageFits, messageTokenLimit, systemText, type AssembledContext, type ContextMessage, type UpstreamMessage } from "../context";
import { summarizeInBackground } from "../summarize";
import { prepareUpstream, type Moderated } from "./moderate";
import { contextToolLoop, toolDefinitionTokens } from "./tools";
import type { Turn } from "./turn";

export interface Instructions {
  system: string;
  count: TokenCounter;
  /** The new message's token counts per encoding (stored with it), or null for a regenerate. */
  contentTokens: Record<string, number> | null;
  /** The new message's files (the caller's own unsent uploads), saved with it in step 5. */
  attachments: PreparedAttachments | null;
  /** What the tool definitions the turn may offer take of the window (step 8 sends them with every call). */
  toolTokens: number;
}

/**
 * The fixed part of the prompt, built before anything is saved: a new message that cannot fit
 * beside it is refused (413) with nothing stored. Its text is counted only as far as the window (a
 * text that cannot fit is not read in full), and its files are moderated only once they fit.
 */
export async function instructions(
  turn: Turn,
  model: CatalogModel,
  conversation: Conversation | null,
  message: { text: string; attachments?: AttachmentRef[] } | null,
): Promise<Instructions> {
  const refs = message?.attachments;
  const [customInstructions, count, prepared, toolTokens] = await Promise.all([
    turn.user.customInstructions ?? getCustomInstructionsByUserId({ userId: turn.user.id }),
    tokenCounter(model.encoding),
    refs?.length ? prepareAttachments(turn.user, model, refs, conversation?.id ?? null) : null,
    contextToolLoop(turn.user, model).then((loop) => toolDefinitionTokens(loop?.tools, model.encoding)),
  ]);
  const system = systemText({ model, now: new Date(), customInstructions, conversationSystemPrompt: conversation?.systemPrompt ?? null });
  if (message === null) return { system, count, contentTokens: null, attachments: prepared, toolTokens };
  // The tool definitions are part of the fixed prompt, like the system text: a message that fits only without them is refused.
  const systemTokens = count(system) + MESSAGE_OVERHEAD_TOKENS + toolTokens;
  const fileTokens = prepared?.tokens[model.encoding] ?? 0;
  const room = Math.max(0, messageTokenLimit(model, systemTokens) - fileTokens);
  const own = count.upTo(message.text, room);
  assertMessageFits(model, systemTokens, own.tokens + fileTokens, own.complete);
  // It fits: the other encodings' counts (stored with the message), then the files' moderation.
  const textTokens: Record<string, number> = { [model.encoding]: own.tokens };
  for (const e of catalogEncodings()) if (e !== model.encoding) textTokens[e] = (await tokenCounter(e))(message.text);
  const attachments = prepared && (await moderateAttachments(turn.user, model, conversation?.id ?? null, prepared));
  return { system, count, contentTokens: withAttachmentTokens(textTokens, attachments), attachments, toolTokens };
}

/**
 * The stored path above the message this turn answers (`from`: its parent, or the user message a
 * regenerate answers), read while step 5 writes the new rows: the two are independent, so they run
 * concurrently and the turn waits for one round trip instead of two. Null `from`: nothing above.
 */
export function readPath(turn: Turn, model: CatalogModel, conversation: Conversation | null, from: string | null): Promise<ContextMessage[]> {
  if (!conversation || !from) return Promise.resolve([]);
  return getContextPath({
    conversationId: conversation.id,
    userId: turn.user.id,
    encoding: model.encoding,
    budgetTokens: model.contextWindow - reservedOutputTokens(model),
    untilMessageId: conversation.summaryUntilMessageId,
    fromMessageId: from,
  });
}

/** The conversation's prompt: the path above (readPath) plus the new user message, fitted to the window. */
export async function conversationContext(
  turn: Turn,
  model: CatalogModel,
  conversation: Conversation,
  fixed: Instructions,
  path: ContextMessage[],
  moderated: Pick<Moderated, "safeCompletion">,
): Promise<AssembledContext> {
  const summary =
    conversation.summary && conversation.summaryUntilMessageId
      ? { text: conversation.summary, untilMessageId: conversation.summaryUntilMessageId }
      : null;
  const context = assembleContext({ model, system: fixed.system, summary, path, count: fixed.count, toolTokens: fixed.toolTokens });
  // Before redaction: the messages are matched to the path's rows (their attachments) by their text.
  await attachFileParts({ userId: turn.user.id, model, path, messages: context.messages });
  // An attached file's self-harm intent gets the same safe completion as typed text (lib/files/attach.ts).
  Object.assign(context.info, prepareUpstream(context.messages, moderated.safeCompletion ?? fixed.attachments?.safeCompletion ?? null));
  if (context.unsummarized) {
    summarizeInBackground({
      userId: turn.user.id,
      tier: turn.user.tier,
      conversationId: conversation.id,
      previous: summary,
      ...context.unsummarized,
    });
  }
  return context;
}

/** The public API's prompt: the caller's messages (and its own tools' definitions), which must leave room for a reply. */
export async function messagesContext(
  model: CatalogModel,
  input: { messages: (UpstreamMessage & { partTokens?: number })[]; maxTokens?: number | null; params?: Record<string, unknown> },
  moderated: Pick<Moderated, "safeCompletion">,
): Promise<AssembledContext> {
  const count = await tokenCounter(model.encoding);
  const callerTools = Array.isArray(input.params?.tools) ? (input.params.tools as unknown[]) : null;
  const toolTokens = await toolDefinitionTokens(callerTools, model.encoding);
  // Each message counted only as far as the window is left: a request that cannot fit is refused
  // without reading the rest of it.
  let promptTokens = REPLY_PRIMING_TOKENS + toolTokens;
  let exact = true;
  for (const m of input.messages) {
    const left = Math.max(0, model.contextWindow - promptTokens);
    const n = count.upTo(m.content, left);
    const calls = m.tool_calls ? count.upTo(JSON.stringify(m.tool_calls), left) : { tokens: 0, complete: true };
    promptTokens += n.tokens + calls.tokens + MESSAGE_OVERHEAD_TOKENS + (m.partTokens ?? 0);
    if (promptTokens >= model.contextWindow) {
      exact = n.complete && calls.complete && m === input.messages.at(-1);
      break;
    }
  }
  const room = model.contextWindow - promptTokens;
  if (room <= 0) {
    throw errors.badRequest(
      `This model's maximum context length is ${model.contextWindow} tokens; the messages have ${exact ? promptTokens : `more than ${model.contextWindow}`}.`,
      "context_length_exceeded",
      "messages",
    );
  }
  const messages = input.messages.map((m) => {
    const copy = { ...m };
    delete copy.partTokens; // counted above; not an upstream field
    return copy;
  });
  const prepared = prepareUpstream(messages, moderated.safeCompletion);
  return {
    messages,
    promptTokens,
    maxTokens: Math.min(input.maxTokens ?? model.maxOutputTokens, model.maxOutputTokens, room),
    info: { omitted: 0, summarized: false, promptTokens, ...prepared },
    unsummarized: null,
  };
}
