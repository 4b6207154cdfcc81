import { Info } from "lucide-react";
import type { ChatMessageMetadata } from "@/lib/chat/types";

/** Says so, quietly, when the prompt for a reply had to leave earlier messages out. */
export function ContextNotice({ context }: { context: ChatMessageMetadata["context"] }) {
  if (!context || context.omitted <= 0) return null;
  const n = context.omitted;
  const text = context.summarized
    ? "Earlier messages were summarized to fit this model's context."
    : n === 1
      ? "1 earlier message didn't fit this model's context and was left out."
      : `${n} earlier messages didn't fit this model's context and were left out.`;
  return (
    <p role="note" className="mb-2 flex items-start gap-1.5 pt-1 text-xs leading-5 text-muted-foreground">
      <Info className="mt-[3px] size-3.5 shrink-0" aria-hidden />
      <span>{text}</span>
    </p>
  );
}
