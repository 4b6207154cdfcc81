// The sidebar's conversation history: GET /v1/conversations (DESIGN §5), newest first, cursor pages;
// the same API with archived=true for the "Archived chats" view; DELETE /v1/conversations/:id.
import { infiniteQueryOptions } from "@tanstack/react-query";
import { type ConversationFields, conversationJson } from "@/lib/api/conversation-json";
import { requestJson } from "./api-error";
import { queryKeys } from "./keys";

export const CONVERSATIONS_PAGE_SIZE = 30;

/** One conversation as the REST API lists it (snake_case, as OpenAI). */
export type ConversationListItem = ReturnType<typeof conversationJson>;

export interface ConversationListPage {
  object: "list";
  data: ConversationListItem[];
  has_more: boolean;
  next_cursor: string | null;
}

/** Server-side: a first page from the database in the same shape the API returns. */
export function toConversationListPage(page: { items: ConversationFields[]; nextCursor: string | null; hasMore: boolean }): ConversationListPage {
  return { object: "list", data: page.items.map(conversationJson), has_more: page.hasMore, next_cursor: page.nextCursor };
}

/** The title the UI shows for a conversation (a chat whose title is not made yet is a "New chat"). */
export function displayTitle(c: Pick<ConversationListItem, "title">): string {
  return c.title?.trim() || "New chat";
}

export function fetchConversationsPage({
  before,
  limit = CONVERSATIONS_PAGE_SIZE,
  archived = false,
  signal,
}: {
  before: string | null;
  limit?: number;
  archived?: boolean;
  signal?: AbortSignal;
}): Promise<ConversationListPage> {
  const params = new URLSearchParams({ limit: String(limit) });
  if (before) params.set("before", before);
  if (archived) params.set("archived", "true");
  return requestJson<ConversationListPage>(`/v1/conversations?${params}`, { signal, failure: "Couldn’t load your chats" });
}

export function conversationsQueryOptions({ limit = CONVERSATIONS_PAGE_SIZE, archived = false } = {}) {
  return infiniteQueryOptions({
    queryKey: queryKeys.conversations.list(limit, archived),
    queryFn: ({ pageParam, signal }) => fetchConversationsPage({ before: pageParam, limit, archived, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more && last.next_cursor ? last.next_cursor : null),
  });
}

export function deleteConversation(id: string): Promise<{ id: string; deleted: boolean }> {
  return requestJson(`/v1/conversations/${encodeURIComponent(id)}`, {
    method: "DELETE",
    failure: "Couldn’t delete the chat",
  });
}
