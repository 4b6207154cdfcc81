"use client";

import { useEffect, useMemo, useSyncExternalStore } from "react";
import { calendarDay, safeTimeZone, TZ_COOKIE, type Clock } from "./date-groups";

function browserTimeZone(): string {
  return safeTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
}

// The snapshot is a string so that it stays equal (no re-render) until the day or zone changes.
function snapshot(): string {
  const tz = browserTimeZone();
  return `${tz}|${calendarDay(new Date(), tz)}`;
}

function subscribe(onChange: () => void): () => void {
  const timer = setInterval(onChange, 60_000);
  document.addEventListener("visibilitychange", onChange);
  return () => {
    clearInterval(timer);
    document.removeEventListener("visibilitychange", onChange);
  };
}

/**
 * The reader's clock for date sections. Hydration uses the server's (`initial`), then the browser's
 * own takes over; the time zone is kept in a cookie so the next server render uses it too.
 */
export function useClock(initial: Clock): Clock {
  const value = useSyncExternalStore(subscribe, snapshot, () => `${initial.timeZone}|${initial.today}`);
  const [timeZone, today] = value.split("|");
  useEffect(() => {
    const tz = browserTimeZone();
    if (tz !== initial.timeZone) {
      document.cookie = `${TZ_COOKIE}=${encodeURIComponent(tz)}; path=/; max-age=31536000; samesite=lax`;
    }
  }, [initial.timeZone]);
  return useMemo(() => ({ timeZone, today }), [timeZone, today]);
}
