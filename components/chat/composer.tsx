"use client";

import { ArrowUp, Square } from "lucide-react";
import { useLayoutEffect, useRef, type ClipboardEvent, type FormEvent, type KeyboardEvent, type RefObject } from "react";
import type { UiModel } from "@/lib/models/catalog";
import { AttachButton } from "./attachments/attach-button";
import { AttachmentChips, chipOfUpload } from "./attachments/attachment-chips";
import { AttachmentNotices, budgetCheck } from "./attachments/attachment-notices";
import type { AttachmentsController } from "./attachments/use-attachments";

const MAX_HEIGHT_PX = 216;

export function Composer({
  value,
  onChange,
  onSend,
  onStop,
  busy,
  ready = true,
  textareaRef,
  attachments,
  model,
}: {
  value: string;
  onChange: (value: string) => void;
  onSend: () => void;
  onStop: () => void;
  busy: boolean;
  /** False while the chat machinery is still loading. */
  ready?: boolean;
  textareaRef?: RefObject<HTMLTextAreaElement | null>;
  /** Pending uploads (components/chat/attachments); absent = no attaching here. */
  attachments?: AttachmentsController;
  /** The selected model: whether it sees images, how much a message may hold. */
  model?: UiModel;
}) {
  const localRef = useRef<HTMLTextAreaElement>(null);
  const ref = textareaRef ?? localRef;
  // Not while a file is still uploading, nor when the attachments do not fit the model (a choice is offered).
  const filesReady = !attachments || (!attachments.uploading && budgetCheck(attachments, model, value.length).fits);
  // Text, or files alone (a photo with no words is a question too).
  const hasContent = value.trim().length > 0 || (attachments?.items.length ?? 0) > 0;
  const canSend = hasContent && !busy && ready && filesReady;

  // Text typed into the server-rendered textarea before hydration is in the DOM but not in state.
  useLayoutEffect(() => {
    const typed = ref.current?.value ?? "";
    if (typed && typed !== value) onChange(typed);
    // Once, after hydration.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Grow with the text up to a limit, then scroll inside.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [value, ref]);

  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (canSend) onSend();
  }

  // A pasted image (a screenshot) becomes an attachment; pasted text stays text.
  function onPaste(e: ClipboardEvent<HTMLTextAreaElement>) {
    const files = Array.from(e.clipboardData?.files ?? []);
    if (!attachments || files.length === 0) return;
    e.preventDefault();
    attachments.add(files);
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter breaks the line; never while an IME is composing text.
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  }

  return (
    <>
      {attachments ? <AttachmentNotices att={attachments} model={model} textChars={value.length} /> : null}
      <form
        onSubmit={submit}
        className="rounded-[28px] border border-border bg-background py-2 pl-2 pr-2 shadow-[0_2px_12px_rgba(0,0,0,0.06)] transition-colors focus-within:border-ring dark:bg-muted dark:shadow-none"
      >
        {attachments ? <AttachmentChips items={attachments.items.map(chipOfUpload)} onRemove={attachments.remove} /> : null}
        <div className="flex items-end gap-2">
          {attachments ? <AttachButton onFiles={attachments.add} limits={attachments.limits} /> : <span className="w-2" />}
          <textarea
            ref={ref}
            aria-label="Message"
            placeholder="Ask anything"
            rows={1}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            onKeyDown={onKeyDown}
            onPaste={onPaste}
            className="max-h-[216px] min-h-10 flex-1 resize-none bg-transparent py-2 text-base leading-6 outline-none placeholder:text-muted-foreground"
          />
          {busy ? (
            <button
              type="button"
              aria-label="Stop generating"
              title="Stop generating"
              onClick={onStop}
              className="mb-0.5 flex size-9 shrink-0 items-center justify-center rounded-full bg-primary text-primary-foreground hover:opacity-85"
            >
              <Square className="size-3.5 fill-current" aria-hidden />
            </button>
          ) : (
            <button
              type="submit"
              aria-label="Send message"
              title="Send message"
              disabled={!canSend}
              className="mb-0.5 flex size-9 shrink-0 items-center justify-center rounded-full bg-primary text-primary-foreground hover:opacity-85 disabled:bg-accent disabled:text-muted-foreground disabled:opacity-100"
            >
              <ArrowUp className="size-[18px]" aria-hidden />
            </button>
          )}
        </div>
      </form>
    </>
  );
}
