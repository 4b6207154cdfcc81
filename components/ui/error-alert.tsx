import { TriangleAlert } from "lucide-react";
import { clsx } from "clsx";

/** An inline error with the server's message (role="alert", so it is announced when it appears). */
export function ErrorAlert({ message, className }: { message: string; className?: string }) {
  return (
    <p
      role="alert"
      className={clsx(
        "flex items-start gap-2 rounded-lg border border-danger-border bg-danger-bg px-3 py-2 text-sm text-danger",
        className,
      )}
    >
      <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
      <span className="min-w-0 break-words">{message}</span>
    </p>
  );
}
