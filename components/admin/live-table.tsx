"use client";

import { useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import type { LiveOverview, LiveRow } from "@/lib/metrics/overview";
import { AdminSection } from "./admin-section";
import { type Column, DataTable } from "./data-table";
import { formatValue, STATUS_CLASS, STATUS_LABEL } from "./format";

const REFRESH_MS = 5_000;

async function fetchOverview(): Promise<LiveOverview> {
  const res = await fetch("/api/admin/overview", { credentials: "same-origin", cache: "no-store" });
  if (!res.ok) throw new Error(`overview: ${res.status}`);
  return (await res.json()) as LiveOverview;
}

const COLUMNS: Column<LiveRow>[] = [
  {
    header: "Metric",
    rowHeader: true,
    cell: (r) => (
      <>
        {r.label}
        {r.note ? <span className="block text-xs font-normal text-muted-foreground">{r.note}</span> : null}
      </>
    ),
  },
  { header: "Now", className: "font-semibold", cell: (r) => formatValue(r.value, r.unit) },
  { header: "Target", cell: (r) => r.target },
  { header: "Alert threshold", cell: (r) => r.alert },
  {
    header: "Status",
    cell: (r) => <span className={clsx("rounded-md px-2 py-0.5 text-xs font-semibold", STATUS_CLASS[r.status])}>{STATUS_LABEL[r.status]}</span>,
  },
];

/** The seed's §12 table, refreshed every few seconds: value now, target, alert threshold, coloured by judgement. */
export function LiveTable({ initial }: { initial: LiveOverview }) {
  const { data, isError } = useQuery({ queryKey: ["admin", "overview"], queryFn: fetchOverview, initialData: initial, refetchInterval: REFRESH_MS, staleTime: 0 });
  return (
    <AdminSection
      id="live-heading"
      title="Now"
      aside={
        <p className="text-sm text-muted-foreground" aria-live="polite">
          Last {data.windowMinutes} minutes · {data.requests.toLocaleString("en-US")} replies · updated{" "}
          <time dateTime={new Date(data.at).toISOString()}>{new Date(data.at).toLocaleTimeString("en-GB")}</time>
          {isError ? " · refresh failed" : ""}
        </p>
      }
    >
      <DataTable
        caption="Key metrics with targets and alert thresholds"
        columns={COLUMNS}
        rows={data.rows}
        rowKey={(r) => r.key}
        rowData={(r) => ({ "data-metric": r.key })}
      />
    </AdminSection>
  );
}
