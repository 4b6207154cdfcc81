"use client";

import { useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import type { ReplicaView, RouterSnapshot } from "@/lib/metrics/router-snapshot";
import { AdminSection } from "./admin-section";
import { type Column, DataTable, type TableSort } from "./data-table";
import { STATUS_CLASS } from "./format";

const REFRESH_MS = 2_000;
/** A replica whose last scrape is older than this is shown as not answering, whatever its breaker says. */
const STALE_MS = 5_000;

async function fetchViews(): Promise<RouterSnapshot[]> {
  const res = await fetch("/api/admin/pools", { credentials: "same-origin", cache: "no-store" });
  if (!res.ok) throw new Error(`pools: ${res.status}`);
  return ((await res.json()) as { views: RouterSnapshot[] }).views;
}

function health(r: ReplicaView, at: number): { label: string; tone: keyof typeof STATUS_CLASS } {
  if (r.breaker === "open") return { label: "Down (ejected)", tone: "alert" };
  if (r.breaker === "half-open") return { label: "Recovering (on trial)", tone: "warn" };
  if (r.scrapedAt === null) return { label: "Not scraped yet", tone: "nodata" };
  if (at - r.scrapedAt > STALE_MS) return { label: "Not answering", tone: "warn" };
  return { label: "Healthy", tone: "ok" };
}

const pct = (x: number | null) => (x === null ? "–" : `${(100 * x).toFixed(0)}%`);

interface Row {
  instance: string;
  own: boolean;
  at: number;
  replica: ReplicaView;
}

const COLUMNS: Column<Row>[] = [
  { header: "Replica", rowHeader: true, className: "font-mono text-xs font-normal", cell: (row) => row.replica.url },
  { header: "Seen by", className: "text-xs", cell: (row) => (row.own ? `${row.instance} (this one)` : row.instance) },
  {
    header: "Health",
    cell: (row) => {
      const h = health(row.replica, row.at);
      return (
        <span className={clsx("rounded-md px-2 py-0.5 text-xs font-semibold", STATUS_CLASS[h.tone])} data-health={h.tone}>
          {h.label}
        </span>
      );
    },
  },
  { header: "Load", cell: (row) => row.replica.load },
  { header: "In flight", cell: (row) => row.replica.inFlight },
  { header: "Running", cell: (row) => row.replica.running },
  { header: "Waiting", cell: (row) => row.replica.waiting },
  { header: "KV cache", cell: (row) => pct(row.replica.kvCacheUsage) },
  { header: "Prefix-cache hits", cell: (row) => pct(row.replica.prefixCacheHitRate) },
];

/** By replica, and each replica as this instance sees it before the others' views. */
const BY_REPLICA: TableSort<Row> = {
  column: "Replica",
  direction: "ascending",
  compare: (a, b) => a.replica.url.localeCompare(b.replica.url) || Number(b.own) - Number(a.own),
};

/** One table per pool: each replica as each instance sees it. */
export function PoolsView({ initial }: { initial: RouterSnapshot[] }) {
  const { data, isError } = useQuery({ queryKey: ["admin", "pools"], queryFn: fetchViews, initialData: initial, refetchInterval: REFRESH_MS, staleTime: 0 });
  const pools = new Map<string, { model: string; rows: Row[] }>();
  data.forEach((view, i) => {
    for (const p of view.pools) {
      const entry = pools.get(p.pool) ?? { model: p.model, rows: [] };
      for (const replica of p.replicas) entry.rows.push({ instance: view.instance, own: i === 0, at: view.at, replica });
      pools.set(p.pool, entry);
    }
  });
  return (
    <div className="space-y-4">
      <p className="text-sm text-muted-foreground" aria-live="polite">
        {data.length} app instance{data.length === 1 ? "" : "s"} reporting{isError ? " · refresh failed" : ""}
      </p>
      {[...pools.entries()].map(([name, pool]) => (
        <AdminSection
          key={name}
          id={`pool-${name}`}
          title={
            <>
              {name} <span className="text-sm font-normal text-muted-foreground">model {pool.model}</span>
            </>
          }
        >
          <DataTable
            caption={`Replicas of ${name}`}
            columns={COLUMNS}
            rows={pool.rows}
            rowKey={(row) => `${row.replica.url}|${row.instance}`}
            rowData={(row) => ({ "data-replica": row.replica.url })}
            sort={BY_REPLICA}
          />
        </AdminSection>
      ))}
    </div>
  );
}
