import type { Metadata } from "next";
import { PoolsView } from "@/components/admin/pools-view";
import { requireAdminUser } from "@/lib/auth/current-user";
import { readRouterViews } from "@/lib/metrics/router-views";

export const metadata: Metadata = { title: "Pools" };
export const dynamic = "force-dynamic";

// Every pool and replica as each app instance's router sees it (published to Redis when REDIS_URL is
// set), refreshed every two seconds. Non-admins get a 404.
export default async function AdminPoolsPage() {
  await requireAdminUser();
  const views = await readRouterViews();
  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight">Pools</h1>
      <PoolsView initial={views} />
    </>
  );
}
