// DELETE /api/settings/api-keys/:id – revoke one of the caller's API keys (effective at once)
import { revokeApiKey } from "@/db/queries/api-keys";
import { errors } from "@/lib/errors";
import { userRoute } from "@/lib/http/route";

export const DELETE = userRoute<{ id: string }>({}, async ({ user, params }) => {
  if (!(await revokeApiKey({ id: params.id, userId: user.id }))) throw errors.notFound("API key");
  return new Response(null, { status: 204 });
});
