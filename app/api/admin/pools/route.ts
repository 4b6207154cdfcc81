// GET /api/admin/pools – every app instance's live view of the pools and replicas (admins only; 404 otherwise)
import { userRoute } from "@/lib/http/route";
import { readRouterViews } from "@/lib/metrics/router-views";

export const dynamic = "force-dynamic";

export const GET = userRoute({ admin: true }, async () => Response.json({ views: await readRouterViews() }, { headers: { "cache-control": "no-store" } }));
