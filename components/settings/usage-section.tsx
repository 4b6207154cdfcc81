"use client";

import { useSyncExternalStore } from "react";
import type { LimitsOverview } from "@/lib/limits/usage-limits";
import type { UsageTotals } from "@/db/queries/usage";
import { SettingsSection } from "./settings-section";

const noop = () => () => {};
/** Times in the reader's clock once in the browser; UTC in the server render (no hydration mismatch). */
function useLocalTime(iso: string): string {
  return useSyncExternalStore(
    noop,
    () => new Date(iso).toLocaleString([], { weekday: "short", hour: "numeric", minute: "2-digit" }),
    () => `${new Date(iso).toISOString().slice(11, 16)} UTC`,
  );
}

function ResetTime({ iso }: { iso: string }) {
  return <time dateTime={iso}>{useLocalTime(iso)}</time>;
}

const n = (v: number) => v.toLocaleString("en-US");

/** The "Usage" section of /settings: this month's usage and what remains of each limit. */
export function UsageSection({ tier, period, totals, limits }: { tier: string; period: string; totals: UsageTotals; limits: LimitsOverview | null }) {
  return (
    <SettingsSection
      title="Usage"
      description={
        <>
          Plan: <span className="font-medium capitalize text-foreground">{tier}</span>
        </>
      }
    >
      <h3 className="mt-5 text-sm font-medium">{period}</h3>
      <dl className="mt-2 grid grid-cols-3 gap-3 text-sm">
        {[
          ["Replies", n(totals.replies)],
          ["Tokens", n(totals.promptTokens + totals.completionTokens)],
          ["Cost", `$${totals.costUsd.toFixed(2)}`],
        ].map(([label, value]) => (
          <div key={label} className="rounded-xl bg-subtle px-3 py-2 dark:bg-muted/50">
            <dt className="text-xs text-muted-foreground">{label}</dt>
            <dd className="mt-0.5 font-medium tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>

      <h3 className="mt-5 text-sm font-medium">Limits</h3>
      {!limits || limits.degraded ? <p className="mt-1 text-xs text-muted-foreground">Current counts are unavailable right now.</p> : null}
      {limits ? <LimitList limits={limits} /> : null}
    </SettingsSection>
  );
}

function LimitList({ limits }: { limits: LimitsOverview }) {
  return (
    <>
      <ul aria-label="Limits" className="mt-2 space-y-1.5 text-sm">
        {limits.models.map((m) => (
          <li key={m.id}>
            {m.label}: <span className="font-medium tabular-nums">{n(m.remaining)}</span> of {n(m.limit)} messages left per {m.window}
            {m.remaining < m.limit ? (
              <span className="text-muted-foreground">
                {" "}
                · resets <ResetTime iso={m.resetAt} />
              </span>
            ) : null}
          </li>
        ))}
        <li>
          Tokens today: <span className="font-medium tabular-nums">{n(limits.tokens.remaining)}</span> of {n(limits.tokens.limit)} left
          <span className="text-muted-foreground">
            {" "}
            · renews <ResetTime iso={limits.tokens.resetAt} />
          </span>
        </li>
        <li>API: {n(limits.apiRequestsPerMinute)} requests per minute</li>
        <li>Replies at once: {n(limits.concurrentStreams)}</li>
      </ul>
      {limits.fallbackModel ? (
        <p className="mt-3 text-xs text-muted-foreground">At a model’s limit, chat replies use {limits.fallbackModel} until it resets.</p>
      ) : null}
    </>
  );
}
