// Export: every conversation of a user with its whole message tree, streamed as one JSON document
// in the format of format.ts (one conversation in memory at a time).
import { listAllConversationsByUserId, listTreeForExport } from "@/db/queries/transfer";
import { attachmentsOf } from "@/lib/files/types";
import { EXPORT_FORMAT, type ExportedConversation } from "./format";

export function exportStream(userId: string, now = new Date()): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let queue: Awaited<ReturnType<typeof listAllConversationsByUserId>> | null = null;
  let first = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!queue) {
        queue = await listAllConversationsByUserId({ userId });
        controller.enqueue(encoder.encode(`{"format":"${EXPORT_FORMAT}","version":1,"exported_at":"${now.toISOString()}","conversations":[`));
      }
      const c = queue.shift();
      if (!c) {
        controller.enqueue(encoder.encode("]}\n"));
        controller.close();
        return;
      }
      const tree = await listTreeForExport({ conversationId: c.id, userId });
      const doc: ExportedConversation = {
        id: c.id,
        title: c.title,
        model: c.model,
        system_prompt: c.systemPrompt,
        created_at: c.createdAt.toISOString(),
        updated_at: c.updatedAt.toISOString(),
        is_archived: c.isArchived,
        current_message_id: c.currentMessageId,
        messages: tree.map((m) => ({
          id: m.id,
          parent_id: m.parentId,
          role: m.role,
          content: m.content,
          model: m.model,
          finish_reason: m.finishReason,
          created_at: m.createdAt.toISOString(),
          // A reply's tool steps: the calls, and each result with what the chat shows (files by id).
          ...(m.toolCalls?.length ? { tool_calls: m.toolCalls as NonNullable<ExportedConversation["messages"][number]["tool_calls"]> } : {}),
          ...(m.toolCallId ? { tool_call_id: m.toolCallId } : {}),
          ...(m.role === "tool" && m.contentParts?.length ? { tool_result: m.contentParts[0] as Record<string, unknown> } : {}),
          // Attachments as metadata (name, kind, size, pages, tokens, file id); the bytes stay in the file store.
          ...(attachmentsOf(m.contentParts).length ? { attachments: attachmentsOf(m.contentParts) } : {}),
        })),
      };
      controller.enqueue(encoder.encode((first ? "" : ",") + JSON.stringify(doc)));
      first = false;
    },
  });
}
