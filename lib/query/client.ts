// One QueryClient factory for the browser (one per tab) and for any server prefetch (one per request).
import { QueryClient } from "@tanstack/react-query";

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Server-rendered first pages stay fresh briefly, so hydration does not refetch at once.
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: 1,
      },
    },
  });
}
