"use client";

import { ChevronLeft, ChevronRight } from "lucide-react";
import { IconButton } from "@/components/ui/icon-button";

/**
 * "Previous version" / "k / n" / "Next version" for a message with siblings (edits, regenerations).
 * A version made in this session may not be in `siblingIds` yet (the server lists it once the reply
 * is done): it counts as the newest.
 */
export function VersionNav({
  id,
  siblingIds,
  disabled,
  onSwitch,
}: {
  id: string;
  siblingIds: readonly string[] | undefined;
  disabled: boolean;
  onSwitch: (messageId: string) => void;
}) {
  const ids = siblingIds?.includes(id) ? siblingIds : [...(siblingIds ?? []), id];
  if (ids.length < 2) return null;
  const k = ids.indexOf(id);
  return (
    <div role="group" aria-label="Versions" className="flex items-center text-xs tabular-nums text-muted-foreground">
      <IconButton label="Previous version" size="sm" disabled={disabled || k === 0} onClick={() => onSwitch(ids[k - 1])}>
        <ChevronLeft className="size-4" aria-hidden />
      </IconButton>
      <span className="min-w-8 text-center">
        {k + 1} / {ids.length}
      </span>
      <IconButton label="Next version" size="sm" disabled={disabled || k === ids.length - 1} onClick={() => onSwitch(ids[k + 1])}>
        <ChevronRight className="size-4" aria-hidden />
      </IconButton>
    </div>
  );
}
