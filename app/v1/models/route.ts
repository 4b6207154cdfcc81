// GET /v1/models – the catalog models this caller's tier may use, in OpenAI's list format
import { userRoute } from "@/lib/http/route";
import { listUiModels } from "@/lib/models/catalog";

// OpenAI's model objects carry a creation time; ours are configuration, so one fixed date serves.
const CREATED = Math.floor(Date.UTC(2024, 0, 1) / 1000);

export const GET = userRoute({ apiKey: true }, async ({ user }) =>
  Response.json({
    object: "list",
    data: listUiModels(user.tier).map((m) => ({ id: m.id, object: "model", created: CREATED, owned_by: "chatgate" })),
  }),
);
