import { Clock } from "lucide-react";
import type { ChatMessageMetadata } from "@/lib/chat/types";

/** The time in the reader's own clock, e.g. "3:45 PM". */
function localTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
}

/** Says so when a usage limit sent this reply to the tier's fallback model (as ChatGPT does). */
export function LimitNotice({ notice }: { notice: ChatMessageMetadata["limitNotice"] }) {
  if (!notice) return null;
  return (
    <p
      role="note"
      className="mb-2 flex items-start gap-1.5 rounded-lg border border-border bg-subtle px-3 py-2 text-sm leading-5 text-muted-foreground"
    >
      <Clock className="mt-[3px] size-3.5 shrink-0" aria-hidden />
      <span>
        You’ve reached the {notice.modelLabel} limit until {localTime(notice.resetAt)}; replies use {notice.fallbackLabel} until then.
      </span>
    </p>
  );
}
