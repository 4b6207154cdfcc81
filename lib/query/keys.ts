// Query keys for TanStack Query, from one factory so invalidation and prefetching agree.
export const queryKeys = {
  conversations: {
    /** Prefix of every conversation-list query: invalidate this when a chat changes. */
    all: ["conversations"] as const,
    list: (limit: number) => ["conversations", "list", { limit }] as const,
  },
  settings: {
    customInstructions: ["settings", "custom-instructions"] as const,
  },
} as const;
