"use client";

// The live side of a chat: useChat and its transport. This module is loaded lazily (see chat.tsx):
// the AI SDK with its schemas is the heaviest client code, and the page renders without it.
import { useChat } from "@ai-sdk/react";
import type { ChatStatus } from "ai";
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import type { ChatUIMessage } from "@/lib/chat/types";
import { apiMessagesToChatUIMessages, type ApiPathMessage } from "@/lib/chat/ui-messages";
import { isUnfinishedReply } from "./chat-request";
import { createChatTransport, onNoLiveReply } from "./chat-transport";
import { uuid } from "./ids";

export interface ChatEngine {
  /** False until this module has loaded; nothing can be sent before. */
  ready: boolean;
  messages: ChatUIMessage[];
  status: ChatStatus;
  error: Error | undefined;
  send: (text: string, model: string) => void;
  /** A new reply to the user message before `messageId` (or the last one). */
  regenerate: (messageId: string | undefined, model: string) => void;
  stop: () => Promise<void>;
}

export interface ChatEngineProps {
  id: string;
  initialMessages: ChatUIMessage[];
  onFinish: () => void;
  children: (engine: ChatEngine) => ReactNode;
}

export default function ChatEngineHost({ id, initialMessages, onFinish, children }: ChatEngineProps) {
  // A reply still streaming when the page was rendered: reattach to it.
  const [resume] = useState(() => isUnfinishedReply(initialMessages.at(-1)));
  const [transport] = useState(createChatTransport);

  const { messages, setMessages, sendMessage, regenerate, stop, status, error } = useChat<ChatUIMessage>({
    id,
    messages: initialMessages,
    transport,
    generateId: uuid,
    resume,
    experimental_throttle: 50,
    onFinish,
  });

  // Catch up with a reply that ended unseen: reload the active path and take it if ours is stale.
  useEffect(
    () =>
      onNoLiveReply(id, () => {
        void fetch(`/v1/conversations/${id}`, { credentials: "same-origin" })
          .then((res) => (res.ok ? (res.json() as Promise<{ messages?: ApiPathMessage[] }>) : null))
          .then((body) => {
            if (!body?.messages) return;
            const fresh = apiMessagesToChatUIMessages(body.messages);
            setMessages((prev) => (isUnfinishedReply(prev.at(-1)) ? fresh : prev));
          })
          .catch(() => undefined);
      }),
    [id, setMessages],
  );

  const send = useCallback(
    (text: string, model: string) => {
      void sendMessage({ text, metadata: { model, createdAt: new Date().toISOString() } }, { body: { model } });
    },
    [sendMessage],
  );

  const regenerateReply = useCallback(
    (messageId: string | undefined, model: string) => {
      regenerate({ messageId, body: { model } }).catch(() => undefined);
    },
    [regenerate],
  );

  const stopReply = useCallback(async () => {
    // Both: stop() ends our read; the endpoint tells the server to abort upstream and keep the partial reply.
    const serverStop = fetch(`/api/chat/${id}/stop`, {
      method: "POST",
      headers: { "content-type": "application/json" },
    }).catch(() => undefined);
    await stop();
    setMessages((prev) => {
      const last = prev.at(-1);
      if (!last || !isUnfinishedReply(last)) return prev;
      return [...prev.slice(0, -1), { ...last, metadata: { ...last.metadata, finishReason: "aborted" } }];
    });
    await serverStop;
    onFinish();
  }, [id, stop, setMessages, onFinish]);

  const engine = useMemo<ChatEngine>(
    () => ({ ready: true, messages, status, error, send, regenerate: regenerateReply, stop: stopReply }),
    [messages, status, error, send, regenerateReply, stopReply],
  );
  return children(engine);
}
