import type { Metadata } from "next";
import { listExperimentVariantStats } from "@/db/queries/experiments";
import { AdminSection } from "@/components/admin/admin-section";
import { type Column, DataTable } from "@/components/admin/data-table";
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

function variantColumns(control: string): Column<VariantReport>[] {
  return [
    { header: "Variant", rowHeader: true, cell: (v) => v.variant },
    { header: "Requests", cell: (v) => v.requests },
    { header: "TTFT p50", cell: (v) => ms(v.ttftP50Ms) },
    { header: "TTFT p99", cell: (v) => ms(v.ttftP99Ms) },
    { header: "Tokens per reply", cell: (v) => (v.tokensPerReply === null ? "–" : v.tokensPerReply.toFixed(0)) },
    { header: "Cost", cell: (v) => `$${v.costUsd.toFixed(4)}` },
    { header: "Votes", cell: (v) => `${v.good + v.bad} (${pct(v.voteRate)})` },
    { header: "Feedback rate", cell: (v) => pct(v.goodRate) },
    { header: "Regenerate rate", cell: (v) => pct(v.regenerateRate) },
    { header: "Significance", cell: (v) => significance(v, control) },
  ];
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
        <AdminSection
          key={r.name}
          id={`exp-${r.name}`}
          title={r.name}
          description={r.configured ? `Model ${r.model}, ${pct(r.share)} of eligible users` : "No longer configured"}
        >
          <DataTable
            caption={`Variants of ${r.name}`}
            columns={variantColumns(r.control)}
            rows={r.variants}
            rowKey={(v) => v.variant}
            empty="No variants have recorded replies."
          />
        </AdminSection>
      ))}
    </div>
  );
}
