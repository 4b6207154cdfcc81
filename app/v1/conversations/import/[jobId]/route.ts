// GET /v1/conversations/import/:jobId – progress of one of the caller's background imports
import { getImportJobById } from "@/db/queries/transfer";
import { errors } from "@/lib/errors";
import { userRoute } from "@/lib/http/route";
import { importJobJson } from "@/lib/transfer/import-job";

export const GET = userRoute<{ jobId: string }>({ apiKey: true }, async ({ user, params }) => {
  const job = await getImportJobById({ id: params.jobId, userId: user.id });
  if (!job) throw errors.notFound("import");
  return Response.json(importJobJson(job));
});
