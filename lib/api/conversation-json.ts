// The conversation API's JSON shapes (DESIGN §5): snake_case, OpenAI style.
import type { Conversation, Message } from "@/db/schema";
import { attachmentsOf } from "@/lib/files/types";

/** The fields of a conversation the JSON shows (any row type with them fits: a list page's rows too). */
export type ConversationFields = Pick<Conversation, "id" | "title" | "model" | "createdAt" | "updatedAt" | "currentMessageId" | "isArchived" | "systemPrompt">;

export function conversationJson(c: ConversationFields) {
  return {
    id: c.id,
    object: "conversation" as const,
    title: c.title,
    model: c.model,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
    current_message_id: c.currentMessageId,
    is_archived: c.isArchived,
    system_prompt: c.systemPrompt,
  };
}

export function messageJson(m: Message) {
  const attachments = attachmentsOf(m.contentParts);
  return {
    id: m.id,
    parent_id: m.parentId,
    role: m.role,
    content: m.content,
    finish_reason: m.finishReason,
    error: m.error,
    model: m.model,
    context: m.context ?? null,
    created_at: m.createdAt.toISOString(),
    // A reply's tool steps (the seed's data model): the calls, and each result with what the chat shows.
    ...(m.toolCalls?.length ? { tool_calls: m.toolCalls } : {}),
    ...(m.toolCallId ? { tool_call_id: m.toolCallId } : {}),
    ...(m.role === "tool" && m.contentParts?.length ? { tool_result: m.contentParts[0] } : {}),
    ...(attachments.length ? { attachments } : {}),
  };
}

/** A path message with its versions (sibling_ids, oldest first), for the chat's version switcher. */
export function pathMessageJson(m: Message & { siblingIds: string[] }) {
  return { ...messageJson(m), sibling_ids: m.siblingIds };
}
