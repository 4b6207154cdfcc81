// POST /v1/conversations/:id/switch – show another version: the active path becomes the newest branch below message_id
import { z } from "zod";
import { switchToBranch } from "@/db/queries/branches";
import { pathMessageJson } from "@/lib/api/conversation-json";
import { errors } from "@/lib/errors";
import { userRoute } from "@/lib/http/route";

const bodySchema = z.object({ message_id: z.uuid() }).strict();

export const POST = userRoute<{ id: string }, z.infer<typeof bodySchema>>({ body: bodySchema, apiKey: true }, async ({ user, params, body }) => {
  const path = await switchToBranch({ conversationId: params.id, userId: user.id, messageId: body.message_id });
  // Another user's conversation, or a message that is not in this one: the same 404.
  if (!path) throw errors.notFound("message");
  return Response.json({
    id: params.id,
    object: "conversation.path",
    current_message_id: path.at(-1)?.id ?? null,
    messages: path.map(pathMessageJson),
  });
});
