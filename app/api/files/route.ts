// POST /api/files – upload one file (multipart/form-data, field "file"); 201 with its metadata
import { userRoute } from "@/lib/http/route";
import { ingestUpload } from "@/lib/files/ingest";
import { toFileObject } from "@/lib/files/file-object";

export const POST = userRoute({ multipart: true, apiKey: true }, async ({ user, req }) => {
  const file = await ingestUpload(user, req);
  return Response.json(toFileObject(file), { status: 201 });
});
