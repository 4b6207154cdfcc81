"use client";

import { useEffect, useRef, useState, type ClipboardEvent, type KeyboardEvent } from "react";
import type { AttachmentPart } from "@/lib/files/types";
import { AttachButton } from "./attachments/attach-button";
import { AttachmentChips, chipOfPart, chipOfUpload } from "./attachments/attachment-chips";
import { useAttachments } from "./attachments/use-attachments";

/**
 * The in-place editor of a user message: saving sends it as a new version; the old one stays. The
 * message's attachments come along by default (chips; "Remove <name>" leaves one out of the new
 * version without deleting it from the old one), and files can be added ("Add files", or paste).
 */
export function EditMessageForm({
  initial,
  initialAttachments = [],
  onCancel,
  onSave,
}: {
  initial: string;
  initialAttachments?: AttachmentPart[];
  onCancel: () => void;
  onSave: (text: string, attachments: AttachmentPart[]) => void;
}) {
  const [draft, setDraft] = useState(initial);
  const [kept, setKept] = useState(initialAttachments);
  const added = useAttachments({ reserved: kept.length });
  const ref = useRef<HTMLTextAreaElement>(null);
  const text = draft.trim();
  const filesChanged = kept.length !== initialAttachments.length || added.items.length > 0;
  const canSave = text.length > 0 && !added.uploading && (text !== initial.trim() || filesChanged);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);

  function save() {
    if (canSave) onSave(text, [...kept, ...added.take()]);
  }

  function cancel() {
    added.discard(); // uploads made for this edit only
    onCancel();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === "Escape") {
      e.preventDefault();
      cancel();
    } else if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing && canSave) {
      e.preventDefault();
      save();
    }
  }

  function onPaste(e: ClipboardEvent<HTMLTextAreaElement>) {
    const files = Array.from(e.clipboardData?.files ?? []);
    if (files.length === 0) return;
    e.preventDefault();
    added.add(files);
  }

  function onRemove(key: string) {
    const sent = kept.find((a) => chipOfPart(a).key === key);
    if (sent) setKept((prev) => prev.filter((a) => a !== sent));
    else added.remove(key);
  }

  return (
    <form
      aria-label="Edit message"
      className="w-full rounded-3xl bg-bubble px-4 py-3"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <AttachmentChips items={[...kept.map(chipOfPart), ...added.items.map(chipOfUpload)]} onRemove={onRemove} />
      {added.error ? (
        <p role="alert" className="pb-2 text-sm text-danger">
          {added.error}
        </p>
      ) : null}
      <textarea
        ref={ref}
        aria-label="Edit your message"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        rows={Math.min(10, Math.max(2, draft.split("\n").length))}
        maxLength={100_000}
        className="block w-full resize-none bg-transparent leading-7 outline-none"
      />
      <div className="mt-2 flex items-center justify-end gap-2">
        <span className="mr-auto -ml-2">
          <AttachButton onFiles={added.add} limits={added.limits} label="Add files" testId="edit-attach-input" />
        </span>
        <button
          type="button"
          onClick={cancel}
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
