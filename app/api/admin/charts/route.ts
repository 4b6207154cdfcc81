// GET /api/admin/charts?range=hour|day|month – the Overview's chart series from the rollups (admins only; 404 otherwise)
import { z } from "zod";
import { errors } from "@/lib/errors";
import { userRoute } from "@/lib/http/route";
import { buildCharts, CHART_RANGES } from "@/lib/metrics/charts";

export const dynamic = "force-dynamic";

const rangeSchema = z.enum(CHART_RANGES).default("hour");

export const GET = userRoute({ admin: true }, async ({ req }) => {
  const parsed = rangeSchema.safeParse(new URL(req.url).searchParams.get("range") ?? undefined);
  if (!parsed.success) throw errors.badRequest(`range: one of ${CHART_RANGES.join(", ")}`, "invalid_request", "range");
  return Response.json({ range: parsed.data, charts: await buildCharts(parsed.data) }, { headers: { "cache-control": "no-store" } });
});
