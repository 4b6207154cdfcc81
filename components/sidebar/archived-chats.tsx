"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { ArchiveRestore, LoaderCircle, Trash2 } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Dialog } from "@/components/ui/dialog";
import { IconButton } from "@/components/ui/icon-button";
import { conversationsQueryOptions, displayTitle, type ConversationListItem } from "@/lib/query/conversations";
import { ActionError } from "./action-error";
import { relativeDay } from "./date-groups";
import { DeleteChatDialog } from "./delete-chat-dialog";
import { LoadMore } from "./load-more";
import { useSidebar } from "./sidebar-context";
import { useConversationActions } from "./use-conversation-actions";
import { useClock } from "./use-clock";

const UTC_CLOCK = { timeZone: "UTC", today: "1970-01-01" };

/** "Archived chats": the archived conversations, a page at a time, to open, unarchive or delete. */
export function ArchivedChatsDialog({ onClose }: { onClose: () => void }) {
  const { setMobileOpen } = useSidebar();
  const query = useInfiniteQuery(conversationsQueryOptions({ archived: true }));
  // Mounted only in the browser (on demand), so the browser's clock is the one in use.
  const clock = useClock(UTC_CLOCK);
  const { error, dismissError, unarchive, remove } = useConversationActions();
  const [deleting, setDeleting] = useState<ConversationListItem | null>(null);
  const items = query.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <Dialog title="Archived chats" description="Archived chats are hidden from the sidebar and from search." onClose={onClose}>
      {error ? <ActionError message={error} onDismiss={dismissError} /> : null}
      <div className="-mx-2 max-h-[min(60dvh,28rem)] min-h-24 overflow-y-auto">
        {query.isPending ? (
          <p className="flex items-center gap-2 px-2 py-3 text-sm text-muted-foreground">
            <LoaderCircle className="size-4 animate-spin" aria-hidden />
            Loading…
          </p>
        ) : items.length === 0 ? (
          <p className="px-2 py-3 text-sm text-muted-foreground">
            {query.isError ? query.error.message : "You have no archived chats."}
          </p>
        ) : (
          <ul aria-label="Archived chats" className="divide-y divide-border">
            {items.map((c) => {
              const title = displayTitle(c);
              return (
                <li key={c.id} className="flex items-center gap-2 px-2 py-1.5">
                  <Link
                    href={`/chat/${c.id}`}
                    onClick={() => {
                      onClose();
                      setMobileOpen(false);
                    }}
                    className="min-w-0 flex-1 rounded-md py-1 hover:underline"
                  >
                    <span className="block truncate text-sm font-medium">{title}</span>
                    <span className="block text-xs text-muted-foreground">{relativeDay(c.updated_at, clock)}</span>
                  </Link>
                  <IconButton label={`Unarchive ${title}`} size="sm" onClick={() => unarchive(c.id)}>
                    <ArchiveRestore className="size-4" aria-hidden />
                  </IconButton>
                  <IconButton label={`Delete ${title}`} size="sm" onClick={() => setDeleting(c)}>
                    <Trash2 className="size-4" aria-hidden />
                  </IconButton>
                </li>
              );
            })}
          </ul>
        )}
        {query.hasNextPage ? <LoadMore loading={query.isFetchingNextPage} onLoad={() => void query.fetchNextPage()} /> : null}
      </div>
      {deleting ? (
        <DeleteChatDialog
          title={displayTitle(deleting)}
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            setDeleting(null);
            remove(deleting.id);
          }}
        />
      ) : null}
    </Dialog>
  );
}
