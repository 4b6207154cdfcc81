"use client";

import { LoaderCircle } from "lucide-react";
import { useEffect, useRef } from "react";

/**
 * Infinite scroll: loads the next page when this sentinel comes within 300 px of view inside its
 * scrolling container. It is also a plain button, for keyboards and in case observing fails.
 */
export function LoadMore({ loading, onLoad }: { loading: boolean; onLoad: () => void }) {
  const ref = useRef<HTMLButtonElement>(null);
  const onLoadRef = useRef(onLoad);
  useEffect(() => {
    onLoadRef.current = onLoad;
  });
  useEffect(() => {
    const el = ref.current;
    if (!el || loading) return;
    let root: HTMLElement | null = el.parentElement;
    while (root && !/(auto|scroll)/.test(getComputedStyle(root).overflowY)) root = root.parentElement;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) onLoadRef.current();
      },
      { root, rootMargin: "300px 0px" },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [loading]);
  return (
    <button
      ref={ref}
      type="button"
      onClick={onLoad}
      disabled={loading}
      className="mx-2 mt-1 inline-flex items-center gap-2 self-start rounded-md px-2 py-1 text-xs text-muted-foreground hover:bg-accent hover:text-foreground"
    >
      {loading ? <LoaderCircle className="size-3.5 animate-spin" aria-hidden /> : null}
      {loading ? "Loading…" : "Load more"}
    </button>
  );
}
