"use client";

import { Menu, PanelLeftOpen, SquarePen } from "lucide-react";
import { IconButton } from "@/components/ui/icon-button";
import { useSidebar } from "./sidebar-context";
import { useNewChat } from "./use-new-chat";

/** Header controls that stand in for the sidebar when it is out of view (drawer closed or folded). */
export function SidebarHeaderControls() {
  const { setMobileOpen, collapsed, toggleCollapsed } = useSidebar();
  const newChat = useNewChat();
  return (
    <div className="flex items-center gap-0.5">
      <IconButton label="Open sidebar" className="md:hidden" onClick={() => setMobileOpen(true)}>
        <Menu className="size-5" aria-hidden />
      </IconButton>
      {collapsed ? (
        <IconButton label="Toggle sidebar" className="max-md:hidden" onClick={toggleCollapsed}>
          <PanelLeftOpen className="size-5" aria-hidden />
        </IconButton>
      ) : null}
      <IconButton label="New chat" className={collapsed ? "" : "md:hidden"} onClick={newChat}>
        <SquarePen className="size-[18px]" aria-hidden />
      </IconButton>
    </div>
  );
}
