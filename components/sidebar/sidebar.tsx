"use client";

import { PanelLeftClose, SquarePen, X } from "lucide-react";
import Link from "next/link";
import { ThemeToggle } from "@/components/theme-toggle";
import { IconButton } from "@/components/ui/icon-button";
import { LogoMark, PRODUCT_NAME } from "@/components/ui/logo";
import type { ConversationListPage } from "@/lib/query/conversations";
import { AccountMenu, type AccountSummary } from "./account-menu";
import { ConversationList } from "./conversation-list";
import { useSidebar } from "./sidebar-context";
import { useNewChat } from "./use-new-chat";

export function Sidebar({ account, initialPage }: { account: AccountSummary; initialPage: ConversationListPage }) {
  const { setMobileOpen, toggleCollapsed } = useSidebar();
  const newChat = useNewChat();

  return (
    <div className="flex h-full flex-col">
      <div className="flex h-14 items-center justify-between gap-2 px-3">
        <Link href="/" className="flex items-center gap-2 rounded-md px-1 py-1" onClick={() => setMobileOpen(false)}>
          <LogoMark className="size-7" />
          <span className="text-[15px] font-semibold tracking-tight">{PRODUCT_NAME}</span>
        </Link>
        <IconButton label="Close sidebar" className="md:hidden" onClick={() => setMobileOpen(false)}>
          <X className="size-5" aria-hidden />
        </IconButton>
        <IconButton label="Toggle sidebar" className="max-md:hidden" onClick={toggleCollapsed}>
          <PanelLeftClose className="size-5" aria-hidden />
        </IconButton>
      </div>
      <div className="px-2">
        <button
          type="button"
          onClick={newChat}
          className="flex w-full items-center gap-2.5 rounded-lg px-2 py-2 text-sm font-medium hover:bg-accent"
        >
          <SquarePen className="size-[18px]" aria-hidden />
          New chat
        </button>
      </div>
      <ConversationList initialPage={initialPage} onNavigate={() => setMobileOpen(false)} />
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
