// GET|PUT /api/settings/custom-instructions – the caller's custom instructions (applied to new replies)
import { getCustomInstructionsByUserId, updateCustomInstructionsByUserId } from "@/db/queries/users";
import { errors } from "@/lib/errors";
import { userRoute } from "@/lib/http/route";

import { type CustomInstructionsJson, customInstructionsSchema } from "@/lib/settings/custom-instructions";

function json(ci: { aboutMe: string | null; responseStyle: string | null; enabled: boolean }): CustomInstructionsJson {
  return { about_me: ci.aboutMe ?? "", response_style: ci.responseStyle ?? "", enabled: ci.enabled };
}

export const GET = userRoute({}, async ({ user }) => {
  const ci = await getCustomInstructionsByUserId({ userId: user.id });
  if (!ci) throw errors.notFound("user");
  return Response.json(json(ci));
});

export const PUT = userRoute({ body: customInstructionsSchema }, async ({ user, body }) => {
  const ci = await updateCustomInstructionsByUserId({
    userId: user.id,
    aboutMe: body.about_me.trim() || null,
    responseStyle: body.response_style.trim() || null,
    enabled: body.enabled,
  });
  if (!ci) throw errors.notFound("user");
  return Response.json(json(ci));
});
