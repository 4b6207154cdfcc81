"use client";

import { useEffect, useRef, useState, type KeyboardEvent } from "react";

/** The in-place editor of a user message: saving sends it as a new version; the old one stays. */
export function EditMessageForm({ initial, onCancel, onSave }: { initial: string; onCancel: () => void; onSave: (text: string) => void }) {
  const [draft, setDraft] = useState(initial);
  const ref = useRef<HTMLTextAreaElement>(null);
  const text = draft.trim();
  const canSave = text.length > 0 && text !== initial.trim();

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === "Escape") {
      e.preventDefault();
      onCancel();
    } else if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing && canSave) {
      e.preventDefault();
      onSave(text);
    }
  }

  return (
    <form
      className="w-full rounded-3xl bg-bubble px-4 py-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (canSave) onSave(text);
      }}
    >
      <textarea
        ref={ref}
        aria-label="Edit your message"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
        rows={Math.min(10, Math.max(2, draft.split("\n").length))}
        maxLength={100_000}
        className="block w-full resize-none bg-transparent leading-7 outline-none"
      />
      <div className="mt-2 flex justify-end gap-2">
        <button
          type="button"
          onClick={onCancel}
          className="inline-flex h-8 items-center rounded-full border border-border bg-background px-3.5 text-sm font-medium hover:bg-accent"
        >
          Cancel
        </button>
        <button
          type="submit"
          disabled={!canSave}
          className="inline-flex h-8 items-center rounded-full bg-primary px-3.5 text-sm font-medium text-primary-foreground hover:opacity-90 disabled:opacity-50"
        >
          Send
        </button>
      </div>
    </form>
  );
}
