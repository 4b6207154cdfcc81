// The useChat transport for POST /api/chat, resume via GET /api/chat/:id/stream.
import { DefaultChatTransport } from "ai";
import type { ChatUIMessage } from "@/lib/chat/types";
import { buildChatRequest } from "./chat-request";

const STREAM_URL = /\/api\/chat\/([^/]+)\/stream$/;

/** Called when a resume finds nothing live (204): the reply may have ended since the page rendered. */
const noLiveReplyListeners = new Map<string, () => void>();

export function onNoLiveReply(chatId: string, listener: () => void): () => void {
  noLiveReplyListeners.set(chatId, listener);
  return () => {
    if (noLiveReplyListeners.get(chatId) === listener) noLiveReplyListeners.delete(chatId);
  };
}

export function createChatTransport(): DefaultChatTransport<ChatUIMessage> {
  return new DefaultChatTransport<ChatUIMessage>({
    api: "/api/chat",
    // The model travels in each call's `body` option (sendMessage / regenerate); history never does.
    prepareSendMessagesRequest: ({ id, messages, trigger, body }) => ({
      body: buildChatRequest({
        id,
        messages,
        trigger,
        model: typeof body?.model === "string" ? body.model : "",
        // Present only for an edit (sendMessage's body option); a string, or null for a new root.
        parentId: body && "parentId" in body ? (body.parentId as string | null) : undefined,
      }),
    }),
    prepareReconnectToStreamRequest: ({ id }) => ({ api: `/api/chat/${encodeURIComponent(id)}/stream` }),
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      if (res.status === 204) {
        const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
        const match = STREAM_URL.exec(url);
        if (match) noLiveReplyListeners.get(decodeURIComponent(match[1]))?.();
      }
      return res;
    },
  });
}
