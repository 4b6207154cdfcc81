// GET /v1/conversations/:id – one conversation of the caller's, with its active path of messages
import { z } from "zod";
import { getConversationById } from "@/db/queries/conversations";
import { getActivePath } from "@/db/queries/messages";
import { conversationJson, messageJson } from "@/lib/api/conversation-json";
import { errors } from "@/lib/errors";
import { userRoute } from "@/lib/http/route";

export const GET = userRoute<{ id: string }>({}, async ({ user, params }) => {
  if (!z.uuid().safeParse(params.id).success) throw errors.notFound("conversation");
  const conversation = await getConversationById({ id: params.id, userId: user.id });
  if (!conversation) throw errors.notFound("conversation");
  const path = await getActivePath({ conversationId: conversation.id, userId: user.id });
  return Response.json({ ...conversationJson(conversation), messages: path.map(messageJson) });
});
