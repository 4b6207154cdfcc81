"use client";

import { Dialog } from "@/components/ui/dialog";

/** "Delete chat?" — the confirmation before a conversation and all its messages are deleted. */
export function DeleteChatDialog({ title, onCancel, onConfirm }: { title: string; onCancel: () => void; onConfirm: () => void }) {
  return (
    <Dialog
      title="Delete chat?"
      description={
        <>
          This will delete <strong className="font-medium text-foreground">{title}</strong> and all of its messages. This
          can’t be undone.
        </>
      }
      onClose={onCancel}
    >
      <div className="flex justify-end gap-2">
        <button
          type="button"
          data-autofocus
          onClick={onCancel}
          className="inline-flex h-9 items-center justify-center rounded-lg border border-border bg-background px-4 text-sm font-medium hover:bg-accent"
        >
          Cancel
        </button>
        <button
          type="button"
          onClick={onConfirm}
          className="inline-flex h-9 items-center justify-center rounded-lg bg-red-600 px-4 text-sm font-medium text-white hover:bg-red-700 dark:bg-red-600 dark:hover:bg-red-500"
        >
          Delete
        </button>
      </div>
    </Dialog>
  );
}
