// The gateway pipeline of DESIGN §1: one turn, its steps in order, one file each. The three front
// doors (POST /api/chat, POST /v1/conversations/:id/messages, POST /v1/chat/completions) call
// runTurn and differ only in where the messages come from (a stored conversation, or the caller's
// list) and how the reply's events are encoded (../encode-ui.ts, ../encode-openai.ts).
// Steps 1–2 (authenticate, validate) are the route wrapper's (lib/http/route.ts).
import { createHash, randomBytes } from "node:crypto";
import type { SessionUser } from "@/lib/auth/session-user";
import type { CatalogModel } from "@/lib/models/catalog";
import type { UpstreamMessage } from "../context";
import type { ReplyRun } from "../reply-run";
import { admit, type LimitPolicy } from "./admit";
import { conversationContext, instructions, messagesContext, readPath } from "./context";
import { finish } from "./finish";
import { moderate, moderatedText, regenerated } from "./moderate";
import { assignExperiment, route } from "./route";
import { expectedParent, loadConversation, save, type ConversationTurn } from "./save";
import { stream } from "./stream";
import { chatToolLoop } from "./tools";
import { Turn } from "./turn";

/** A turn in a stored conversation (the browser, the conversation API). */
export interface ConversationInput extends ConversationTurn {
  kind: "conversation";
  /** Absent: the conversation's model. */
  model?: string;
}

/** The public API: the caller sends the whole conversation; nothing is stored but usage and moderation. */
export interface MessagesInput {
  kind: "messages";
  model: string;
  /** `parts`: the caller's images (re-encoded), with `partTokens` their tokens (lib/files/api-parts.ts). */
  messages: (UpstreamMessage & { name?: string; partTokens?: number })[];
  /** Reads the messages once the request is admitted (file parts are extracted only then); replaces `messages`. */
  readMessages?: () => Promise<MessagesInput["messages"]>;
  maxTokens?: number | null;
  /** Sampling parameters passed upstream as given (temperature, top_p, seed, stop). */
  params: Record<string, unknown>;
}

export type TurnInput = ConversationInput | MessagesInput;

export interface StartedReply {
  run: ReplyRun;
  /** The model the caller asked for. */
  requested: CatalogModel;
  /** x-ratelimit-* headers (public API). */
  headers: Record<string, string>;
  /** Resolves when the final state (and usage) is written. */
  saved: Promise<void>;
}

export async function runTurn(user: SessionUser, input: TurnInput): Promise<StartedReply> {
  const turn = new Turn(user);
  const policy: LimitPolicy = input.kind === "messages" ? "api" : "chat";
  try {
    const conversation = input.kind === "conversation" ? await loadConversation(turn, input) : null;
    // 3 admit: limits by tier and model, fallback model at a cap, a stream slot.
    const admitted = await admit(turn, input.model ?? conversation?.model ?? "", policy);
    if (input.kind === "messages" && input.readMessages) input = { ...input, messages: await input.readMessages() };
    const { assignment, model } = assignExperiment(user, admitted.model);
    // 4 moderate the input (a block throws 400 content_filter; nothing is saved).
    const newText = input.kind === "messages" ? moderatedText(input.messages) : (input.message?.text ?? null);
    const moderated = await moderate(turn, { text: newText, conversationId: conversation?.id ?? null, model: model.id });

    let context, saved = null, conversationId: string | null = null;
    if (input.kind === "conversation") {
      // 5 save the user message and an empty reply while 6 reads the stored path above it, then assemble.
      const fixed = await instructions(turn, model, conversation, input.message ?? null);
      const from = expectedParent(input, conversation);
      const [result, above] = await Promise.all([
        save(turn, input, conversation, { model: model.id, contentTokens: fixed.contentTokens, attachments: fixed.attachments }),
        readPath(turn, model, conversation, from),
      ]);
      saved = result.saved;
      conversationId = result.conversation.id;
      moderated.audit(input.message ? saved.userMessageId : null, conversationId);
      const mine = saved.userMessage;
      // A concurrent turn moved the leaf, so the save attached elsewhere: read the path above where it went.
      const path = mine && mine.parentId !== from ? await readPath(turn, model, result.conversation, mine.parentId) : above;
      const full = mine ? [...path, mine] : path;
      context = await conversationContext(turn, model, result.conversation, fixed, full, input.message ? moderated : regenerated(full.at(-1)));
    } else {
      moderated.audit(null, null);
      context = await messagesContext(model, input, moderated);
    }

    // 7 route: "auto" cascade → experiment variant → pool → replica, priority under load.
    const affinityKey = conversationId ?? apiAffinityKey(user.id, input.kind === "messages" ? input.messages : []);
    const routed = await route(turn, { model, messages: context.messages, assignment, affinityKey, policy });
    // The public API answers a routing failure as an error; a chat turn keeps the saved message and says why.
    if (!routed.target && !saved) throw routed.failure;

    // 8 stream: upstream → output moderation → the reply's event log (with the tool loop for a chat
    // turn: the built-in tools the answering model may call). 9 finish when it ends.
    const loop = input.kind === "conversation" && routed.target ? await chatToolLoop(user, routed.model) : null;
    const run = stream({
      replyId: saved?.replyId ?? `chatcmpl-${randomBytes(12).toString("base64url")}`,
      conversationId,
      userId: user.id,
      userMessageId: saved?.userMessageId ?? null,
      tier: user.tier,
      model: routed.model,
      target: routed.target,
      failure: routed.failure?.message ?? null,
      assignment,
      affinityKey,
      context,
      notice: routed.notice ?? admitted.notice,
      params: input.kind === "messages" ? input.params : undefined,
      loop,
    });
    // Background work (a new chat's title request) waits for the first token: it must not compete with it upstream or here.
    run.whenAnswering(() => turn.dispatched());
    return { run, requested: admitted.model, headers: admitted.headers, saved: finish(turn, run, admitted.model) };
  } catch (err) {
    await turn.fail();
    throw err;
  }
}

/**
 * The API has no conversation id; a multi-turn client resends the same opening messages each turn, so
 * the user and those messages keep one session on one replica (its prefix cache), as a chat does.
 */
export function apiAffinityKey(userId: string, messages: { role: string; content: string }[]): string {
  const h = createHash("sha256").update(userId);
  for (const m of messages.slice(0, 2)) h.update(`\u0000${m.role}\u0000${m.content}`);
  return `api:${h.digest("base64url")}`;
}
