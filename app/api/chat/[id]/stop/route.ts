// POST /api/chat/:id/stop – stop the reply being generated in this conversation, on whichever instance (aborts upstream)
import { stopReply } from "@/lib/gateway/stop";
import { userRoute } from "@/lib/http/route";

export const POST = userRoute<{ id: string }>({}, async ({ user, params }) => {
  await stopReply({ conversationId: params.id, userId: user.id });
  return new Response(null, { status: 204 });
});
