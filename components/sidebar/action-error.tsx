"use client";

import { TriangleAlert, X } from "lucide-react";

/** A failed rename/archive/delete (already rolled back), with the server's reason. */
export function ActionError({ message, onDismiss }: { message: string; onDismiss: () => void }) {
  return (
    <div
      role="alert"
      className="mx-1 mt-2 flex items-start gap-2 rounded-lg border border-danger-border bg-danger-bg px-2.5 py-2 text-xs text-danger"
    >
      <TriangleAlert className="mt-px size-3.5 shrink-0" aria-hidden />
      <span className="min-w-0 flex-1 break-words">{message}</span>
      <button type="button" aria-label="Dismiss" onClick={onDismiss} className="-m-0.5 rounded p-0.5 hover:bg-danger/10">
        <X className="size-3.5" aria-hidden />
      </button>
    </div>
  );
}
