// GET|POST /v1/conversations – the caller's conversations, newest first, cursor-paginated / create one
import { z } from "zod";
import { createConversation, listConversationsByUserId } from "@/db/queries/conversations";
import { conversationJson } from "@/lib/api/conversation-json";
import { errors } from "@/lib/errors";
import { userRoute } from "@/lib/http/route";
import { getCatalog } from "@/lib/models/catalog";
import { resolveModel } from "@/lib/gateway/pipeline/admit";

const querySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  before: z.string().max(200).optional(),
  archived: z.enum(["true", "false"]).optional(),
});

const createSchema = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    model: z.string().min(1).max(100).optional(),
    system_prompt: z.string().max(10_000).optional(),
  })
  .strict();

export const GET = userRoute({ apiKey: true }, async ({ req, user }) => {
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw errors.badRequest(`${issue.path.join(".")}: ${issue.message}`, "invalid_request", String(issue.path[0] ?? ""));
  }
  const page = await listConversationsByUserId({
    userId: user.id,
    limit: parsed.data.limit,
    before: parsed.data.before,
    archived: parsed.data.archived === "true",
  });
  return Response.json({ object: "list", data: page.items.map(conversationJson), has_more: page.hasMore, next_cursor: page.nextCursor });
});

export const POST = userRoute({ body: createSchema, apiKey: true }, async ({ user, body }) => {
  const model = resolveModel(body.model ?? getCatalog().defaultModel, user);
  const conversation = await createConversation({
    userId: user.id,
    model: model.id,
    title: body.title ?? null,
    systemPrompt: body.system_prompt?.trim() || null,
  });
  return Response.json({ ...conversationJson(conversation), messages: [] }, { status: 201 });
});
