// GET|POST|DELETE /v1/conversations/:id/share – the chat's share link / share the active path now (same link) / revoke it
import { getConversationById } from "@/db/queries/conversations";
import { getShareByConversationId, revokeShare, shareConversation, type ShareState } from "@/db/queries/shares";
import { errors } from "@/lib/errors";
import { userRoute } from "@/lib/http/route";
import { shareUrl } from "@/lib/share/share-url";

function shareJson(req: Request, id: string, s: ShareState) {
  return {
    object: "conversation.share",
    conversation_id: id,
    share_url: s.token ? shareUrl(req, s.token) : null,
    shared_message_id: s.token ? s.messageId : null,
    // False when messages were added or another version chosen since: "Update link" moves the snapshot.
    up_to_date: Boolean(s.token) && s.messageId === s.currentMessageId,
  };
}

export const GET = userRoute<{ id: string }>({ apiKey: true }, async ({ req, user, params }) => {
  const share = await getShareByConversationId({ conversationId: params.id, userId: user.id });
  if (!share) throw errors.notFound("conversation");
  return Response.json(shareJson(req, params.id, share));
});

export const POST = userRoute<{ id: string }>({ apiKey: true }, async ({ req, user, params }) => {
  const share = await shareConversation({ conversationId: params.id, userId: user.id });
  if (!share) {
    if (await getConversationById({ id: params.id, userId: user.id })) {
      throw errors.badRequest("This chat has no messages to share yet.", "empty_conversation");
    }
    throw errors.notFound("conversation");
  }
  return Response.json(shareJson(req, params.id, share));
});

export const DELETE = userRoute<{ id: string }>({ apiKey: true }, async ({ req, user, params }) => {
  if (!(await revokeShare({ conversationId: params.id, userId: user.id }))) throw errors.notFound("conversation");
  return Response.json(shareJson(req, params.id, { token: null, messageId: null, currentMessageId: null }));
});
