// ChatGPT's history sections (Today, Yesterday, Previous 7 days, Previous 30 days, then months),
// counted in calendar days of the reader's time zone. The server renders with the time zone the
// browser reported in the `tz` cookie (UTC before it has), so the first paint already matches.

export const TZ_COOKIE = "tz";

/** The reader's time zone and today's date there ("2026-10-14"). */
export interface Clock {
  timeZone: string;
  today: string;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let f = dayFormats.get(timeZone);
  if (!f) {
    // en-CA formats as YYYY-MM-DD.
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormats.set(timeZone, f);
  }
  return f;
}

/** A valid IANA time zone, or UTC. */
export function safeTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return "UTC";
  try {
    dayFormat(timeZone);
    return timeZone;
  } catch {
    return "UTC";
  }
}

/** The calendar date of `date` in `timeZone`, as "YYYY-MM-DD". */
export function calendarDay(date: Date, timeZone: string): string {
  const parts = dayFormat(timeZone).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "01";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

export function clockAt(now: Date, timeZone: string): Clock {
  const tz = safeTimeZone(timeZone);
  return { timeZone: tz, today: calendarDay(now, tz) };
}

function dayNumber(day: string): number {
  const [y, m, d] = day.split("-").map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / 86_400_000);
}

/** Whole calendar days from `iso` to today (0 = today; never negative, so clock skew reads as today). */
export function daysAgo(iso: string, clock: Clock): number {
  return Math.max(0, dayNumber(clock.today) - dayNumber(calendarDay(new Date(iso), clock.timeZone)));
}

const monthFormat = new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" });

export function groupLabel(iso: string, clock: Clock): string {
  const days = daysAgo(iso, clock);
  if (days === 0) return "Today";
  if (days === 1) return "Yesterday";
  if (days <= 7) return "Previous 7 days";
  if (days <= 30) return "Previous 30 days";
  const [y, m] = calendarDay(new Date(iso), clock.timeZone).split("-").map(Number);
  return monthFormat.format(new Date(Date.UTC(y, m - 1, 1)));
}

/** Consecutive sections of a list sorted newest first. */
export function groupByDate<T extends { updated_at: string }>(items: readonly T[], clock: Clock): { label: string; items: T[] }[] {
  const groups: { label: string; items: T[] }[] = [];
  for (const item of items) {
    const label = groupLabel(item.updated_at, clock);
    const last = groups.at(-1);
    if (last?.label === label) last.items.push(item);
    else groups.push({ label, items: [item] });
  }
  return groups;
}

const shortDate = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const longDate = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });

/** A short date for a list row: "Today", "Yesterday", "3 days ago", "Oct 12", "Oct 12, 2024". */
export function relativeDay(iso: string, clock: Clock): string {
  const days = daysAgo(iso, clock);
  if (days === 0) return "Today";
  if (days === 1) return "Yesterday";
  if (days < 7) return `${days} days ago`;
  const day = calendarDay(new Date(iso), clock.timeZone);
  const [y, m, d] = day.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return day.slice(0, 4) === clock.today.slice(0, 4) ? shortDate.format(date) : longDate.format(date);
}
