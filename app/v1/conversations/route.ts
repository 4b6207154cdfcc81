// GET /v1/conversations – the caller's conversations, newest first, cursor-paginated
import { z } from "zod";
import { listConversationsByUserId } from "@/db/queries/conversations";
import { conversationJson } from "@/lib/api/conversation-json";
import { errors } from "@/lib/errors";
import { userRoute } from "@/lib/http/route";

const querySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  before: z.string().max(200).optional(),
});

export const GET = userRoute({}, async ({ req, user }) => {
  const url = new URL(req.url);
  const parsed = querySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw errors.badRequest("limit must be 1..100 and before a cursor from next_cursor.", "invalid_request", "limit");
  const page = await listConversationsByUserId({ userId: user.id, limit: parsed.data.limit, before: parsed.data.before });
  return Response.json({
    object: "list",
    data: page.items.map(conversationJson),
    has_more: page.hasMore,
    next_cursor: page.nextCursor,
  });
});
