import { TriangleAlert } from "lucide-react";

/** An error above the composer (a failed request, a failed version switch), with one action. */
export function ChatAlert({ message, action }: { message: string; action: { label: string; onClick: () => void } | null }) {
  return (
    <div
      role="alert"
      className="mb-2.5 flex items-start gap-3 rounded-xl border border-danger-border bg-danger-bg px-3.5 py-2.5 text-sm text-danger"
    >
      <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
      <span className="min-w-0 flex-1 break-words">{message}</span>
      {action ? (
        <button
          type="button"
          onClick={action.onClick}
          className="shrink-0 rounded-lg border border-danger-border bg-background px-3 py-1 font-medium text-foreground hover:bg-accent"
        >
          {action.label}
        </button>
      ) : null}
    </div>
  );
}
