"use client";

import { ArrowUp, Square } from "lucide-react";
import { useLayoutEffect, useRef, type FormEvent, type KeyboardEvent, type RefObject } from "react";

const MAX_HEIGHT_PX = 216;

export function Composer({
  value,
  onChange,
  onSend,
  onStop,
  busy,
  ready = true,
  textareaRef,
}: {
  value: string;
  onChange: (value: string) => void;
  onSend: () => void;
  onStop: () => void;
  busy: boolean;
  /** False while the chat machinery is still loading. */
  ready?: boolean;
  textareaRef?: RefObject<HTMLTextAreaElement | null>;
}) {
  const localRef = useRef<HTMLTextAreaElement>(null);
  const ref = textareaRef ?? localRef;
  const canSend = value.trim().length > 0 && !busy && ready;

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

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter breaks the line; never while an IME is composing text.
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  }

  return (
    <form
      onSubmit={submit}
      className="flex items-end gap-2 rounded-[28px] border border-border bg-background py-2 pl-4 pr-2 shadow-[0_2px_12px_rgba(0,0,0,0.06)] transition-colors focus-within:border-ring dark:bg-muted dark:shadow-none"
    >
      <textarea
        ref={ref}
        aria-label="Message"
        placeholder="Ask anything"
        rows={1}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
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
    </form>
  );
}
