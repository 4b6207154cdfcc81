import { LoaderCircle } from "lucide-react";

/** A form's "Save" submit button, with a spinner while the save is in flight. */
export function SaveButton({ disabled, pending }: { disabled: boolean; pending: boolean }) {
  return (
    <button
      type="submit"
      disabled={disabled || pending}
      className="inline-flex h-9 items-center justify-center gap-2 rounded-lg bg-primary px-4 text-sm font-medium text-primary-foreground hover:opacity-90 disabled:opacity-50"
    >
      {pending ? <LoaderCircle className="size-4 animate-spin" aria-hidden /> : null}
      Save
    </button>
  );
}
