// GET /api/admin/overview – the seed's §12 metrics now, with targets and alert thresholds (admins only; 404 otherwise)
import { userRoute } from "@/lib/http/route";
import { liveOverview } from "@/lib/metrics/overview";

export const dynamic = "force-dynamic";

export const GET = userRoute({ admin: true }, async () => Response.json(await liveOverview(), { headers: { "cache-control": "no-store" } }));
