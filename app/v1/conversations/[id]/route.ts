// GET|PATCH|DELETE /v1/conversations/:id – one of the caller's conversations (active path, or ?tree=1 all
// branches) / change its settings / delete it with its messages
import { z } from "zod";
import { deleteConversationById, getConversationById, updateConversation } from "@/db/queries/conversations";
import { getActivePathWithSiblings } from "@/db/queries/branches";
import { listMessagesByConversationId } from "@/db/queries/messages";
import { conversationJson, messageJson, pathMessageJson } from "@/lib/api/conversation-json";
import { errors } from "@/lib/errors";
import { deleteConversationFiles } from "@/lib/files/remove";
import { userRoute } from "@/lib/http/route";
import { findModel } from "@/lib/models/catalog";

const idSchema = z.uuid();

const patchSchema = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    system_prompt: z.string().max(10_000).nullable().optional(),
    model: z.string().min(1).max(100).optional(),
    archived: z.boolean().optional(),
  })
  .strict();

export const GET = userRoute<{ id: string }>({ apiKey: true }, async ({ req, user, params }) => {
  if (!idSchema.safeParse(params.id).success) throw errors.notFound("conversation");
  const conversation = await getConversationById({ id: params.id, userId: user.id });
  if (!conversation) throw errors.notFound("conversation");
  const tree = new URL(req.url).searchParams.get("tree") === "1";
  const messages = tree
    ? (await listMessagesByConversationId({ conversationId: conversation.id, userId: user.id })).map(messageJson)
    : (await getActivePathWithSiblings({ conversationId: conversation.id, userId: user.id })).map(pathMessageJson);
  return Response.json({ ...conversationJson(conversation), messages });
});

export const DELETE = userRoute<{ id: string }>({ apiKey: true }, async ({ user, params }) => {
  // Its files' rows and stored objects first (a conversation that is not the caller's has none of theirs).
  if (idSchema.safeParse(params.id).success) await deleteConversationFiles({ conversationId: params.id, userId: user.id });
  if (!idSchema.safeParse(params.id).success || !(await deleteConversationById({ id: params.id, userId: user.id }))) {
    throw errors.notFound("conversation");
  }
  return Response.json({ id: params.id, object: "conversation.deleted", deleted: true });
});

export const PATCH = userRoute<{ id: string }, z.infer<typeof patchSchema>>({ body: patchSchema, apiKey: true }, async ({ user, params, body }) => {
  if (!idSchema.safeParse(params.id).success) throw errors.notFound("conversation");
  if (body.model !== undefined) {
    const model = findModel(body.model);
    if (!model || !model.tiers.includes(user.tier)) throw errors.badRequest(`The model "${body.model}" is not available.`, "model_not_found", "model");
  }
  const updated = await updateConversation({
    id: params.id,
    userId: user.id,
    patch: {
      title: body.title,
      systemPrompt: body.system_prompt === undefined ? undefined : body.system_prompt?.trim() || null,
      model: body.model,
      isArchived: body.archived,
    },
  });
  if (!updated) throw errors.notFound("conversation");
  return Response.json(conversationJson(updated));
});
