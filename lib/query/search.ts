// Full-text search over the caller's chats: GET /v1/search?q=… (titles and messages, ranked).
import { queryOptions } from "@tanstack/react-query";
import { requestJson } from "./api-error";
import { queryKeys } from "./keys";

export const SEARCH_LIMIT = 20;

export interface SearchHit {
  conversation_id: string;
  title: string | null;
  /** The best-matching message, or null when only the title matched. */
  message_id: string | null;
  /** Escaped text with <mark>…</mark> around the matches (see safeSnippetHtml). */
  snippet_html: string;
  updated_at: string;
  rank: number;
}

export function searchQueryOptions(q: string) {
  return queryOptions({
    queryKey: queryKeys.conversations.search(q),
    queryFn: ({ signal }) =>
      requestJson<{ data: SearchHit[] }>(`/v1/search?${new URLSearchParams({ q, limit: String(SEARCH_LIMIT) })}`, {
        signal,
        failure: "Couldn’t search your chats",
      }).then((body) => body.data),
    staleTime: 10_000,
  });
}

/** Where a hit opens: the conversation, at the matching message when there is one. */
export function searchHitHref(hit: Pick<SearchHit, "conversation_id" | "message_id">): string {
  const base = `/chat/${encodeURIComponent(hit.conversation_id)}`;
  return hit.message_id ? `${base}?m=${encodeURIComponent(hit.message_id)}` : base;
}

/**
 * The snippet as HTML that can hold no element but <mark>. The server escapes the text and adds
 * only <mark> tags, but this goes into innerHTML, so the browser does not rely on that: every other
 * "<" or ">" is escaped again, which leaves no way to open a tag (or an attribute, or a script). "&"
 * is left alone so the server's entities still decode; on its own it can only ever produce text.
 */
export function safeSnippetHtml(html: string): string {
  return html
    .split(/(<\/?mark>)/)
    .map((part) => (part === "<mark>" || part === "</mark>" ? part : part.replace(/</g, "&lt;").replace(/>/g, "&gt;")))
    .join("");
}

/**
 * Starts a long snippet a few words before its first match, so a two-line preview shows the match.
 * It cuts only at a space, which can never be inside a tag or an entity.
 */
export function focusSnippetHtml(html: string, lead = 40): string {
  const first = html.indexOf("<mark>");
  if (first <= lead * 1.5) return html;
  const cut = html.indexOf(" ", first - lead);
  if (cut < 0 || cut >= first) return html;
  return `…${html.slice(cut + 1)}`;
}
