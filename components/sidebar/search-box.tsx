"use client";

import { Search, X } from "lucide-react";
import { useSyncExternalStore, type KeyboardEvent, type RefObject } from "react";

const noSubscribe = () => () => undefined;
const shortcutLabel = () => (/Mac|iPhone|iPad/.test(navigator.platform) ? "⌘K" : "Ctrl K");

/** The "Search chats" searchbox. Escape clears it; ArrowDown and Enter reach the results. */
export function SearchBox({
  value,
  onChange,
  inputRef,
  onArrowDown,
  onEnter,
}: {
  value: string;
  onChange: (value: string) => void;
  inputRef: RefObject<HTMLInputElement | null>;
  onArrowDown: () => void;
  onEnter: () => void;
}) {
  // Known only in the browser; the server renders no hint.
  const shortcut = useSyncExternalStore(noSubscribe, shortcutLabel, () => null);

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "Escape" && value) {
      e.preventDefault();
      // Clearing the search is all Escape does here; the drawer stays open.
      e.stopPropagation();
      onChange("");
    } else if (e.key === "ArrowDown" && value) {
      e.preventDefault();
      onArrowDown();
    } else if (e.key === "Enter" && value) {
      e.preventDefault();
      onEnter();
    }
  }

  return (
    <div className="relative">
      <Search
        className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-muted-foreground"
        aria-hidden
      />
      <input
        ref={inputRef}
        type="search"
        aria-label="Search chats"
        placeholder="Search chats"
        autoComplete="off"
        spellCheck={false}
        maxLength={200}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        className="peer h-9 w-full rounded-lg border border-transparent bg-accent/60 pl-8 pr-14 text-sm outline-none placeholder:text-muted-foreground focus:border-ring focus:bg-background focus:ring-2 focus:ring-ring/30 [&::-webkit-search-cancel-button]:appearance-none"
      />
      {value ? (
        <button
          type="button"
          aria-label="Clear search"
          title="Clear search"
          onClick={() => {
            onChange("");
            inputRef.current?.focus();
          }}
          className="absolute right-1.5 top-1/2 flex size-6 -translate-y-1/2 items-center justify-center rounded-md text-muted-foreground hover:bg-accent hover:text-foreground"
        >
          <X className="size-3.5" aria-hidden />
        </button>
      ) : shortcut ? (
        <kbd
          aria-hidden
          className="pointer-events-none absolute right-2 top-1/2 -translate-y-1/2 rounded border border-border bg-background px-1.5 py-px font-sans text-[11px] text-muted-foreground pointer-coarse:hidden peer-focus:hidden"
        >
          {shortcut}
        </kbd>
      ) : null}
    </div>
  );
}
