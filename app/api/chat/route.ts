// POST /api/chat – save the user's message and stream the assistant reply (AI SDK UI message stream)
import { UI_STREAM_HEADERS, uiMessageEncoder } from "@/lib/gateway/encode-ui";
import { runTurn } from "@/lib/gateway/pipeline";
import { runSource } from "@/lib/gateway/relay";
import { replyResponse } from "@/lib/gateway/sse";
import { userRoute } from "@/lib/http/route";
import { chatRequestSchema } from "./schema";

export const POST = userRoute({ body: chatRequestSchema }, async ({ user, body }) => {
  const { run } = await runTurn(user, {
    kind: "conversation",
    conversationId: body.id,
    create: true,
    model: body.model,
    message: body.message,
    parentId: body.parentId,
    regenerateFrom: body.regenerateFrom,
  });
  return replyResponse(runSource(run), uiMessageEncoder(), UI_STREAM_HEADERS);
});
