import type { Metadata } from "next";
import { listExperimentVariantStats } from "@/db/queries/experiments";
import { requireAdminUser } from "@/lib/auth/current-user";
import { getCatalog } from "@/lib/models/catalog";
import { buildExperimentReports, type VariantReport } from "@/lib/routing/experiment-report";

export const metadata: Metadata = { title: "Experiments" };

const WINDOW_DAYS = 30;

const pct = (x: number | null) => (x === null ? "–" : `${(100 * x).toFixed(1)}%`);
const ms = (x: number | null) => (x === null ? "–" : `${Math.round(x)} ms`);

function significance(v: VariantReport, control: string): string {
  if (v.variant === control) return "control";
  if (!v.test) return "not enough votes";
  return `z = ${v.test.z.toFixed(2)}, p = ${v.test.p.toFixed(3)}${v.test.p < 0.05 ? " (significant)" : ""}`;
}

// A/B experiments (admins only; anyone else gets a 404): per variant over the last 30 days.
export default async function ExperimentsPage() {
  await requireAdminUser();
  const reports = buildExperimentReports(await listExperimentVariantStats({ days: WINDOW_DAYS }), getCatalog().experiments);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Experiments</h1>
      <p className="text-sm text-muted-foreground">
        Last {WINDOW_DAYS} days. Feedback rate = “Good response” votes ÷ all votes; each variant is compared with the control by a
        two-proportion z-test.
      </p>
      {reports.length === 0 ? <p>No experiments are configured and none have recorded replies.</p> : null}
      {reports.map((r) => (
        <section key={r.name} aria-labelledby={`exp-${r.name}`} className="rounded-xl border border-border bg-background p-4">
          <h2 id={`exp-${r.name}`} className="text-lg font-semibold">
            {r.name}
          </h2>
          <p className="mb-3 text-sm text-muted-foreground">
            {r.configured ? `Model ${r.model}, ${pct(r.share)} of eligible users` : "No longer configured"}
          </p>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm tabular-nums">
              <caption className="sr-only">Variants of {r.name}</caption>
              <thead className="text-muted-foreground">
                <tr>
                  {["Variant", "Requests", "TTFT p50", "TTFT p99", "Tokens per reply", "Cost", "Votes", "Feedback rate", "Regenerate rate", "Significance"].map(
                    (h) => (
                      <th key={h} scope="col" className="px-2 py-1.5 font-medium">
                        {h}
                      </th>
                    ),
                  )}
                </tr>
              </thead>
              <tbody>
                {r.variants.map((v) => (
                  <tr key={v.variant} className="border-t border-border">
                    <th scope="row" className="px-2 py-1.5 font-medium">
                      {v.variant}
                    </th>
                    <td className="px-2 py-1.5">{v.requests}</td>
                    <td className="px-2 py-1.5">{ms(v.ttftP50Ms)}</td>
                    <td className="px-2 py-1.5">{ms(v.ttftP99Ms)}</td>
                    <td className="px-2 py-1.5">{v.tokensPerReply === null ? "–" : v.tokensPerReply.toFixed(0)}</td>
                    <td className="px-2 py-1.5">${v.costUsd.toFixed(4)}</td>
                    <td className="px-2 py-1.5">
                      {v.good + v.bad} ({pct(v.voteRate)})
                    </td>
                    <td className="px-2 py-1.5">{pct(v.goodRate)}</td>
                    <td className="px-2 py-1.5">{pct(v.regenerateRate)}</td>
                    <td className="px-2 py-1.5">{significance(v, r.control)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </div>
  );
}
