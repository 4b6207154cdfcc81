// The conversation API's JSON shapes (DESIGN §5): snake_case, OpenAI style.
import type { Conversation, Message } from "@/db/schema";
import { attachmentsOf } from "@/lib/files/types";

export function conversationJson(c: Conversation) {
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
    ...(attachments.length ? { attachments } : {}),
  };
}

/** A path message with its versions (sibling_ids, oldest first), for the chat's version switcher. */
export function pathMessageJson(m: Message & { siblingIds: string[] }) {
  return { ...messageJson(m), sibling_ids: m.siblingIds };
}
