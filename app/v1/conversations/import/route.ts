// POST /v1/conversations/import – import ChatGPT's conversations.json or our own export (all or nothing)
import { z } from "zod";
import { errors } from "@/lib/errors";
import { userRoute } from "@/lib/http/route";
import { importForUser } from "@/lib/transfer/import";

const MAX_BYTES = 50 * 1024 * 1024;

export const POST = userRoute({ body: z.unknown() }, async ({ req, user, body }) => {
  if (Number(req.headers.get("content-length") ?? 0) > MAX_BYTES) throw errors.tooLarge("Import files can be at most 50 MB.", "import_too_large");
  const { source, ids } = await importForUser(user.id, body);
  return Response.json({ object: "import", source, imported: ids.length, conversation_ids: ids }, { status: 201 });
});
