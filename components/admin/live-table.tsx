"use client";

import { useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import type { LiveOverview } from "@/lib/metrics/overview";
import { formatValue, STATUS_CLASS, STATUS_LABEL } from "./format";

const REFRESH_MS = 5_000;

async function fetchOverview(): Promise<LiveOverview> {
  const res = await fetch("/api/admin/overview", { credentials: "same-origin", cache: "no-store" });
  if (!res.ok) throw new Error(`overview: ${res.status}`);
  return (await res.json()) as LiveOverview;
}

/** The seed's §12 table, refreshed every few seconds: value now, target, alert threshold, coloured by judgement. */
export function LiveTable({ initial }: { initial: LiveOverview }) {
  const { data, isError } = useQuery({ queryKey: ["admin", "overview"], queryFn: fetchOverview, initialData: initial, refetchInterval: REFRESH_MS, staleTime: 0 });
  return (
    <section aria-labelledby="live-heading" className="rounded-xl border border-border bg-background p-4">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="live-heading" className="text-lg font-semibold">
          Now
        </h2>
        <p className="text-sm text-muted-foreground" aria-live="polite">
          Last {data.windowMinutes} minutes · {data.requests.toLocaleString("en-US")} replies · updated{" "}
          <time dateTime={new Date(data.at).toISOString()}>{new Date(data.at).toLocaleTimeString("en-GB")}</time>
          {isError ? " · refresh failed" : ""}
        </p>
      </div>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm tabular-nums">
          <caption className="sr-only">Key metrics with targets and alert thresholds</caption>
          <thead className="text-muted-foreground">
            <tr>
              {["Metric", "Now", "Target", "Alert threshold", "Status"].map((h) => (
                <th key={h} scope="col" className="px-2 py-1.5 font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => (
              <tr key={r.key} className="border-t border-border" data-metric={r.key}>
                <th scope="row" className="px-2 py-1.5 font-medium">
                  {r.label}
                  {r.note ? <span className="block text-xs font-normal text-muted-foreground">{r.note}</span> : null}
                </th>
                <td className="px-2 py-1.5 font-semibold">{formatValue(r.value, r.unit)}</td>
                <td className="px-2 py-1.5">{r.target}</td>
                <td className="px-2 py-1.5">{r.alert}</td>
                <td className="px-2 py-1.5">
                  <span className={clsx("rounded-md px-2 py-0.5 text-xs font-semibold", STATUS_CLASS[r.status])}>{STATUS_LABEL[r.status]}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
