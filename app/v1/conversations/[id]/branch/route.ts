// POST /v1/conversations/:id/branch – fork the path up to from_message_id into a new conversation
import { z } from "zod";
import { branchConversation, getActivePathWithSiblings } from "@/db/queries/branches";
import { conversationJson, pathMessageJson } from "@/lib/api/conversation-json";
import { errors } from "@/lib/errors";
import { userRoute } from "@/lib/http/route";

const bodySchema = z.object({ from_message_id: z.uuid() }).strict();

export const POST = userRoute<{ id: string }, z.infer<typeof bodySchema>>({ body: bodySchema, apiKey: true }, async ({ user, params, body }) => {
  const fork = await branchConversation({ conversationId: params.id, userId: user.id, fromMessageId: body.from_message_id });
  if (!fork) throw errors.notFound("conversation");
  const messages = await getActivePathWithSiblings({ conversationId: fork.id, userId: user.id });
  return Response.json(
    { ...conversationJson(fork), parent_id: fork.parentId, branch_point: fork.branchPoint, messages: messages.map(pathMessageJson) },
    { status: 201 },
  );
});
