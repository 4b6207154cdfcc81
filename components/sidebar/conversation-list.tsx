"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { usePathname } from "next/navigation";
import { useMemo } from "react";
import { conversationsQueryOptions, type ConversationListItem, type ConversationListPage } from "@/lib/query/conversations";
import { ActionError } from "./action-error";
import { ConversationItem } from "./conversation-item";
import { groupByDate, type Clock } from "./date-groups";
import { LoadMore } from "./load-more";
import { useClock } from "./use-clock";
import { useConversationActions } from "./use-conversation-actions";

/** The history in ChatGPT's date sections, a page at a time as it scrolls (cursor API). */
export function ConversationList({
  initialPage,
  clock: serverClock,
  onNavigate,
  hidden,
}: {
  /** The first page, read by the server layout, so the list renders with the page. */
  initialPage: ConversationListPage;
  clock: Clock;
  onNavigate: () => void;
  /** Search results are shown instead; the list stays mounted to keep its scroll position. */
  hidden?: boolean;
}) {
  const pathname = usePathname();
  const query = useInfiniteQuery({
    ...conversationsQueryOptions(),
    initialData: { pages: [initialPage], pageParams: [null] },
  });
  const clock = useClock(serverClock);
  const { error, dismissError, rename, archive, remove } = useConversationActions();
  const actions = useMemo(() => ({ rename, archive, remove }), [rename, archive, remove]);

  const groups = useMemo(() => {
    // A chat that moved up between two page fetches could come twice; the first (newest) wins.
    const seen = new Set<string>();
    const items: ConversationListItem[] = [];
    for (const page of query.data?.pages ?? []) {
      for (const c of page.data) {
        if (!seen.has(c.id)) {
          seen.add(c.id);
          items.push(c);
        }
      }
    }
    return groupByDate(items, clock);
  }, [query.data, clock]);

  return (
    <nav aria-label="Conversations" hidden={hidden} className="flex min-h-0 flex-1 flex-col overflow-y-auto px-2 pb-2">
      {error ? <ActionError message={error} onDismiss={dismissError} /> : null}
      {groups.length === 0 ? (
        <p className="px-2 py-3 text-sm text-muted-foreground">
          {query.isError ? "Couldn’t load your chats." : "No chats yet. Start one!"}
        </p>
      ) : (
        groups.map((g) => (
          <div key={g.label}>
            <h2 className="sticky top-0 z-[1] bg-sidebar px-2 pb-1 pt-4 text-xs font-medium text-muted-foreground">{g.label}</h2>
            <ul className="space-y-px">
              {g.items.map((c) => (
                <ConversationItem
                  key={c.id}
                  conversation={c}
                  active={pathname === `/chat/${c.id}`}
                  onNavigate={onNavigate}
                  actions={actions}
                />
              ))}
            </ul>
          </div>
        ))
      )}
      {query.isError && groups.length > 0 ? <p className="px-2 py-1.5 text-xs text-danger">{query.error.message}</p> : null}
      {query.isError ? (
        <button
          type="button"
          onClick={() => void query.refetch()}
          className="mx-2 mt-1 self-start text-xs font-medium text-muted-foreground underline underline-offset-2 hover:text-foreground"
        >
          Try again
        </button>
      ) : null}
      {query.hasNextPage && !query.isError ? (
        <LoadMore loading={query.isFetchingNextPage} onLoad={() => void query.fetchNextPage()} />
      ) : null}
    </nav>
  );
}
