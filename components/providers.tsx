"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";
import { makeQueryClient } from "@/lib/query/client";
import { applyTheme, storedTheme, systemTheme } from "./theme";

/** Follows OS theme changes while the user has not picked a theme. */
function useSystemThemeSync(): void {
  useEffect(() => {
    const media = matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => {
      if (storedTheme() === null) applyTheme(systemTheme());
    };
    media.addEventListener("change", onChange);
    return () => media.removeEventListener("change", onChange);
  }, []);
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  useSystemThemeSync();
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
