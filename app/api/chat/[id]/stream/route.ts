// GET /api/chat/:id/stream – reattach to the reply still being generated in this conversation
import { userRoute } from "@/lib/http/route";
import { liveReplyFor } from "@/lib/gateway/live-replies";
import { uiMessageResponse } from "@/lib/gateway/ui-stream";

export const GET = userRoute<{ id: string }>({}, async ({ user, params }) => {
  const run = liveReplyFor(params.id);
  if (!run || run.userId !== user.id || run.done) return new Response(null, { status: 204 });
  return uiMessageResponse(run, run.userMessageId);
});
