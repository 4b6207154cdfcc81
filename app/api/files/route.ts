// POST /api/files – upload one file (multipart/form-data, field "file"); 201 with its metadata
// GET /api/files – what the caller may upload (tier limits, accepted types), shown before uploading
import { storedBytesByUserId } from "@/db/queries/files";
import { toFileObject } from "@/lib/files/file-object";
import { prewarmExtraction } from "@/lib/files/extract";
import { ingestUpload } from "@/lib/files/ingest";
import { ACCEPT_ATTRIBUTE, ACCEPTED_DESCRIPTION } from "@/lib/files/types";
import { userRoute } from "@/lib/http/route";
import { tierLimits } from "@/lib/limits/config";
import { catalogEncodings } from "@/lib/models/catalog";

export const POST = userRoute({ multipart: true, apiKey: true }, async ({ user, req }) => {
  const file = await ingestUpload(user, req);
  return Response.json(toFileObject(file), { status: 201 });
});

export const GET = userRoute({ apiKey: true }, async ({ user }) => {
  const limits = tierLimits(user.tier).files;
  // The composer asks for these as a chat opens: a good moment to get the extraction worker ready.
  prewarmExtraction(catalogEncodings());
  return Response.json({
    per_message: limits.perMessage,
    bytes_per_file: limits.bytesPerFile,
    total_bytes: limits.totalBytes,
    used_bytes: await storedBytesByUserId({ userId: user.id }),
    accepted: ACCEPTED_DESCRIPTION,
    accept: ACCEPT_ATTRIBUTE,
  });
});
