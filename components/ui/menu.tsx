"use client";

import { clsx } from "clsx";
import {
  createContext,
  useContext,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from "react";
import { createPortal } from "react-dom";

const ITEM_SELECTOR = '[role="menuitem"]';

/**
 * Keyboard handling inside a menu (APG menu button pattern): arrows move and wrap, Home/End jump,
 * Escape closes and gives focus back to the button, Tab closes. Enter and Space are the items' own.
 */
export function onMenuKeyDown(e: KeyboardEvent<HTMLElement>, close: (refocus: boolean) => void): void {
  const items = Array.from(e.currentTarget.querySelectorAll<HTMLElement>(ITEM_SELECTOR));
  const index = items.indexOf(document.activeElement as HTMLElement);
  if (e.key === "Escape") {
    e.preventDefault();
    // Escape belongs to the menu, not to the drawer or dialog around it.
    e.stopPropagation();
    close(true);
  } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
    e.preventDefault();
    const step = e.key === "ArrowDown" ? 1 : -1;
    const from = index < 0 && step < 0 ? 0 : index;
    items[(from + step + items.length) % items.length]?.focus();
  } else if (e.key === "Home" || e.key === "End") {
    e.preventDefault();
    items[e.key === "Home" ? 0 : items.length - 1]?.focus();
  } else if (e.key === "Tab") {
    e.preventDefault();
    close(true);
  }
}

export const menuItemClass =
  "flex w-full items-center gap-2.5 rounded-md px-2.5 py-2 text-left text-sm outline-none hover:bg-accent focus-visible:bg-accent";

const MenuContext = createContext<(refocus: boolean) => void>(() => undefined);

const GAP = 4;
const EDGE = 8;

/**
 * A button that opens a dropdown menu. The menu is portalled to <body> with fixed coordinates, so
 * a scrolling list or a transformed drawer around the button can neither clip nor displace it; it
 * closes on outside press, scroll and resize.
 */
export function DropdownMenu({
  label,
  icon,
  buttonClassName,
  menuClassName,
  children,
}: {
  /** The button's accessible name (and the menu's). */
  label: string;
  icon: ReactNode;
  buttonClassName?: string;
  menuClassName?: string;
  /** MenuItem elements. */
  children: ReactNode;
}) {
  const [open, setOpen] = useState<false | "first" | "last">(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  function close(refocus: boolean) {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  }

  // Place the menu below the button, right-aligned, or above it when there is no room below.
  useLayoutEffect(() => {
    const menu = menuRef.current;
    const button = buttonRef.current;
    if (!open || !menu || !button) return;
    const b = button.getBoundingClientRect();
    const m = menu.getBoundingClientRect();
    const below = b.bottom + GAP;
    const top = below + m.height > window.innerHeight - EDGE ? Math.max(EDGE, b.top - GAP - m.height) : below;
    const left = Math.min(Math.max(EDGE, b.right - m.width), window.innerWidth - m.width - EDGE);
    menu.style.top = `${top}px`;
    menu.style.left = `${left}px`;
    menu.style.visibility = "visible";
    const items = menu.querySelectorAll<HTMLElement>(ITEM_SELECTOR);
    (open === "last" ? items[items.length - 1] : items[0])?.focus();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    const onScroll = (e: Event) => {
      if (!menuRef.current?.contains(e.target as Node)) setOpen(false);
    };
    const onResize = () => setOpen(false);
    document.addEventListener("pointerdown", onPointer);
    window.addEventListener("scroll", onScroll, true);
    window.addEventListener("resize", onResize);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      window.removeEventListener("scroll", onScroll, true);
      window.removeEventListener("resize", onResize);
    };
  }, [open]);

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={Boolean(open)}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((o) => (o ? false : "first"))}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" || e.key === "ArrowUp") {
            e.preventDefault();
            setOpen(e.key === "ArrowDown" ? "first" : "last");
          }
        }}
        className={buttonClassName}
      >
        {icon}
      </button>
      {open
        ? createPortal(
            <div
              ref={menuRef}
              id={menuId}
              role="menu"
              aria-label={label}
              onKeyDown={(e) => onMenuKeyDown(e, close)}
              style={{ position: "fixed", top: 0, left: 0, visibility: "hidden" }}
              className={clsx(
                "z-50 min-w-44 rounded-xl border border-border bg-background p-1.5 text-foreground shadow-lg",
                menuClassName,
              )}
            >
              <MenuContext.Provider value={close}>{children}</MenuContext.Provider>
            </div>,
            document.body,
          )
        : null}
    </>
  );
}

/**
 * One item. Choosing it closes the menu and gives focus back to the button before `onSelect` runs,
 * so a dialog opened by it returns focus there. A `disabled` item stays focusable (as APG advises)
 * but does nothing; its `hint` is shown as a tooltip and is its description.
 */
export function MenuItem({
  icon,
  children,
  onSelect,
  disabled = false,
  hint,
  tone = "default",
}: {
  icon?: ReactNode;
  children: ReactNode;
  onSelect?: () => void;
  disabled?: boolean;
  hint?: string;
  tone?: "default" | "danger";
}) {
  const close = useContext(MenuContext);
  const hintId = useId();
  return (
    <div className="group/item relative" role="none">
      <button
        type="button"
        role="menuitem"
        tabIndex={-1}
        aria-disabled={disabled || undefined}
        aria-describedby={hint ? hintId : undefined}
        onClick={() => {
          if (disabled) return;
          close(true);
          onSelect?.();
        }}
        className={clsx(
          menuItemClass,
          disabled && "cursor-not-allowed text-muted-foreground opacity-60 hover:bg-transparent",
          !disabled && tone === "danger" && "text-danger",
        )}
      >
        {icon}
        {children}
      </button>
      {hint ? (
        <>
          {/* A tooltip beside the menu where there is room; on phones the hint is in the item itself. */}
          <span
            id={hintId}
            role="tooltip"
            className="pointer-events-none invisible absolute left-full top-1/2 z-10 ml-2 -translate-y-1/2 whitespace-nowrap rounded-md bg-primary px-2 py-1 text-xs font-medium text-primary-foreground opacity-0 shadow-md transition-opacity group-focus-within/item:visible group-focus-within/item:opacity-100 group-hover/item:visible group-hover/item:opacity-100 max-sm:hidden"
          >
            {hint}
          </span>
          <span aria-hidden className="pointer-events-none absolute right-2.5 top-1/2 -translate-y-1/2 text-[11px] text-muted-foreground sm:hidden">
            Soon
          </span>
        </>
      ) : null}
    </div>
  );
}
