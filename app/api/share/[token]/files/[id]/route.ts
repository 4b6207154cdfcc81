// GET /api/share/:token/files/:id – a file of a shared snapshot, for anyone with the link (read-only)
import { getSharedFile } from "@/db/queries/files";
import { errors, toAppError } from "@/lib/errors";
import { fileResponse } from "@/lib/files/serve";

// No userRoute: the share token is the capability (as for the share page), and only files attached
// to a message on the snapshot's path are reachable through it.
export async function GET(_req: Request, ctx: { params: Promise<{ token: string; id: string }> }): Promise<Response> {
  try {
    const { token, id } = await ctx.params;
    const file = await getSharedFile({ token, fileId: id });
    if (!file) throw errors.notFound("file");
    return await fileResponse(file, { cache: "shared" });
  } catch (err) {
    return toAppError(err).toResponse();
  }
}
