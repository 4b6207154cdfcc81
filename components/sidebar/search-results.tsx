"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { LoaderCircle } from "lucide-react";
import Link from "next/link";
import type { KeyboardEvent, RefObject } from "react";
import { displayTitle } from "@/lib/query/conversations";
import { focusSnippetHtml, safeSnippetHtml, searchHitHref, searchQueryOptions, type SearchHit } from "@/lib/query/search";
import { relativeDay, type Clock } from "./date-groups";

export const HIT_SELECTOR = "a[data-search-hit]";

/** Results of the sidebar search, in place of the history. Arrows move between them; Escape clears. */
export function SearchResults({
  query,
  typing,
  clock,
  listRef,
  searchRef,
  onChoose,
  onClear,
}: {
  /** The debounced query. */
  query: string;
  /** The searchbox holds newer text than `query`. */
  typing: boolean;
  clock: Clock;
  listRef: RefObject<HTMLUListElement | null>;
  searchRef: RefObject<HTMLInputElement | null>;
  onChoose: () => void;
  onClear: () => void;
}) {
  const search = useQuery({
    ...searchQueryOptions(query),
    enabled: query.length > 0,
    // The previous results stay on screen while the next keystroke's results load.
    placeholderData: keepPreviousData,
  });
  const hits = search.data ?? [];
  const settled = !typing && !search.isFetching;

  function onKeyDown(e: KeyboardEvent<HTMLUListElement>) {
    const links = Array.from(e.currentTarget.querySelectorAll<HTMLElement>(HIT_SELECTOR));
    const index = links.indexOf(document.activeElement as HTMLElement);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const next = index + (e.key === "ArrowDown" ? 1 : -1);
      if (next < 0) searchRef.current?.focus();
      else links[Math.min(next, links.length - 1)]?.focus();
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      onClear();
      searchRef.current?.focus();
    }
  }

  let status = "";
  if (search.isError) status = search.error.message;
  else if (settled && search.isSuccess) status = hits.length ? `${hits.length} ${hits.length === 1 ? "chat" : "chats"} found` : "No chats match";

  return (
    <section aria-label="Search results" className="flex min-h-0 flex-1 flex-col overflow-y-auto px-2 pb-2">
      <div className="flex items-center gap-2 px-2 pb-1 pt-4 text-xs font-medium text-muted-foreground">
        Results
        {!settled ? <LoaderCircle className="size-3 animate-spin" aria-hidden /> : null}
      </div>
      {/* Announced politely as results settle; shown only when there is nothing else to see. */}
      <p role="status" className={hits.length || !status ? "sr-only" : "px-2 py-3 text-sm text-muted-foreground"}>
        {status}
      </p>
      {hits.length ? (
        <ul ref={listRef} onKeyDown={onKeyDown} className="space-y-px" aria-busy={!settled}>
          {hits.map((hit) => (
            <li key={hit.conversation_id}>
              <HitLink hit={hit} clock={clock} onChoose={onChoose} />
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

const markStyles =
  "[&_mark]:rounded-[3px] [&_mark]:bg-amber-200/80 [&_mark]:px-px [&_mark]:text-foreground dark:[&_mark]:bg-amber-400/30";

function HitLink({ hit, clock, onChoose }: { hit: SearchHit; clock: Clock; onChoose: () => void }) {
  const snippet = hit.snippet_html.trim() ? focusSnippetHtml(safeSnippetHtml(hit.snippet_html)) : null;
  // A hit on the title alone has the title as its snippet: highlight the title instead of repeating it.
  const titleHtml = hit.message_id === null ? snippet : null;
  // Both HTML strings come from safeSnippetHtml, which leaves no element but <mark> in them.
  return (
    <Link
      href={searchHitHref(hit)}
      data-search-hit
      onClick={onChoose}
      className="block rounded-lg px-2 py-2 outline-none hover:bg-accent/70 focus-visible:bg-accent"
    >
      <span className="flex items-baseline gap-2">
        {titleHtml ? (
          <span className={`min-w-0 flex-1 truncate text-sm font-medium ${markStyles}`} dangerouslySetInnerHTML={{ __html: titleHtml }} />
        ) : (
          <span className="min-w-0 flex-1 truncate text-sm font-medium">{displayTitle(hit)}</span>
        )}
        <span className="shrink-0 text-[11px] text-muted-foreground">{relativeDay(hit.updated_at, clock)}</span>
      </span>
      {snippet && !titleHtml ? (
        <span
          className={`mt-0.5 line-clamp-2 text-xs leading-5 text-muted-foreground ${markStyles}`}
          dangerouslySetInnerHTML={{ __html: snippet }}
        />
      ) : null}
    </Link>
  );
}
