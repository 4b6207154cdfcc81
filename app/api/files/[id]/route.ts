// GET /api/files/:id – the caller's file (images inline, others as a download) · DELETE – remove it
import { getFileById } from "@/db/queries/files";
import { errors } from "@/lib/errors";
import { deleteFile } from "@/lib/files/remove";
import { fileResponse } from "@/lib/files/serve";
import { userRoute } from "@/lib/http/route";

export const GET = userRoute<{ id: string }>({ apiKey: true }, async ({ user, params }) => {
  const file = await getFileById({ id: params.id, userId: user.id });
  if (!file) throw errors.notFound("file");
  return fileResponse(file, { cache: "private" });
});

export const DELETE = userRoute<{ id: string }>({ apiKey: true }, async ({ user, params }) => {
  if (!(await deleteFile({ id: params.id, userId: user.id }))) throw errors.notFound("file");
  return new Response(null, { status: 204 });
});
