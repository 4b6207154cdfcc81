import type { Metadata } from "next";
import { ChartsPanel } from "@/components/admin/charts-panel";
import { LiveTable } from "@/components/admin/live-table";
import { requireAdminUser } from "@/lib/auth/current-user";
import { liveOverview } from "@/lib/metrics/overview";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

// The seed's §12 dashboard: the metrics now (server-rendered, then refreshed every few seconds) and
// their history from the rollups. Non-admins get a 404.
export default async function AdminOverviewPage() {
  await requireAdminUser();
  const initial = await liveOverview();
  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight">Overview</h1>
      <LiveTable initial={initial} />
      <ChartsPanel />
    </>
  );
}
