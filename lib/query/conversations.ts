// The sidebar's conversation history: GET /v1/conversations (DESIGN §5), newest first, cursor pages;
// the same API with archived=true for the "Archived chats" view; DELETE /v1/conversations/:id.
import { infiniteQueryOptions } from "@tanstack/react-query";
import { requestJson } from "./api-error";
import { queryKeys } from "./keys";

export const CONVERSATIONS_PAGE_SIZE = 30;

/** One conversation as the REST API lists it (snake_case, as OpenAI). */
export interface ConversationListItem {
  id: string;
  object: "conversation";
  title: string | null;
  model: string;
  created_at: string;
  updated_at: string;
  current_message_id: string | null;
  is_archived: boolean;
  system_prompt: string | null;
}

export interface ConversationListPage {
  object: "list";
  data: ConversationListItem[];
  has_more: boolean;
  next_cursor: string | null;
}

/** The fields of a conversation row the list needs (structural, so any row type fits). */
interface ConversationRowLike {
  id: string;
  title: string | null;
  model: string;
  createdAt: Date;
  updatedAt: Date;
  currentMessageId: string | null;
  isArchived: boolean;
  systemPrompt: string | null;
}

/** Server-side: a first page from the database in the same shape the API returns. */
export function toConversationListPage(page: {
  items: ConversationRowLike[];
  nextCursor: string | null;
  hasMore: boolean;
}): ConversationListPage {
  return {
    object: "list",
    data: page.items.map((c) => ({
      id: c.id,
      object: "conversation",
      title: c.title,
      model: c.model,
      created_at: c.createdAt.toISOString(),
      updated_at: c.updatedAt.toISOString(),
      current_message_id: c.currentMessageId,
      is_archived: c.isArchived,
      system_prompt: c.systemPrompt,
    })),
    has_more: page.hasMore,
    next_cursor: page.nextCursor,
  };
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
