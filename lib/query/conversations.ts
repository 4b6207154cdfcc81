// The sidebar's conversation history: GET /v1/conversations (DESIGN §5), newest first, cursor pages.
import { infiniteQueryOptions } from "@tanstack/react-query";
import { readApiError } from "./api-error";
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
    })),
    has_more: page.hasMore,
    next_cursor: page.nextCursor,
  };
}

export async function fetchConversationsPage({
  before,
  limit = CONVERSATIONS_PAGE_SIZE,
  signal,
}: {
  before: string | null;
  limit?: number;
  signal?: AbortSignal;
}): Promise<ConversationListPage> {
  const params = new URLSearchParams({ limit: String(limit) });
  if (before) params.set("before", before);
  const res = await fetch(`/v1/conversations?${params}`, { credentials: "same-origin", signal });
  if (!res.ok) throw new Error(await readApiError(res, `Could not load your chats (HTTP ${res.status}).`));
  return (await res.json()) as ConversationListPage;
}

export function conversationsQueryOptions(limit = CONVERSATIONS_PAGE_SIZE) {
  return infiniteQueryOptions({
    queryKey: queryKeys.conversations.list(limit),
    queryFn: ({ pageParam, signal }) => fetchConversationsPage({ before: pageParam, limit, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more && last.next_cursor ? last.next_cursor : null),
  });
}
