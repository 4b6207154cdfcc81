"use client";

// The live side of a chat: useChat and its transport. This module is loaded lazily (see chat.tsx):
// the AI SDK with its schemas is the heaviest client code, and the page renders without it.
import { useChat } from "@ai-sdk/react";
import type { ChatStatus } from "ai";
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import type { ChatUIMessage } from "@/lib/chat/types";
import type { AttachmentPart } from "@/lib/files/types";
import { apiMessagesToChatUIMessages, type ApiPathMessage } from "@/lib/chat/ui-messages";
import { fetchActivePath, switchBranch } from "@/lib/query/branches";
import { isUnfinishedReply } from "./chat-request";
import { createChatTransport, onNoLiveReply } from "./chat-transport";
import { uuid } from "./ids";

export interface ChatEngine {
  /** False until this module has loaded; nothing can be sent before. */
  ready: boolean;
  messages: ChatUIMessage[];
  status: ChatStatus;
  error: Error | undefined;
  send: (text: string, model: string, attachments?: AttachmentPart[]) => void;
  /** A new reply to the user message before `messageId` (or the last one). */
  regenerate: (messageId: string | undefined, model: string) => void;
  /**
   * A new version of the user message `messageId` (a sibling); its reply streams in under it.
   * `attachments`: what the new version carries (by default the message's own, kept by the editor).
   */
  edit: (messageId: string, text: string, model: string, attachments?: AttachmentPart[]) => void;
  /** Shows another version of a message and the newest branch below it (remembered by the server). */
  switchVersion: (messageId: string) => Promise<void>;
  stop: () => Promise<void>;
}

export interface ChatEngineProps {
  id: string;
  initialMessages: ChatUIMessage[];
  onFinish: () => void;
  children: (engine: ChatEngine) => ReactNode;
}

export default function ChatEngineHost({ id, initialMessages, onFinish, children }: ChatEngineProps) {
  // A reply still streaming when the page was rendered: reattach to it. The attach replays the reply
  // from its first event, so the text the page rendered (its last checkpoint) is dropped first rather
  // than shown twice.
  const [resume] = useState(() => isUnfinishedReply(initialMessages.at(-1)));
  const [startMessages] = useState(() =>
    resume ? [...initialMessages.slice(0, -1), { ...initialMessages.at(-1)!, parts: [] }] : initialMessages,
  );
  const [transport] = useState(createChatTransport);

  const { messages, setMessages, sendMessage, regenerate, stop, status, error } = useChat<ChatUIMessage>({
    id,
    messages: startMessages,
    transport,
    generateId: uuid,
    resume,
    experimental_throttle: 50,
    onFinish: () => {
      onFinish();
      refreshVersions();
    },
  });

  // The stream does not say which versions a message has; once a reply is done, read them from the
  // server's path and add them to the messages on screen (content stays as streamed).
  const refreshVersions = () => {
    fetchActivePath(id)
      .then((body) => {
        // Folded as the chat shows them: a reply with tool steps takes its chain's versions and parent.
        const versions = new Map(apiMessagesToChatUIMessages(body.messages).map((m) => [m.id, m.metadata]));
        setMessages((prev) =>
          prev.map((m) => {
            const v = versions.get(m.id);
            if (!v?.siblingIds) return m;
            const chain = v.versionId ? { versionId: v.versionId, parentId: v.parentId } : {};
            return { ...m, metadata: { ...m.metadata, siblingIds: v.siblingIds, ...chain } };
          }),
        );
      })
      .catch(() => undefined);
  };

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
    (text: string, model: string, attachments?: AttachmentPart[]) => {
      const files = attachments?.length ? { attachments } : {};
      void sendMessage({ text, metadata: { model, createdAt: new Date().toISOString(), ...files } }, { body: { model } });
    },
    [sendMessage],
  );

  const regenerateReply = useCallback(
    (messageId: string | undefined, model: string) => {
      regenerate({ messageId, body: { model } }).catch(() => undefined);
    },
    [regenerate],
  );

  const edit = useCallback(
    (messageId: string, text: string, model: string, attachments?: AttachmentPart[]) => {
      const index = messages.findIndex((m) => m.id === messageId);
      const target = messages[index];
      if (!target || target.role !== "user") return;
      // On the active path a message's parent is the one before it (metadata has it after a reload).
      const parentId = target.metadata?.parentId !== undefined ? target.metadata.parentId : (messages[index - 1]?.id ?? null);
      const siblingIds = target.metadata?.siblingIds ?? [target.id];
      // Unless the editor says otherwise, the new version keeps the message's files (the server copies them to it).
      const files = attachments ?? target.metadata?.attachments ?? [];
      setMessages(messages.slice(0, index));
      void sendMessage(
        { text, metadata: { model, createdAt: new Date().toISOString(), parentId, siblingIds, ...(files.length ? { attachments: files } : {}) } },
        { body: { model, parentId } },
      );
    },
    [messages, setMessages, sendMessage],
  );

  const switchVersion = useCallback(
    async (messageId: string) => {
      const body = await switchBranch(id, messageId);
      setMessages(apiMessagesToChatUIMessages(body.messages));
    },
    [id, setMessages],
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
    () => ({ ready: true, messages, status, error, send, regenerate: regenerateReply, edit, switchVersion, stop: stopReply }),
    [messages, status, error, send, regenerateReply, edit, switchVersion, stopReply],
  );
  return children(engine);
}
