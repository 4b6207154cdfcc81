"use client";

import { ChevronsUpDown, LogOut, Settings } from "lucide-react";
import Link from "next/link";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { signOutAction } from "@/app/(auth)/actions";

export interface AccountSummary {
  email: string | null;
  name: string | null;
  isGuest: boolean;
}

function initials(a: AccountSummary): string {
  if (a.isGuest) return "G";
  const source = a.name?.trim() || a.email || "?";
  return source.slice(0, 1).toUpperCase();
}

const itemClass =
  "flex w-full items-center gap-2.5 rounded-md px-2.5 py-2 text-left text-sm outline-none hover:bg-accent focus-visible:bg-accent";

/** The account button and its menu (menu button pattern: arrows move, Escape closes). */
export function AccountMenu({ account }: { account: AccountSummary }) {
  const [open, setOpen] = useState(false);
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

  function onMenuKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const items = Array.from(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === "Escape") {
      e.preventDefault();
      setOpen(false);
      buttonRef.current?.focus();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const step = e.key === "ArrowDown" ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    } else if (e.key === "Home" || e.key === "End") {
      e.preventDefault();
      items[e.key === "Home" ? 0 : items.length - 1]?.focus();
    } else if (e.key === "Tab") {
      setOpen(false);
    }
  }

  return (
    <div ref={rootRef} className="relative">
      {open ? (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label="Account"
          onKeyDown={onMenuKeyDown}
          className="absolute bottom-full left-0 right-0 z-50 mb-1.5 rounded-xl border border-border bg-background p-1.5 shadow-lg"
        >
          <p className="truncate px-2.5 pb-1.5 pt-1 text-xs text-muted-foreground" role="none">
            {account.isGuest ? "Guest session" : account.email}
          </p>
          <Link href="/settings" prefetch={false} role="menuitem" className={itemClass} onClick={() => setOpen(false)}>
            <Settings className="size-4 text-muted-foreground" aria-hidden />
            Settings
          </Link>
          <form action={signOutAction} role="none">
            <button type="submit" role="menuitem" className={itemClass}>
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
    </div>
  );
}
