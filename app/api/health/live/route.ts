// GET /api/health/live – liveness: the process is up and its event loop answers (no dependencies checked)
export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  return Response.json({ status: "ok", uptime_s: Math.round(process.uptime()) }, { headers: { "cache-control": "no-store" } });
}
