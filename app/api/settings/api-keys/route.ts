// GET|POST /api/settings/api-keys – list the caller's API keys, or create one (the key is in this response only)
import { listApiKeysByUserId } from "@/db/queries/api-keys";
import { issueApiKey } from "@/lib/auth/api-keys";
import { userRoute } from "@/lib/http/route";
import { apiKeyJson, createApiKeySchema } from "@/lib/settings/api-keys";

export const GET = userRoute({}, async ({ user }) => {
  const keys = await listApiKeysByUserId({ userId: user.id });
  return Response.json({ object: "list", data: keys.map(apiKeyJson) });
});

export const POST = userRoute({ body: createApiKeySchema }, async ({ user, body }) => {
  const created = await issueApiKey(user.id, body.name);
  return Response.json({ ...apiKeyJson(created), key: created.key }, { status: 201, headers: { "cache-control": "no-store" } });
});
