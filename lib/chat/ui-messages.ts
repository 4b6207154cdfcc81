// Database messages (an active path, root → leaf) → the AI SDK UI messages the chat renders.
import type { ContextInfo, Message } from "@/db/schema";
import { FINISH_REASONS, type ChatMessageMetadata, type ChatUIMessage, type FinishReason } from "./types";

type PathMessage = Pick<
  Message,
  "id" | "parentId" | "role" | "content" | "model" | "finishReason" | "error" | "createdAt" | "context"
> & { siblingIds?: string[] };

function toFinishReason(value: string | null): FinishReason | null {
  return value !== null && (FINISH_REASONS as readonly string[]).includes(value) ? (value as FinishReason) : null;
}

/** Only what the chat shows ("N earlier messages were left out"); the token estimate stays server-side. */
function toContext(value: Pick<ContextInfo, "omitted" | "summarized"> | null | undefined): ChatMessageMetadata["context"] {
  if (!value) return null;
  return { omitted: value.omitted, summarized: value.summarized };
}

/** System and tool messages are context for the model, not part of the visible conversation. */
export function toChatUIMessages(
  path: readonly PathMessage[],
  feedback?: ReadonlyMap<string, "good" | "bad">,
): ChatUIMessage[] {
  const out: ChatUIMessage[] = [];
  for (const m of path) {
    if (m.role !== "user" && m.role !== "assistant") continue;
    out.push({
      id: m.id,
      role: m.role,
      parts: [{ type: "text", text: m.content }],
      metadata: {
        model: m.model,
        finishReason: toFinishReason(m.finishReason),
        error: m.error,
        parentId: m.parentId,
        createdAt: m.createdAt.toISOString(),
        context: m.role === "assistant" ? toContext(m.context) : null,
        ...(m.role === "assistant" && m.context?.safeCompletion === "crisis" ? { crisisResources: true } : {}),
        ...(m.siblingIds ? { siblingIds: m.siblingIds } : {}),
        ...(feedback?.has(m.id) ? { feedback: feedback.get(m.id) } : {}),
      },
    });
  }
  return out;
}

/** A message as GET /v1/conversations/:id lists it (DESIGN §5). */
export interface ApiPathMessage {
  id: string;
  parent_id: string | null;
  role: string;
  content: string;
  finish_reason: string | null;
  model: string | null;
  created_at: string;
  error?: string | null;
  context?: ContextInfo | null;
  /** The message's versions, oldest first (active-path responses only). */
  sibling_ids?: string[];
}

/** The REST shape of an active path → UI messages (used to catch up after a reply ended unseen). */
export function apiMessagesToChatUIMessages(path: readonly ApiPathMessage[]): ChatUIMessage[] {
  return toChatUIMessages(
    path.map((m) => ({
      id: m.id,
      parentId: m.parent_id,
      role: m.role as Message["role"],
      content: m.content,
      model: m.model,
      finishReason: toFinishReason(m.finish_reason),
      error: m.error ?? null,
      createdAt: new Date(m.created_at),
      context: m.context ?? null,
      siblingIds: m.sibling_ids,
    })),
  );
}
