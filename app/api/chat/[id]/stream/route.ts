// GET /api/chat/:id/stream – attach to the conversation's reply from any instance: replay after
// Last-Event-ID (or ?after=), then tail; a finished reply comes from its log or its saved row
import { UI_STREAM_HEADERS, uiMessageEncoder } from "@/lib/gateway/encode-ui";
import { attachToReply, lastEventId } from "@/lib/gateway/relay";
import { replyResponse } from "@/lib/gateway/sse";
import { userRoute } from "@/lib/http/route";

export const GET = userRoute<{ id: string }>({}, async ({ req, user, params }) => {
  const after = lastEventId(req);
  const attached = await attachToReply({ conversationId: params.id, userId: user.id, after });
  if (!attached) return new Response(null, { status: 204 });
  return replyResponse(attached.source, uiMessageEncoder(), UI_STREAM_HEADERS);
});
