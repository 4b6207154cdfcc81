"use client";

import { Moon, Sun } from "lucide-react";
import { useSyncExternalStore } from "react";
import { clsx } from "clsx";
import { applyTheme, THEME_STORAGE_KEY, type Theme } from "./theme";

// The <html> class is the source of truth (set by the inline script); observe it.
function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
  return () => observer.disconnect();
}
const current = (): Theme => (document.documentElement.classList.contains("dark") ? "dark" : "light");
const onServer = (): Theme | null => null;

export function ThemeToggle({ className }: { className?: string }) {
  const theme = useSyncExternalStore<Theme | null>(subscribe, current, onServer);
  const next: Theme = theme === "dark" ? "light" : "dark";
  return (
    <button
      type="button"
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      onClick={() => {
        applyTheme(next);
        try {
          localStorage.setItem(THEME_STORAGE_KEY, next);
        } catch {
          // private mode: the choice lasts for this page only
        }
      }}
      className={clsx(
        "inline-flex size-9 items-center justify-center rounded-lg text-muted-foreground hover:bg-accent hover:text-foreground",
        className,
      )}
    >
      {theme === "dark" ? <Sun className="size-[18px]" aria-hidden /> : <Moon className="size-[18px]" aria-hidden />}
    </button>
  );
}
