"use client";

import { useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import type { ReplicaView, RouterSnapshot } from "@/lib/metrics/router-snapshot";
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
        <section key={name} aria-labelledby={`pool-${name}`} className="rounded-xl border border-border bg-background p-4">
          <h2 id={`pool-${name}`} className="text-lg font-semibold">
            {name} <span className="text-sm font-normal text-muted-foreground">model {pool.model}</span>
          </h2>
          <div className="mt-2 overflow-x-auto">
            <table className="w-full text-left text-sm tabular-nums">
              <caption className="sr-only">Replicas of {name}</caption>
              <thead className="text-muted-foreground">
                <tr>
                  {["Replica", "Seen by", "Health", "Load", "In flight", "Running", "Waiting", "KV cache", "Prefix-cache hits"].map((h) => (
                    <th key={h} scope="col" className="px-2 py-1.5 font-medium">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {pool.rows
                  .sort((a, b) => a.replica.url.localeCompare(b.replica.url) || Number(b.own) - Number(a.own))
                  .map(({ instance, own, at, replica: r }) => {
                    const h = health(r, at);
                    return (
                      <tr key={`${r.url}|${instance}`} className="border-t border-border" data-replica={r.url}>
                        <th scope="row" className="px-2 py-1.5 font-mono text-xs font-normal">
                          {r.url}
                        </th>
                        <td className="px-2 py-1.5 text-xs">{own ? `${instance} (this one)` : instance}</td>
                        <td className="px-2 py-1.5">
                          <span className={clsx("rounded-md px-2 py-0.5 text-xs font-semibold", STATUS_CLASS[h.tone])} data-health={h.tone}>
                            {h.label}
                          </span>
                        </td>
                        <td className="px-2 py-1.5">{r.load}</td>
                        <td className="px-2 py-1.5">{r.inFlight}</td>
                        <td className="px-2 py-1.5">{r.running}</td>
                        <td className="px-2 py-1.5">{r.waiting}</td>
                        <td className="px-2 py-1.5">{pct(r.kvCacheUsage)}</td>
                        <td className="px-2 py-1.5">{pct(r.prefixCacheHitRate)}</td>
                      </tr>
                    );
                  })}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </div>
  );
}
