"use client";

import { clsx } from "clsx";
import { useEffect, useRef, type ReactNode } from "react";
import type { ConversationListPage } from "@/lib/query/conversations";
import type { AccountSummary } from "./account-menu";
import type { Clock } from "./date-groups";
import { Sidebar } from "./sidebar";
import { SidebarProvider, useSidebar } from "./sidebar-context";

/** The signed-in app frame: sidebar (a drawer on phones) beside the page. */
interface ShellProps {
  account: AccountSummary;
  initialPage: ConversationListPage;
  /** The server's idea of the reader's time zone and date, for the history's date sections. */
  clock: Clock;
  children: ReactNode;
}

export function ChatShell(props: ShellProps) {
  return (
    <SidebarProvider>
      <ShellFrame {...props} />
    </SidebarProvider>
  );
}

function ShellFrame({ account, initialPage, clock, children }: ShellProps) {
  const { mobileOpen, setMobileOpen, collapsed } = useSidebar();
  const asideRef = useRef<HTMLElement>(null);

  // The drawer is modal: Escape closes it, focus moves into it, and it closes if the screen widens.
  useEffect(() => {
    if (!mobileOpen) return;
    asideRef.current?.querySelector<HTMLElement>("button, a")?.focus();
    const onKey = (e: KeyboardEvent) => {
      // An Escape that a menu, field or dialog inside the drawer handled is not for the drawer.
      if (e.key !== "Escape" || e.defaultPrevented) return;
      if (e.target instanceof Element && e.target.closest("dialog")) return;
      setMobileOpen(false);
    };
    const wide = matchMedia("(min-width: 768px)");
    const onWide = () => {
      if (wide.matches) setMobileOpen(false);
    };
    document.addEventListener("keydown", onKey);
    wide.addEventListener("change", onWide);
    return () => {
      document.removeEventListener("keydown", onKey);
      wide.removeEventListener("change", onWide);
    };
  }, [mobileOpen, setMobileOpen]);

  return (
    <div className="flex h-dvh overflow-hidden">
      <aside
        ref={asideRef}
        aria-label="Sidebar"
        className={clsx(
          "fixed inset-y-0 left-0 z-40 w-[272px] max-w-[85vw] border-r border-border bg-sidebar transition-[transform,visibility] duration-200 md:static md:z-auto md:w-[260px] md:translate-x-0 md:transition-none",
          mobileOpen ? "translate-x-0 shadow-xl" : "-translate-x-full max-md:invisible",
          collapsed ? "md:hidden" : "md:block",
        )}
      >
        <Sidebar account={account} initialPage={initialPage} clock={clock} />
      </aside>
      {mobileOpen ? (
        <div aria-hidden className="fixed inset-0 z-30 bg-black/40 md:hidden" onClick={() => setMobileOpen(false)} />
      ) : null}
      {/* While the drawer is open the page behind it is out of reach (inert) and out of the accessibility tree. */}
      <div className="flex min-w-0 flex-1 flex-col" inert={mobileOpen} aria-hidden={mobileOpen || undefined}>
        {children}
      </div>
    </div>
  );
}
