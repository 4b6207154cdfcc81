"use client";

import { useMutation } from "@tanstack/react-query";
import { Settings2 } from "lucide-react";
import { ErrorAlert } from "@/components/ui/error-alert";
import { useState } from "react";
import { CountedTextarea } from "@/components/ui/counted-textarea";
import { SaveButton } from "@/components/ui/save-button";
import { Dialog } from "@/components/ui/dialog";
import { IconButton } from "@/components/ui/icon-button";
import { SYSTEM_PROMPT_MAX, updateConversation } from "@/lib/query/conversation";

/** The header button "Chat settings" and its dialog: this conversation's own system prompt. */
export function ChatSettings({
  id,
  systemPrompt,
  onSaved,
}: {
  id: string;
  systemPrompt: string | null;
  onSaved: (systemPrompt: string | null) => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <span className="relative flex">
        <IconButton label="Chat settings" aria-haspopup="dialog" onClick={() => setOpen(true)}>
          <Settings2 className="size-[18px]" aria-hidden />
        </IconButton>
        {systemPrompt ? (
          // A glance that this chat has its own instructions; the dialog says what they are.
          <span aria-hidden className="pointer-events-none absolute right-1 top-1 size-2 rounded-full bg-primary ring-2 ring-background" />
        ) : null}
      </span>
      {open ? (
        <ChatSettingsDialog
          id={id}
          systemPrompt={systemPrompt}
          onClose={() => setOpen(false)}
          onSaved={(saved) => {
            onSaved(saved);
            setOpen(false);
          }}
        />
      ) : null}
    </>
  );
}

function ChatSettingsDialog({
  id,
  systemPrompt,
  onClose,
  onSaved,
}: {
  id: string;
  systemPrompt: string | null;
  onClose: () => void;
  onSaved: (systemPrompt: string | null) => void;
}) {
  const [draft, setDraft] = useState(systemPrompt ?? "");
  const save = useMutation({
    mutationFn: (text: string) => updateConversation(id, { system_prompt: text.trim() || null }),
    onSuccess: (conversation) => onSaved(conversation.system_prompt),
  });
  const unchanged = (draft.trim() || null) === (systemPrompt?.trim() || null);

  return (
    <Dialog
      title="Chat settings"
      description="Instructions the assistant follows in this chat only, after your custom instructions."
      onClose={onClose}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!unchanged && !save.isPending) save.mutate(draft);
        }}
        className="space-y-4"
      >
        <CountedTextarea
          label="System prompt for this chat"
          value={draft}
          onValueChange={(value) => {
            setDraft(value);
            if (save.isError) save.reset();
          }}
          maxLength={SYSTEM_PROMPT_MAX}
          rows={6}
          placeholder="For example: You are a patient tutor. Ask one question at a time."
          className="max-h-[50dvh] min-h-28"
        />
        {save.isError ? <ErrorAlert message={save.error.message} /> : null}
        <div className="flex justify-end gap-2">
          <button
            type="button"
            onClick={onClose}
            className="inline-flex h-9 items-center justify-center rounded-lg border border-border bg-background px-4 text-sm font-medium hover:bg-accent"
          >
            Cancel
          </button>
          <SaveButton disabled={unchanged} pending={save.isPending} />
        </div>
      </form>
    </Dialog>
  );
}
