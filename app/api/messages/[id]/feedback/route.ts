// PUT /api/messages/:id/feedback – the caller's "Good response" / "Bad response" vote on a reply
import { z } from "zod";
import { setFeedback } from "@/db/queries/feedback";
import { errors } from "@/lib/errors";
import { userRoute } from "@/lib/http/route";
import { feedbackBodySchema } from "./schema";

export const PUT = userRoute<{ id: string }, z.infer<typeof feedbackBodySchema>>({ body: feedbackBodySchema }, async ({ user, params, body }) => {
  if (!z.uuid().safeParse(params.id).success) throw errors.notFound("message");
  const saved = await setFeedback({ messageId: params.id, userId: user.id, rating: body.rating });
  if (!saved) throw errors.notFound("message");
  return Response.json(saved);
});
