// POST /api/chat – save the user's message and stream the assistant reply (AI SDK UI message stream)
import { userRoute } from "@/lib/http/route";
import { startReply } from "@/lib/gateway/start-reply";
import { uiMessageResponse } from "@/lib/gateway/ui-stream";
import { chatRequestSchema } from "./schema";

export const POST = userRoute({ body: chatRequestSchema }, async ({ user, body }) => {
  const { run, userMessageId } = await startReply(user, {
    conversationId: body.id,
    model: body.model,
    message: body.message,
    parentId: body.parentId,
    regenerateFrom: body.regenerateFrom,
  });
  return uiMessageResponse(run, userMessageId);
});
