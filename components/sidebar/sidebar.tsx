"use client";

import { PanelLeftClose, SquarePen, X } from "lucide-react";
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { ThemeToggle } from "@/components/theme-toggle";
import { IconButton } from "@/components/ui/icon-button";
import { LogoMark, PRODUCT_NAME } from "@/components/ui/logo";
import type { ConversationListPage } from "@/lib/query/conversations";
import { AccountMenu, type AccountSummary } from "./account-menu";
import { ConversationList } from "./conversation-list";
import type { Clock } from "./date-groups";
import { SearchBox } from "./search-box";
import { HIT_SELECTOR, SearchResults } from "./search-results";
import { useSidebar } from "./sidebar-context";
import { useClock } from "./use-clock";
import { useDebouncedValue } from "./use-debounced-value";
import { useNewChat } from "./use-new-chat";

const SEARCH_DEBOUNCE_MS = 150;

export function Sidebar({
  account,
  initialPage,
  clock: serverClock,
}: {
  account: AccountSummary;
  initialPage: ConversationListPage;
  clock: Clock;
}) {
  const { setMobileOpen, collapsed, toggleCollapsed } = useSidebar();
  const newChat = useNewChat();
  const clock = useClock(serverClock);
  const [search, setSearch] = useState("");
  const query = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const searching = search.trim().length > 0;
  const searchRef = useRef<HTMLInputElement>(null);
  const resultsRef = useRef<HTMLUListElement>(null);
  const closeDrawer = useCallback(() => setMobileOpen(false), [setMobileOpen]);
  const chooseResult = useCallback(() => {
    setSearch("");
    setMobileOpen(false);
  }, [setMobileOpen]);

  // Ctrl/Cmd+K from anywhere: bring the sidebar into view (drawer or folded) and focus the search.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.metaKey || e.ctrlKey) || e.altKey || e.shiftKey || e.key.toLowerCase() !== "k") return;
      e.preventDefault();
      if (matchMedia("(max-width: 767px)").matches) setMobileOpen(true);
      else if (collapsed) toggleCollapsed();
      // After React has shown the sidebar (and the drawer has moved its own focus).
      requestAnimationFrame(() => {
        searchRef.current?.focus();
        searchRef.current?.select();
      });
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [collapsed, toggleCollapsed, setMobileOpen]);

  return (
    <div className="flex h-full flex-col">
      <div className="flex h-14 items-center justify-between gap-2 px-3">
        <Link href="/" className="flex items-center gap-2 rounded-md px-1 py-1" onClick={closeDrawer}>
          <LogoMark className="size-7" />
          <span className="text-[15px] font-semibold tracking-tight">{PRODUCT_NAME}</span>
        </Link>
        <IconButton label="Close sidebar" className="md:hidden" onClick={closeDrawer}>
          <X className="size-5" aria-hidden />
        </IconButton>
        <IconButton label="Toggle sidebar" className="max-md:hidden" onClick={toggleCollapsed}>
          <PanelLeftClose className="size-5" aria-hidden />
        </IconButton>
      </div>
      <div className="space-y-1 px-2">
        <button
          type="button"
          onClick={newChat}
          className="flex w-full items-center gap-2.5 rounded-lg px-2 py-2 text-sm font-medium hover:bg-accent"
        >
          <SquarePen className="size-[18px]" aria-hidden />
          New chat
        </button>
        <SearchBox
          value={search}
          onChange={setSearch}
          inputRef={searchRef}
          onArrowDown={() => resultsRef.current?.querySelector<HTMLElement>(HIT_SELECTOR)?.focus()}
          onEnter={() => resultsRef.current?.querySelector<HTMLElement>(HIT_SELECTOR)?.click()}
        />
      </div>
      {searching ? (
        <SearchResults
          query={query}
          typing={query !== search.trim()}
          clock={clock}
          listRef={resultsRef}
          searchRef={searchRef}
          onChoose={chooseResult}
          onClear={() => setSearch("")}
        />
      ) : null}
      <ConversationList initialPage={initialPage} clock={serverClock} onNavigate={closeDrawer} hidden={searching} />
      <div className="border-t border-border p-2">
        {account.isGuest ? (
          <div className="mb-2 rounded-lg bg-accent/60 px-3 py-2.5 text-xs leading-relaxed text-muted-foreground">
            You&apos;re chatting as a guest.{" "}
            <Link href="/login" className="font-medium text-foreground underline underline-offset-2">
              Create an account
            </Link>{" "}
            to keep your chats.
          </div>
        ) : null}
        <div className="flex items-center gap-1">
          <div className="min-w-0 flex-1">
            <AccountMenu account={account} />
          </div>
          <ThemeToggle />
        </div>
      </div>
    </div>
  );
}
