// GET /v1/search?q=… – full-text search over the caller's own conversations (titles and messages)
import { z } from "zod";
import { searchConversationsByUserId } from "@/db/queries/search";
import { errors } from "@/lib/errors";
import { userRoute } from "@/lib/http/route";

const querySchema = z.object({ q: z.string().max(200), limit: z.coerce.number().int().min(1).max(50).default(20) });

export const GET = userRoute({ apiKey: true }, async ({ req, user }) => {
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw errors.badRequest("q is required (at most 200 characters); limit is 1..50.", "invalid_request", "q");
  const hits = await searchConversationsByUserId({ userId: user.id, query: parsed.data.q, limit: parsed.data.limit });
  return Response.json({
    object: "list",
    data: hits.map((h) => ({
      conversation_id: h.conversationId,
      title: h.title,
      message_id: h.messageId,
      snippet_html: h.snippet,
      updated_at: h.updatedAt.toISOString(),
      rank: h.rank,
    })),
  });
});
