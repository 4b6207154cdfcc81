// GET|PUT /api/settings/tools – the caller's built-in tools: on/off, and why one is unavailable here
import { getDisabledTools, setDisabledTools } from "@/db/queries/users";
import { errors } from "@/lib/errors";
import { userRoute } from "@/lib/http/route";
import { toolSettingsJson, toolSettingsSchema } from "@/lib/settings/tools";

export const GET = userRoute({}, async ({ user }) => Response.json(toolSettingsJson(await getDisabledTools({ userId: user.id }))));

export const PUT = userRoute({ body: toolSettingsSchema }, async ({ user, body }) => {
  const saved = await setDisabledTools({ userId: user.id, disabledTools: [...new Set(body.disabled)] });
  if (!saved) throw errors.notFound("user");
  return Response.json(toolSettingsJson(saved));
});
