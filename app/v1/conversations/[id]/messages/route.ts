// POST /v1/conversations/:id/messages – add a user message and stream the reply as chat.completion.chunk SSE
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getConversationById } from "@/db/queries/conversations";
import { errors } from "@/lib/errors";
import { openAiChunkResponse } from "@/lib/gateway/openai-stream";
import { startReply } from "@/lib/gateway/start-reply";
import { userRoute } from "@/lib/http/route";

const bodySchema = z
  .object({
    content: z.string().trim().min(1).max(100_000),
    role: z.literal("user").optional(),
    // Omitted: continue the active path; a message id: branch under it (an edit); null: a new first message.
    parent_id: z.uuid().nullable().optional(),
    model: z.string().min(1).max(100).optional(),
  })
  .strict();

export const POST = userRoute<{ id: string }, z.infer<typeof bodySchema>>({ body: bodySchema, apiKey: true }, async ({ user, params, body }) => {
  if (!z.uuid().safeParse(params.id).success) throw errors.notFound("conversation");
  // Unlike the browser's route, this API does not create conversations implicitly.
  const conversation = await getConversationById({ id: params.id, userId: user.id });
  if (!conversation) throw errors.notFound("conversation");
  const { run } = await startReply(user, {
    conversationId: conversation.id,
    model: body.model ?? conversation.model,
    message: { id: randomUUID(), text: body.content },
    parentId: body.parent_id,
  });
  return openAiChunkResponse(run, run.model);
});
