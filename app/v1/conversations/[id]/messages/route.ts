// POST /v1/conversations/:id/messages – add a user message and stream the reply as chat.completion.chunk SSE
// GET  /v1/conversations/:id/messages – attach to the conversation's reply (Last-Event-ID or ?after=), same chunks
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getConversationById } from "@/db/queries/conversations";
import { errors } from "@/lib/errors";
import { contentPartSchema, conversationContent } from "@/lib/files/api-parts";
import { openAiChunkEncoder } from "@/lib/gateway/encode-openai";
import { runTurn } from "@/lib/gateway/pipeline";
import { attachToReply, lastEventId, runSource } from "@/lib/gateway/relay";
import { replyResponse, SSE_HEADERS } from "@/lib/gateway/sse";
import { userRoute } from "@/lib/http/route";

const EMPTY = "Send text, an attachment (an image_url or file part), or both.";

const bodySchema = z
  .object({
    // A string, or OpenAI content parts: text, image_url (data URL), file (file_data or an upload's file_id).
    // Attachments alone are a message too; a message with neither text nor an attachment is not.
    content: z.union(
      [
        z.string().trim().min(1, EMPTY).max(100_000),
        z
          .array(contentPartSchema)
          .min(1, EMPTY)
          .max(100)
          .refine((parts) => parts.some((p) => p.type !== "text" || p.text.trim() !== ""), EMPTY),
      ],
      {
        error: (issue) =>
          issue.input === undefined
            ? `content is required. ${EMPTY}`
            : typeof issue.input !== "string" && !Array.isArray(issue.input)
              ? `content must be a string or an array of content parts. ${EMPTY}`
              : undefined, // a bad part: zod's own message names it
      },
    ),
    role: z.literal("user").optional(),
    // Omitted: continue the active path; a message id: branch under it (an edit); null: a new first message.
    parent_id: z.uuid().nullable().optional(),
    model: z.string().min(1).max(100).optional(),
  })
  .strict();

export const POST = userRoute<{ id: string }, z.infer<typeof bodySchema>>({ body: bodySchema, apiKey: true }, async ({ user, params, body }) => {
  // Image and file parts become the caller's uploads, attached to the message (lib/files); only for a
  // conversation of theirs, so a wrong id leaves no stray uploads behind.
  let text = typeof body.content === "string" ? body.content : "";
  let attachments: Awaited<ReturnType<typeof conversationContent>>["attachments"] = [];
  if (typeof body.content !== "string") {
    if (!z.uuid().safeParse(params.id).success || !(await getConversationById({ id: params.id, userId: user.id }))) {
      throw errors.notFound("conversation");
    }
    ({ text, attachments } = await conversationContent(user, body.content));
    // Only whitespace beside the attachments: no typed text (the model gets the files alone).
    if (!text.trim()) text = "";
  }
  // Unlike the browser's route, this API does not create conversations implicitly (create: false → 404).
  const { run } = await runTurn(user, {
    kind: "conversation",
    conversationId: params.id,
    create: false,
    model: body.model,
    message: { id: randomUUID(), text, attachments },
    parentId: body.parent_id,
  });
  return replyResponse(runSource(run), openAiChunkEncoder({ id: run.id, createdAt: run.startedAt, model: run.model }), SSE_HEADERS);
});

export const GET = userRoute<{ id: string }>({ apiKey: true }, async ({ req, user, params }) => {
  const after = lastEventId(req);
  const attached = await attachToReply({ conversationId: params.id, userId: user.id, after });
  if (!attached) return new Response(null, { status: 204 });
  const { reply } = attached;
  return replyResponse(attached.source, openAiChunkEncoder({ id: reply.id, createdAt: reply.createdAt.getTime(), model: reply.model ?? "" }), SSE_HEADERS);
});
