// Number formatting shared by the admin console's tables and charts.

export function formatValue(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return "–";
  switch (unit) {
    case "ms":
      return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
    case "%":
      return value < 1 && value > 0 ? `${value.toFixed(3)}%` : `${value.toFixed(1)}%`;
    case "USD":
      return `$${value.toFixed(value < 1 ? 4 : 2)}`;
    case "tokens/s":
      return value.toFixed(1);
    default:
      return Math.round(value).toLocaleString("en-US");
  }
}

export const STATUS_LABEL = { ok: "Within target", warn: "Outside target", alert: "Alert", nodata: "No data" } as const;
export const STATUS_CLASS = {
  ok: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  warn: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  alert: "bg-danger-bg text-danger",
  nodata: "bg-accent text-muted-foreground",
} as const;
