// POST /v1/conversations/import – import ChatGPT's conversations.json or our own export (all or nothing)
import { z } from "zod";
import { userRoute } from "@/lib/http/route";
import { importForUser } from "@/lib/transfer/import";

export const POST = userRoute({ body: z.unknown(), apiKey: true, maxBodyBytes: 50 * 1024 * 1024, tooLargeMessage: "Import files can be at most 50 MB." }, async ({ user, body }) => {
  const { source, ids } = await importForUser(user.id, body);
  return Response.json({ object: "import", source, imported: ids.length, conversation_ids: ids }, { status: 201 });
});
