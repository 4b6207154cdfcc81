// Query keys for TanStack Query, from one factory so invalidation and prefetching agree.
export const queryKeys = {
  conversations: {
    /** Prefix of every conversation query (lists and search): invalidate this when a chat changes. */
    all: ["conversations"] as const,
    /** Prefix of the sidebar list and the archived list. */
    lists: ["conversations", "list"] as const,
    list: (limit: number, archived = false) => ["conversations", "list", { limit, archived }] as const,
    /** Prefix of every search query. */
    searches: ["conversations", "search"] as const,
    search: (q: string) => ["conversations", "search", q] as const,
    /** One chat's share link (not under a list prefix: list invalidations leave it alone). */
    share: (id: string) => ["share", id] as const,
  },
  settings: {
    customInstructions: ["settings", "custom-instructions"] as const,
    apiKeys: ["settings", "api-keys"] as const,
  },
} as const;
