"use client";

import { clsx } from "clsx";
import { Check, Copy, Ellipsis, GitBranch, Pencil, RefreshCw, ShieldAlert, Sparkles, TriangleAlert } from "lucide-react";
import { lazy, memo, Suspense, useState } from "react";
import type { ChatUIMessage } from "@/lib/chat/types";
import type { AttachmentPart } from "@/lib/files/types";
import { IconButton } from "@/components/ui/icon-button";
import { DropdownMenu, MenuItem } from "@/components/ui/menu";
import { MessageAttachments } from "./attachments/message-attachments";
import { messageText } from "./chat-request";
import { ContextNotice } from "./context-notice";
import { EditMessageForm } from "./edit-message";
import { CrisisResources } from "./crisis-resources";
import { LimitNotice } from "./limit-notice";
import { FeedbackButtons } from "./feedback-buttons";
import { hasToolSteps, MessageParts } from "./tool-steps/message-parts";
import { useCopy } from "./use-copy";
import { VersionNav } from "./version-nav";

// The markdown renderer (parser, GFM, sanitizer) is its own chunk: a new chat's first load does
// not pay for it, and until it arrives a reply shows as plain text.
const loadMarkdown = () => import("./markdown");
const Markdown = lazy(() => loadMarkdown().then((m) => ({ default: m.Markdown })));
export function preloadMarkdown(): void {
  void loadMarkdown();
}

function PlainText({ text }: { text: string }) {
  return <div className="whitespace-pre-wrap leading-7">{text}</div>;
}

/** The DOM id of a message's element: `/chat/:id?m=<message id>` scrolls to it. */
export function messageAnchorId(messageId: string): string {
  return `message-${messageId}`;
}

/** A brief highlight (data-highlight, set by Messages); the outline widens it without moving layout. */
const highlightable =
  "scroll-mt-16 rounded-xl outline-8 outline-solid outline-transparent transition-[background-color,outline-color] duration-700 data-[highlight=true]:bg-amber-100/70 data-[highlight=true]:outline-amber-100/70 dark:data-[highlight=true]:bg-amber-300/10 dark:data-[highlight=true]:outline-amber-300/10";

export interface MessageProps {
  message: ChatUIMessage;
  /** Tokens are arriving into this message now. */
  streaming: boolean;
  /** The last assistant reply: its actions stay visible. */
  latest: boolean;
  /** A request is in flight, so regenerating is not possible yet. */
  busy: boolean;
  onRegenerate: (messageId: string) => void;
  /** Send `text` (with these attachments) as a new version of this user message. */
  onEdit: (messageId: string, text: string, attachments: AttachmentPart[]) => void;
  /** Show another version (sibling) of a message. */
  onSwitchVersion: (messageId: string) => void;
  /** Fork the conversation up to this message into a new chat; absent while the chat is not saved yet. */
  onBranch?: (messageId: string) => void;
}

export const Message = memo(function Message(props: MessageProps) {
  return props.message.role === "user" ? <UserMessage {...props} /> : <AssistantMessage {...props} />;
});

function UserMessage({ message, busy, onEdit, onSwitchVersion }: MessageProps) {
  const [editing, setEditing] = useState(false);
  const text = messageText(message);
  return (
    <article id={messageAnchorId(message.id)} aria-label="Your message" className="group/msg flex scroll-mt-16 flex-col items-end">
      {editing ? (
        <EditMessageForm
          initial={text}
          initialAttachments={message.metadata?.attachments}
          onCancel={() => setEditing(false)}
          onSave={(next, attachments) => {
            setEditing(false);
            onEdit(message.id, next, attachments);
          }}
        />
      ) : (
        <>
          <MessageAttachments attachments={message.metadata?.attachments} />
          <div className="max-w-[85%] whitespace-pre-wrap break-words rounded-3xl bg-bubble px-4 py-2.5 leading-7 ring-amber-300/80 transition-shadow duration-700 group-data-[highlight=true]/msg:ring-4 sm:max-w-[75%] dark:ring-amber-300/40">
            {text}
          </div>
          <div className="-mr-1 mt-1 flex items-center gap-0.5">
            <span className="transition-opacity md:opacity-0 md:focus-within:opacity-100 md:group-hover/msg:opacity-100">
              <IconButton label="Edit message" size="sm" disabled={busy} onClick={() => setEditing(true)}>
                <Pencil className="size-4" aria-hidden />
              </IconButton>
            </span>
            <VersionNav id={message.id} siblingIds={message.metadata?.siblingIds} disabled={busy} onSwitch={onSwitchVersion} />
          </div>
        </>
      )}
    </article>
  );
}

const CONTENT_FILTER_NOTICE = "This reply was stopped because it broke the content policy. Try asking in a different way.";

const DEFAULT_FAILURE: Record<"error" | "interrupted", string> = {
  error: "Something went wrong while writing this reply.",
  interrupted: "This reply was interrupted before it finished.",
};

function AssistantMessage({ message, streaming, latest, busy, onRegenerate, onSwitchVersion, onBranch }: MessageProps) {
  const text = messageText(message);
  const meta = message.metadata;
  const finish = meta?.finishReason ?? null;
  const failure = finish === "error" || finish === "interrupted" ? finish : null;

  return (
    <article
      id={messageAnchorId(message.id)}
      aria-label="Assistant message"
      className={clsx("group flex gap-3 sm:gap-4", highlightable)}
    >
      <div
        aria-hidden
        className="mt-0.5 flex size-7 shrink-0 items-center justify-center rounded-full border border-border bg-background"
      >
        <Sparkles className="size-3.5" />
      </div>
      <div className="min-w-0 flex-1 pt-0.5">
        <LimitNotice notice={meta?.limitNotice} />
        {meta?.crisisResources ? <CrisisResources /> : null}
        <ContextNotice context={meta?.context} />
        {finish === "content_filter" ? (
          // The whole reply is withheld (the server saved only the safety message); what streamed before the block is not shown either.
          <div role="note" className="flex items-start gap-2.5 rounded-xl border border-border bg-subtle px-3.5 py-2.5 text-sm">
            <ShieldAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
            <span>{CONTENT_FILTER_NOTICE}</span>
          </div>
        ) : hasToolSteps(message) ? (
          <MessageParts message={message} replyDone={!streaming} />
        ) : text ? (
          <Suspense fallback={<PlainText text={text} />}>
            <Markdown text={text} />
          </Suspense>
        ) : streaming ? (
          <TypingIndicator />
        ) : null}

        {failure ? (
          <div
            role="alert"
            className="mt-3 flex flex-wrap items-center gap-x-3 gap-y-2 rounded-xl border border-danger-border bg-danger-bg px-3.5 py-2.5 text-sm text-danger"
          >
            <TriangleAlert className="size-4 shrink-0" aria-hidden />
            <span className="min-w-0 flex-1">{meta?.error?.trim() || DEFAULT_FAILURE[failure]}</span>
            <button
              type="button"
              onClick={() => onRegenerate(message.id)}
              disabled={busy}
              className="rounded-lg border border-danger-border bg-background px-3 py-1 text-sm font-medium text-foreground hover:bg-accent disabled:opacity-50"
            >
              Retry
            </button>
          </div>
        ) : null}
        {finish === "aborted" ? <p className="mt-2 text-xs text-muted-foreground">Stopped</p> : null}
        {finish === "length" ? (
          <p className="mt-2 text-xs text-muted-foreground">The reply reached its length limit.</p>
        ) : null}

        {streaming ? null : (
          <div
            className={clsx(
              "-ml-2 mt-1.5 flex items-center gap-0.5 transition-opacity",
              !latest && "md:opacity-0 md:focus-within:opacity-100 md:group-hover:opacity-100",
            )}
          >
            <VersionNav id={meta?.versionId ?? message.id} siblingIds={meta?.siblingIds} disabled={busy} onSwitch={onSwitchVersion} />
            {text && finish !== "content_filter" ? <CopyAction text={text} /> : null}
            <IconButton label="Regenerate" size="sm" disabled={busy} onClick={() => onRegenerate(message.id)}>
              <RefreshCw className="size-4" aria-hidden />
            </IconButton>
            {finish ? <FeedbackButtons messageId={message.id} initial={meta?.feedback ?? null} /> : null}
            {onBranch && finish ? (
              <DropdownMenu
                label="More actions"
                icon={<Ellipsis className="size-4" aria-hidden />}
                buttonClassName="inline-flex size-8 items-center justify-center rounded-lg text-muted-foreground hover:bg-accent hover:text-foreground"
              >
                <MenuItem icon={<GitBranch className="size-4 text-muted-foreground" aria-hidden />} onSelect={() => onBranch(message.id)}>
                  Branch in new chat
                </MenuItem>
              </DropdownMenu>
            ) : null}
            {meta?.model ? <span className="ml-1.5 truncate text-xs text-muted-foreground">{meta.model}</span> : null}
          </div>
        )}
      </div>
    </article>
  );
}

function CopyAction({ text }: { text: string }) {
  const { copied, copy } = useCopy();
  return (
    <>
      <IconButton label="Copy" size="sm" onClick={() => copy(text)}>
        {copied ? <Check className="size-4" aria-hidden /> : <Copy className="size-4" aria-hidden />}
      </IconButton>
      <span role="status" className="sr-only">
        {copied ? "Copied to clipboard" : ""}
      </span>
    </>
  );
}

export function TypingIndicator() {
  return (
    <div role="status" className="flex h-7 items-center gap-1" aria-label="Assistant is writing">
      <span className="typing-dot size-1.5 rounded-full bg-muted-foreground" />
      <span className="typing-dot size-1.5 rounded-full bg-muted-foreground" />
      <span className="typing-dot size-1.5 rounded-full bg-muted-foreground" />
    </div>
  );
}
