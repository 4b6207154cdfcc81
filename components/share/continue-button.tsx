"use client";

import { LoaderCircle } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ensureViewerSession } from "@/lib/share/guest-session";
import { ErrorAlert } from "@/components/ui/error-alert";
import { continueShared } from "@/lib/query/share";

/** "Continue this conversation": copies the snapshot into the viewer's account (a guest one if needed), then opens it. */
export function ContinueSharedButton({ token, signedIn }: { token: string; signedIn: boolean }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onClick() {
    setPending(true);
    setError(null);
    try {
      if (!signedIn) await ensureViewerSession();
      const fork = await continueShared(token);
      // The chat shell is rendered on the server for this navigation, with the (maybe new) session.
      router.push(`/chat/${fork.id}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : "Couldn’t copy the chat.");
      setPending(false);
    }
  }

  return (
    <div className="flex flex-col items-end gap-2">
      <button
        type="button"
        onClick={() => void onClick()}
        disabled={pending}
        className="inline-flex h-10 items-center justify-center gap-2 rounded-full bg-primary px-5 text-sm font-medium text-primary-foreground hover:opacity-90 disabled:opacity-60"
      >
        {pending ? <LoaderCircle className="size-4 animate-spin" aria-hidden /> : null}
        Continue this conversation
      </button>
      {error ? <ErrorAlert message={error} /> : null}
    </div>
  );
}
