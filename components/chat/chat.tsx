"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { lazy, Suspense, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { ShareButton } from "@/components/share/share-button";
import { SidebarHeaderControls } from "@/components/sidebar/sidebar-toggle";
import type { ChatUIMessage } from "@/lib/chat/types";
import type { UiModel } from "@/lib/models/catalog";
import { branchConversation } from "@/lib/query/branches";
import { queryKeys } from "@/lib/query/keys";
import type { ChatEngine } from "./chat-engine";
import { DropOverlay, useFileDrop } from "./attachments/use-file-drop";
import { limitsText } from "./attachments/attach-button";
import { type AttachmentsController, useAttachments } from "./attachments/use-attachments";
import type { AttachmentPart } from "@/lib/files/types";
import { ChatAlert } from "./chat-alert";
import { describeChatError, isContentFilterError } from "./chat-request";
import { ChatSettings } from "./chat-settings";
import { Composer } from "./composer";
import { EmptyState } from "./empty-state";
import { preloadMarkdown } from "./message";
import { Messages } from "./messages";
import { ModelPicker } from "./model-picker";

// useChat and the AI SDK live in their own chunk (about 110 KB of JavaScript, zod included). A chat
// with messages loads it as the page hydrates (until then the server-rendered conversation is shown
// as is and nothing can be sent); a new, empty chat needs it only to send, so it is fetched on the
// first keystroke, and a message sent before it arrives goes out as soon as it has.
let engineModule: Promise<typeof import("./chat-engine")> | null = null;
const loadEngine = () => (engineModule ??= import("./chat-engine"));
const ChatEngineHost = lazy(loadEngine);

interface PendingSend {
  text: string;
  model: string;
  attachments?: AttachmentPart[];
}

/**
 * Hands the loaded engine's state to the chat (layout effect: before the browser paints), and sends
 * what was submitted before the engine had loaded.
 */
function ReportEngine(props: { engine: ChatEngine; onEngine: (engine: ChatEngine) => void; pending: PendingSend | null; onSent: () => void }) {
  const { engine, onEngine, pending, onSent } = props;
  useLayoutEffect(() => onEngine(engine), [engine, onEngine]);
  useEffect(() => {
    if (!engine.ready || !pending) return;
    onSent();
    engine.send(pending.text, pending.model, pending.attachments);
  }, [engine, pending, onSent]);
  return null;
}

export interface ChatProps {
  /** Conversation id (for a new chat, minted by the server page; the first POST creates it). */
  id: string;
  initialMessages: ChatUIMessage[];
  initialModel: string;
  models: UiModel[];
  isNew: boolean;
  /** This conversation's own system prompt (null for none, and for a new chat). */
  systemPrompt: string | null;
  /** A message to scroll to and highlight (a search result), if it is on the displayed path. */
  focusMessageId?: string | null;
}

/** After a reply the model-made title arrives a moment later (in the background): look again then. */
const TITLE_RECHECK_MS = 2_000;

export function Chat({
  id,
  initialMessages,
  initialModel,
  models,
  isNew,
  systemPrompt: initialSystemPrompt,
  focusMessageId = null,
}: ChatProps) {
  const queryClient = useQueryClient();
  const [model, setModel] = useState(initialModel);
  const [systemPrompt, setSystemPrompt] = useState(initialSystemPrompt);
  const [input, setInput] = useState("");
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const queueable = isNew && initialMessages.length === 0;
  const [engineWanted, setEngineWanted] = useState(!queueable);
  const [pending, setPending] = useState<PendingSend | null>(null);
  const [engine, setEngine] = useState<ChatEngine | null>(null);
  const clearPending = useCallback(() => setPending(null), []);
  // Owned here, beside the typed text: what the composer holds belongs to the chat, not to one render of it.
  const attachments = useAttachments();
  const onInputChange = useCallback((value: string) => {
    setInput(value);
    if (value) setEngineWanted(true);
  }, []);

  const refreshHistory = useCallback(() => {
    const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.conversations.all });
    refresh();
    setTimeout(refresh, TITLE_RECHECK_MS);
  }, [queryClient]);

  const view = (engine: ChatEngine) => (
    <ChatView
      id={id}
      isNew={isNew}
      engine={engine}
      models={models}
      model={model}
      onModelChange={setModel}
      systemPrompt={systemPrompt}
      onSystemPromptChange={setSystemPrompt}
      input={input}
      onInputChange={onInputChange}
      textareaRef={textareaRef}
      onListed={refreshHistory}
      focusMessageId={focusMessageId}
      attachments={attachments}
    />
  );
  const idle: ChatEngine = {
    ready: queueable,
    messages: initialMessages,
    // A message queued until the engine loads shows as submitted: nothing else can be sent over it.
    status: pending ? "submitted" : "ready",
    error: undefined,
    send: (text, sendModel, parts) => {
      if (!queueable) return;
      setPending({ text, model: sendModel, attachments: parts });
      setEngineWanted(true);
    },
    regenerate: () => undefined,
    edit: () => undefined,
    switchVersion: async () => undefined,
    stop: async () => undefined,
  };

  // The view stays at one place in the tree whether or not the engine has loaded: swapping it in from
  // a Suspense fallback would remount the view and lose what the user is doing (an open file chooser,
  // focus, a drop). The engine renders beside it and hands its state up.
  return (
    <>
      {view(engine ?? idle)}
      {engineWanted ? (
        <Suspense fallback={null}>
          <ChatEngineHost id={id} initialMessages={initialMessages} onFinish={refreshHistory}>
            {(e) => <ReportEngine engine={e} onEngine={setEngine} pending={pending} onSent={clearPending} />}
          </ChatEngineHost>
        </Suspense>
      ) : null}
    </>
  );
}

function ChatView({
  id,
  isNew,
  engine,
  models,
  model,
  onModelChange,
  systemPrompt,
  onSystemPromptChange,
  input,
  onInputChange,
  textareaRef,
  onListed,
  focusMessageId,
  attachments,
}: {
  id: string;
  isNew: boolean;
  engine: ChatEngine;
  models: UiModel[];
  model: string;
  onModelChange: (id: string) => void;
  systemPrompt: string | null;
  onSystemPromptChange: (value: string | null) => void;
  input: string;
  onInputChange: (value: string) => void;
  textareaRef: React.RefObject<HTMLTextAreaElement | null>;
  /** The conversation exists on the server now: refresh the sidebar. */
  onListed: () => void;
  focusMessageId: string | null;
  /** Files (components/chat/attachments): chips in the composer, drop anywhere on the chat. */
  attachments: AttachmentsController;
}) {
  const { messages, status, error, send, regenerate, edit, switchVersion, stop, ready } = engine;
  const router = useRouter();
  const queryClient = useQueryClient();
  // A failed version switch or branch (the chat's own requests report through `error`).
  const [treeError, setTreeError] = useState<string | null>(null);
  const urlIsChat = useRef(!isNew);
  const listed = useRef(!isNew);
  const busy = status === "submitted" || status === "streaming";
  const last = messages.at(-1);
  const streamingId = status === "streaming" && last?.role === "assistant" ? last.id : null;
  const waiting = busy && last?.role !== "assistant";
  // A new chat exists on the server once its first reply has started; only then can its settings change.
  const exists = !isNew || messages.some((m) => m.role === "assistant");
  const { dragging, dropProps } = useFileDrop(attachments.add);

  // A new chat shows up in the sidebar as soon as its reply starts.
  useEffect(() => {
    if (status === "streaming" && !listed.current) {
      listed.current = true;
      onListed();
    }
  }, [status, onListed]);

  useEffect(() => {
    if (matchMedia("(pointer: fine)").matches) textareaRef.current?.focus();
  }, [textareaRef]);

  const submit = useCallback(() => {
    const text = input.trim();
    if ((!text && !attachments.items.length) || busy || !ready || attachments.uploading) return;
    preloadMarkdown();
    if (!urlIsChat.current) {
      // Address the conversation without remounting this component mid-stream.
      window.history.replaceState(null, "", `/chat/${id}`);
      urlIsChat.current = true;
    }
    send(text, model, attachments.take());
    onInputChange("");
  }, [input, busy, ready, id, model, send, onInputChange, attachments]);

  const onRegenerate = useCallback((messageId?: string) => regenerate(messageId, model), [regenerate, model]);
  const onEdit = useCallback(
    (messageId: string, text: string, parts: AttachmentPart[]) => {
      if (busy || !ready) return;
      preloadMarkdown();
      edit(messageId, text, model, parts);
    },
    [busy, ready, edit, model],
  );
  const onSwitchVersion = useCallback(
    (messageId: string) => {
      setTreeError(null);
      switchVersion(messageId).catch((err: Error) => setTreeError(err.message));
    },
    [switchVersion],
  );
  const onBranch = useCallback(
    (messageId: string) => {
      setTreeError(null);
      branchConversation(id, messageId).then(
        (fork) => {
          void queryClient.invalidateQueries({ queryKey: queryKeys.conversations.all });
          router.push(`/chat/${fork.id}`);
        },
        (err: Error) => setTreeError(err.message),
      );
    },
    [id, queryClient, router],
  );

  const pickExample = useCallback(
    (prompt: string) => {
      onInputChange(prompt);
      textareaRef.current?.focus();
    },
    [onInputChange, textareaRef],
  );

  // A failed reply already shows its error inline; other failures (the request itself) show here.
  const inlineFailure =
    last?.role === "assistant" &&
    (last.metadata?.finishReason === "error" || last.metadata?.finishReason === "interrupted");
  const requestError = status === "error" && error && !inlineFailure ? describeChatError(error) : null;

  return (
    <main className="relative flex min-h-0 flex-1 flex-col" {...dropProps}>
      {dragging ? <DropOverlay text={limitsText(attachments.limits)} /> : null}
      <header className="flex h-14 shrink-0 items-center gap-1 px-2 sm:px-3">
        <SidebarHeaderControls />
        <ModelPicker models={models} value={model} onChange={onModelChange} />
        {exists ? (
          <div className="ml-auto flex items-center gap-0.5">
            <ShareButton conversationId={id} />
            <ChatSettings id={id} systemPrompt={systemPrompt} onSaved={onSystemPromptChange} />
          </div>
        ) : null}
      </header>

      {messages.length === 0 && !busy ? (
        <EmptyState model={models.find((m) => m.id === model)} onPick={pickExample} />
      ) : (
        <Messages
          messages={messages}
          streamingId={streamingId}
          waiting={waiting}
          busy={busy || !ready}
          onRegenerate={onRegenerate}
          onEdit={onEdit}
          onSwitchVersion={onSwitchVersion}
          onBranch={exists ? onBranch : undefined}
          focusId={focusMessageId}
        />
      )}

      <div className="shrink-0 px-3 pb-[max(0.75rem,env(safe-area-inset-bottom))] sm:px-4">
        <div className="mx-auto w-full max-w-3xl sm:px-2">
          {treeError ? <ChatAlert message={treeError} action={{ label: "Dismiss", onClick: () => setTreeError(null) }} /> : null}
          {requestError ? (
            <ChatAlert
              message={requestError}
              action={error && isContentFilterError(error) ? null : { label: "Retry", onClick: () => onRegenerate() }}
            />
          ) : null}
          <Composer
            value={input}
            onChange={onInputChange}
            onSend={submit}
            onStop={() => void stop()}
            busy={busy}
            ready={ready}
            textareaRef={textareaRef}
            attachments={attachments}
            model={models.find((m) => m.id === model)}
          />
          <p className="mt-2 text-center text-xs text-muted-foreground">
            Replies are generated by AI and can be wrong. Check important facts.
          </p>
        </div>
      </div>
    </main>
  );
}
