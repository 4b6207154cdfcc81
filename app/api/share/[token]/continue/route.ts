// POST /api/share/:token/continue – copy a shared snapshot into the caller's own account as a new chat
import { forkSharedConversation } from "@/db/queries/shares";
import { errors } from "@/lib/errors";
import { userRoute } from "@/lib/http/route";

export const POST = userRoute<{ token: string }>({}, async ({ user, params }) => {
  const fork = await forkSharedConversation({ token: params.token, userId: user.id });
  if (!fork) throw errors.notFound("share");
  return Response.json({ id: fork.id, object: "conversation", title: fork.title }, { status: 201 });
});
