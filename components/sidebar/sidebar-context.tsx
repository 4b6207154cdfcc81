"use client";

import { createContext, useContext, useMemo, useState, type ReactNode } from "react";

interface SidebarState {
  /** Phone-sized screens: the drawer is open. */
  mobileOpen: boolean;
  setMobileOpen: (open: boolean) => void;
  /** Wide screens: the sidebar is folded away. */
  collapsed: boolean;
  toggleCollapsed: () => void;
}

const SidebarContext = createContext<SidebarState | null>(null);

export function SidebarProvider({ children }: { children: ReactNode }) {
  const [mobileOpen, setMobileOpen] = useState(false);
  const [collapsed, setCollapsed] = useState(false);
  const value = useMemo<SidebarState>(
    () => ({ mobileOpen, setMobileOpen, collapsed, toggleCollapsed: () => setCollapsed((c) => !c) }),
    [mobileOpen, collapsed],
  );
  return <SidebarContext.Provider value={value}>{children}</SidebarContext.Provider>;
}

export function useSidebar(): SidebarState {
  const ctx = useContext(SidebarContext);
  if (!ctx) throw new Error("useSidebar must be used inside <SidebarProvider>");
  return ctx;
}
