"use client";

import { Archive, ChevronsUpDown, LogOut, Settings, ShieldCheck } from "lucide-react";
import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { signOutAction } from "@/app/(auth)/actions";
import { menuItemClass, onMenuKeyDown } from "@/components/ui/menu";
import { ArchivedChatsDialog } from "./archived-chats";

export interface AccountSummary {
  email: string | null;
  name: string | null;
  isGuest: boolean;
  /** Admins get an "Admin" item linking to /admin; the pages check the role themselves. */
  isAdmin?: boolean;
}

function initials(a: AccountSummary): string {
  if (a.isGuest) return "G";
  const source = a.name?.trim() || a.email || "?";
  return source.slice(0, 1).toUpperCase();
}

/** The account button and its menu (menu button pattern: arrows move, Escape closes). */
export function AccountMenu({ account }: { account: AccountSummary }) {
  const [open, setOpen] = useState(false);
  const [archivedOpen, setArchivedOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const label = account.isGuest ? "Guest" : account.name?.trim() || account.email || "Account";

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointer = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  function close(refocus: boolean) {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  }

  return (
    <div ref={rootRef} className="relative">
      {open ? (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label="Account"
          onKeyDown={(e) => onMenuKeyDown(e, close)}
          className="absolute bottom-full left-0 right-0 z-50 mb-1.5 rounded-xl border border-border bg-background p-1.5 shadow-lg"
        >
          <p className="truncate px-2.5 pb-1.5 pt-1 text-xs text-muted-foreground" role="none">
            {account.isGuest ? "Guest session" : account.email}
          </p>
          <button
            type="button"
            role="menuitem"
            className={menuItemClass}
            onClick={() => {
              // Focus goes back to the account button first, so the dialog returns it there.
              close(true);
              setArchivedOpen(true);
            }}
          >
            <Archive className="size-4 text-muted-foreground" aria-hidden />
            Archived chats
          </button>
          <Link href="/settings" prefetch={false} role="menuitem" className={menuItemClass} onClick={() => setOpen(false)}>
            <Settings className="size-4 text-muted-foreground" aria-hidden />
            Settings
          </Link>
          {account.isAdmin ? (
            <Link href="/admin" prefetch={false} role="menuitem" className={menuItemClass} onClick={() => setOpen(false)}>
              <ShieldCheck className="size-4 text-muted-foreground" aria-hidden />
              Admin
            </Link>
          ) : null}
          <form action={signOutAction} role="none">
            <button type="submit" role="menuitem" className={menuItemClass}>
              <LogOut className="size-4 text-muted-foreground" aria-hidden />
              Sign out
            </button>
          </form>
        </div>
      ) : null}
      <button
        ref={buttonRef}
        type="button"
        aria-label="Account"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === "ArrowUp" || e.key === "ArrowDown") {
            e.preventDefault();
            setOpen(true);
          }
        }}
        className="flex w-full items-center gap-2.5 rounded-lg px-2 py-2 text-left hover:bg-accent"
      >
        <span
          aria-hidden
          className="flex size-8 shrink-0 items-center justify-center rounded-full bg-primary text-xs font-semibold text-primary-foreground"
        >
          {initials(account)}
        </span>
        <span className="min-w-0 flex-1 truncate text-sm font-medium">{label}</span>
        <ChevronsUpDown className="size-4 shrink-0 text-muted-foreground" aria-hidden />
      </button>
      {archivedOpen ? <ArchivedChatsDialog onClose={() => setArchivedOpen(false)} /> : null}
    </div>
  );
}
