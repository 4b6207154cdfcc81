"use client";

import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { useSidebar } from "./sidebar-context";

/** Goes to "/", which renders a fresh conversation id on the server. */
export function useNewChat(): () => void {
  const router = useRouter();
  const { setMobileOpen } = useSidebar();
  return useCallback(() => {
    setMobileOpen(false);
    router.push("/");
  }, [router, setMobileOpen]);
}
