"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import { LoaderCircle } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";
import { conversationsQueryOptions, type ConversationListPage } from "@/lib/query/conversations";

export function ConversationList({
  initialPage,
  onNavigate,
}: {
  initialPage: ConversationListPage;
  onNavigate: () => void;
}) {
  const pathname = usePathname();
  const query = useInfiniteQuery({
    ...conversationsQueryOptions(),
    initialData: { pages: [initialPage], pageParams: [null] },
  });
  const items = query.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <nav aria-label="Conversations" className="flex min-h-0 flex-1 flex-col overflow-y-auto px-2 pb-2">
      <h2 className="px-2 pb-1 pt-3 text-xs font-medium text-muted-foreground">Chats</h2>
      {items.length === 0 ? (
        <p className="px-2 py-1.5 text-sm text-muted-foreground">
          {query.isError ? "Couldn’t load your chats." : "No chats yet. Start one!"}
        </p>
      ) : (
        <ul className="space-y-px">
          {items.map((c) => {
            const href = `/chat/${c.id}`;
            const active = pathname === href;
            const title = c.title?.trim() || "New chat";
            return (
              <li key={c.id}>
                <Link
                  href={href}
                  onClick={onNavigate}
                  aria-current={active ? "page" : undefined}
                  title={title}
                  className={clsx(
                    "block truncate rounded-lg px-2 py-2 text-sm transition-colors",
                    active ? "bg-accent font-medium text-foreground" : "text-foreground/85 hover:bg-accent/70",
                  )}
                >
                  {title}
                </Link>
              </li>
            );
          })}
        </ul>
      )}
      {query.isError && items.length > 0 ? (
        <p className="px-2 py-1.5 text-xs text-danger">{query.error.message}</p>
      ) : null}
      {query.isError ? (
        <button
          type="button"
          onClick={() => void query.refetch()}
          className="mx-2 mt-1 self-start text-xs font-medium text-muted-foreground underline underline-offset-2 hover:text-foreground"
        >
          Try again
        </button>
      ) : null}
      {query.hasNextPage ? (
        <LoadMore loading={query.isFetchingNextPage} onLoad={() => void query.fetchNextPage()} />
      ) : null}
    </nav>
  );
}

/** Loads the next page when scrolled into view; also a plain button for keyboards. */
function LoadMore({ loading, onLoad }: { loading: boolean; onLoad: () => void }) {
  const ref = useRef<HTMLButtonElement>(null);
  const onLoadRef = useRef(onLoad);
  useEffect(() => {
    onLoadRef.current = onLoad;
  });
  useEffect(() => {
    const el = ref.current;
    if (!el || loading) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) onLoadRef.current();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [loading]);
  return (
    <button
      ref={ref}
      type="button"
      onClick={onLoad}
      disabled={loading}
      className="mx-2 mt-1 inline-flex items-center gap-2 self-start rounded-md px-2 py-1 text-xs text-muted-foreground hover:bg-accent hover:text-foreground"
    >
      {loading ? <LoaderCircle className="size-3.5 animate-spin" aria-hidden /> : null}
      {loading ? "Loading…" : "Load more"}
    </button>
  );
}
