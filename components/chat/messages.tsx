"use client";

import { ArrowDown, Sparkles } from "lucide-react";
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import type { ChatUIMessage } from "@/lib/chat/types";
import type { AttachmentPart } from "@/lib/files/types";
import { Message, messageAnchorId, TypingIndicator } from "./message";

const STICKY_PX = 48;
const HIGHLIGHT_MS = 2_000;

/**
 * The scrolling list of messages. It follows new content while the reader is at the bottom and
 * stays put once they scroll up; "Scroll to bottom" brings them back.
 */
export function Messages({
  messages,
  streamingId,
  waiting,
  busy,
  onRegenerate,
  onEdit,
  onSwitchVersion,
  onBranch,
  footer,
  focusId = null,
}: {
  messages: ChatUIMessage[];
  /** Id of the message receiving tokens, if any. */
  streamingId: string | null;
  /** A request is out and no reply has started yet. */
  waiting: boolean;
  busy: boolean;
  onRegenerate: (messageId: string) => void;
  onEdit: (messageId: string, text: string, attachments: AttachmentPart[]) => void;
  onSwitchVersion: (messageId: string) => void;
  onBranch?: (messageId: string) => void;
  footer?: ReactNode;
  /** Scroll to this message and highlight it briefly (opened from a search result). */
  focusId?: string | null;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const lastTop = useRef(0);
  const [following, setFollowing] = useState(true);

  const scrollToBottom = useCallback((behavior: ScrollBehavior = "auto") => {
    const el = scrollRef.current;
    if (el) el.scrollTo({ top: el.scrollHeight, behavior });
  }, []);

  // Content grows while a reply streams (and when lazy markdown or highlighting swaps in); the
  // viewport changes when the composer grows or an error banner comes and goes.
  useEffect(() => {
    const scroller = scrollRef.current;
    const content = contentRef.current;
    if (!scroller || !content) return;
    const observer = new ResizeObserver(() => {
      if (stick.current) scrollToBottom();
    });
    observer.observe(content);
    observer.observe(scroller);
    return () => observer.disconnect();
  }, [scrollToBottom]);

  // Sending a message always brings the reader down to it.
  const last = messages.at(-1);
  const lastUserId = last?.role === "user" ? last.id : null;
  useLayoutEffect(() => {
    if (!lastUserId) return;
    stick.current = true;
    scrollToBottom(); // its scroll event updates `following`
  }, [lastUserId, scrollToBottom]);

  // A message asked for by the URL (?m=…): centre it instead of following the bottom, and flash it.
  // Declared after the effect above so that it wins on mount. Not on the displayed path: nothing.
  useLayoutEffect(() => {
    if (!focusId) return;
    const el = document.getElementById(messageAnchorId(focusId));
    if (!el) return;
    stick.current = false;
    el.scrollIntoView({ block: "center" });
    el.dataset.highlight = "true";
    const timer = setTimeout(() => delete el.dataset.highlight, HIGHLIGHT_MS);
    return () => {
      clearTimeout(timer);
      delete el.dataset.highlight;
    };
  }, [focusId]);

  // Only the reader moving up lets go of the bottom; layout shifts never do.
  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    const top = el.scrollTop;
    if (el.scrollHeight - top - el.clientHeight < STICKY_PX) stick.current = true;
    else if (top < lastTop.current) stick.current = false;
    lastTop.current = top;
    setFollowing(stick.current);
  }, []);

  const lastAssistantId = messages.findLast((m) => m.role === "assistant")?.id ?? null;

  return (
    <div className="relative min-h-0 flex-1">
      <div ref={scrollRef} onScroll={onScroll} className="h-full overflow-y-auto overscroll-contain">
        <div ref={contentRef} className="mx-auto flex w-full max-w-3xl flex-col gap-7 px-4 pb-10 pt-4 sm:px-6">
          {messages.map((m) => (
            <Message
              key={m.id}
              message={m}
              streaming={m.id === streamingId}
              latest={m.id === lastAssistantId}
              busy={busy}
              onRegenerate={onRegenerate}
              onEdit={onEdit}
              onSwitchVersion={onSwitchVersion}
              onBranch={onBranch}
            />
          ))}
          {waiting ? (
            <div className="flex gap-3 sm:gap-4">
              <div
                aria-hidden
                className="mt-0.5 flex size-7 shrink-0 items-center justify-center rounded-full border border-border"
              >
                <Sparkles className="size-3.5" />
              </div>
              <TypingIndicator />
            </div>
          ) : null}
          {footer}
        </div>
      </div>
      {following ? null : (
        <button
          type="button"
          aria-label="Scroll to bottom"
          onClick={() => {
            stick.current = true;
            setFollowing(true);
            scrollToBottom("smooth");
          }}
          className="absolute bottom-3 left-1/2 flex size-9 -translate-x-1/2 items-center justify-center rounded-full border border-border bg-background text-muted-foreground shadow-md hover:text-foreground"
        >
          <ArrowDown className="size-4" aria-hidden />
        </button>
      )}
    </div>
  );
}
