// POST /api/share/:token/continue – copy a shared snapshot into the caller's own account as a new chat
import { userRoute } from "@/lib/http/route";
import { continueSharedConversation } from "@/lib/share/fork";

// The copy takes the snapshot's files along as the caller's own (lib/share/fork.ts).
export const POST = userRoute<{ token: string }>({}, async ({ user, params }) => {
  const fork = await continueSharedConversation(user, params.token);
  return Response.json({ id: fork.id, object: "conversation", title: fork.title }, { status: 201 });
});
