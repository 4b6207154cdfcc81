// POST /v1/conversations/:id/messages – add a user message and stream the reply as chat.completion.chunk SSE
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getConversationById } from "@/db/queries/conversations";
import { errors } from "@/lib/errors";
import { contentPartSchema, conversationContent } from "@/lib/files/api-parts";
import { openAiChunkResponse } from "@/lib/gateway/openai-stream";
import { startReply } from "@/lib/gateway/start-reply";
import { userRoute } from "@/lib/http/route";

const bodySchema = z
  .object({
    // A string, or OpenAI content parts: text, image_url (data URL), file (file_data or an upload's file_id).
    content: z.union([z.string().trim().min(1).max(100_000), z.array(contentPartSchema).min(1).max(100)]),
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
  // Image and file parts become the caller's uploads, attached to the message (lib/files).
  const { text, attachments } = typeof body.content === "string" ? { text: body.content, attachments: [] } : await conversationContent(user, body.content);
  const { run } = await startReply(user, {
    conversationId: conversation.id,
    model: body.model ?? conversation.model,
    message: { id: randomUUID(), text, attachments },
    parentId: body.parent_id,
  });
  return openAiChunkResponse(run, run.model);
});
