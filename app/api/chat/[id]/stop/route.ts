// POST /api/chat/:id/stop – stop the reply being generated in this conversation (aborts upstream)
import { userRoute } from "@/lib/http/route";
import { liveReplyFor } from "@/lib/gateway/live-replies";

export const POST = userRoute<{ id: string }>({}, async ({ user, params }) => {
  const run = liveReplyFor(params.id);
  // Someone else's conversation looks exactly like one with nothing running.
  if (run && run.userId === user.id) run.stop();
  return new Response(null, { status: 204 });
});
