// GET /v1/conversations/export – download all of the caller's conversations with their message trees (JSON)
import { userRoute } from "@/lib/http/route";
import { exportStream } from "@/lib/transfer/export";

export const GET = userRoute({ apiKey: true }, async ({ user }) => {
  const date = new Date().toISOString().slice(0, 10);
  return new Response(exportStream(user.id), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="chatgate-export-${date}.json"`,
      "cache-control": "no-store",
    },
  });
});
