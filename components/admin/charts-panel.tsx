"use client";

import { useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import dynamic from "next/dynamic";
import { useState } from "react";
import type { Chart, ChartRange } from "@/lib/metrics/charts";
import { AdminSection } from "./admin-section";

// uPlot is a lazy chunk loaded after the page is up (see uplot-chart.tsx).
const UplotChart = dynamic(() => import("./uplot-chart"), { ssr: false, loading: () => <div className="h-[200px]" /> });

const RANGES: { range: ChartRange; label: string }[] = [
  { range: "hour", label: "Last hour" },
  { range: "day", label: "Last day" },
  { range: "month", label: "Last 30 days" },
];

async function fetchCharts(range: ChartRange): Promise<Chart[]> {
  const res = await fetch(`/api/admin/charts?range=${range}`, { credentials: "same-origin", cache: "no-store" });
  if (!res.ok) throw new Error(`charts: ${res.status}`);
  return ((await res.json()) as { charts: Chart[] }).charts;
}

const hasData = (c: Chart) => c.series.some((s) => s.values.some((v) => v !== null));

/** The history charts, from the rollups, over the chosen range (the last hour refreshed every 10 s). */
export function ChartsPanel() {
  const [range, setRange] = useState<ChartRange>("hour");
  const { data, isPending, isError } = useQuery({ queryKey: ["admin", "charts", range], queryFn: () => fetchCharts(range), refetchInterval: range === "hour" ? 10_000 : 60_000, staleTime: 0 });
  return (
    <AdminSection
      id="history-heading"
      title="History"
      plain
      aside={
        <div role="group" aria-label="Time range" className="flex gap-1">
          {RANGES.map((r) => (
            <button
              key={r.range}
              type="button"
              aria-pressed={r.range === range}
              onClick={() => setRange(r.range)}
              className={clsx(
                "rounded-lg px-3 py-1.5 text-sm font-medium",
                r.range === range ? "bg-foreground text-background" : "text-muted-foreground hover:bg-accent",
              )}
            >
              {r.label}
            </button>
          ))}
        </div>
      }
    >
      {isError ? <p role="alert">The charts could not be loaded.</p> : null}
      {isPending ? <p className="text-sm text-muted-foreground">Loading charts…</p> : null}
      <div className="grid gap-3 lg:grid-cols-2">
        {data?.map((c) => (
          <figure key={c.key} className="min-w-0 rounded-xl border border-border bg-background p-3" aria-label={c.title}>
            <figcaption className="mb-2 text-sm font-medium">
              {c.title} <span className="font-normal text-muted-foreground">({c.unit})</span>
            </figcaption>
            {hasData(c) ? <UplotChart chart={c} /> : <p className="py-8 text-center text-sm text-muted-foreground">No data in this range yet.</p>}
          </figure>
        ))}
      </div>
    </AdminSection>
  );
}
