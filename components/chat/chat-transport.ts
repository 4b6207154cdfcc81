// The useChat transport for POST /api/chat, resume via GET /api/chat/:id/stream. Both responses go
// through resumable(): a connection that drops mid-reply reattaches with Last-Event-ID.
import { DefaultChatTransport } from "ai";
import type { ChatUIMessage } from "@/lib/chat/types";
import { buildChatRequest } from "./chat-request";
import { resumable } from "./resumable-fetch";

const STREAM_URL = /\/api\/chat\/([^/]+)\/stream$/;
const streamUrl = (chatId: string) => `/api/chat/${encodeURIComponent(chatId)}/stream`;

/** Called when a resume finds nothing live (204): the reply may have ended since the page rendered. */
const noLiveReplyListeners = new Map<string, () => void>();

export function onNoLiveReply(chatId: string, listener: () => void): () => void {
  noLiveReplyListeners.set(chatId, listener);
  return () => {
    if (noLiveReplyListeners.get(chatId) === listener) noLiveReplyListeners.delete(chatId);
  };
}

/** The conversation a request is about: the stream URL's id, or the POST body's `id`. */
function chatIdOf(url: string, init: RequestInit | undefined): string | null {
  const match = STREAM_URL.exec(url);
  if (match) return decodeURIComponent(match[1]);
  if (typeof init?.body !== "string") return null;
  try {
    const body = JSON.parse(init.body) as { id?: unknown };
    return typeof body.id === "string" ? body.id : null;
  } catch {
    return null;
  }
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
    prepareReconnectToStreamRequest: ({ id }) => ({ api: streamUrl(id) }),
    fetch: async (input, init) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      const res = await fetch(input, init);
      const chatId = chatIdOf(url, init);
      if (!chatId) return res;
      const lost = () => noLiveReplyListeners.get(chatId)?.();
      if (res.status === 204 && STREAM_URL.test(url)) lost();
      return resumable(res, { streamUrl: streamUrl(chatId), onLost: lost, signal: init?.signal });
    },
  });
}
