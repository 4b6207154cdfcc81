// The message tree from the browser: switch versions, fork into a new chat (DESIGN §5).
import type { ApiPathMessage } from "@/lib/chat/ui-messages";
import { requestJson } from "./api-error";

export function switchBranch(conversationId: string, messageId: string): Promise<{ messages: ApiPathMessage[] }> {
  return requestJson(`/v1/conversations/${encodeURIComponent(conversationId)}/switch`, {
    method: "POST",
    body: { message_id: messageId },
    failure: "Couldn’t show that version",
  });
}

export function branchConversation(conversationId: string, fromMessageId: string): Promise<{ id: string; title: string | null }> {
  return requestJson(`/v1/conversations/${encodeURIComponent(conversationId)}/branch`, {
    method: "POST",
    body: { from_message_id: fromMessageId },
    failure: "Couldn’t branch the chat",
  });
}

/** The active path (with versions) as the server has it now. */
export function fetchActivePath(conversationId: string): Promise<{ messages: ApiPathMessage[] }> {
  return requestJson(`/v1/conversations/${encodeURIComponent(conversationId)}`, { failure: "Couldn’t load the chat" });
}
