// GET|POST /v1/conversations/import – the caller's latest import job / import ChatGPT's conversations.json or our own export
// (validated whole first; small files are written at once (201), larger ones as a background job (202))
import { getLatestImportJobByUserId } from "@/db/queries/transfer";
import { errors } from "@/lib/errors";
import { readLimitedBody } from "@/lib/http/body";
import { userRoute } from "@/lib/http/route";
import { importJobJson, startImport } from "@/lib/transfer/import-job";

const MAX_BYTES = 50 * 1024 * 1024;

export const POST = userRoute({ apiKey: true }, async ({ req, user }) => {
  // Read here rather than by the wrapper: a NUL in old content is stripped on import, not refused.
  const text = await readLimitedBody(req, MAX_BYTES, "Import files can be at most 50 MB.");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw errors.badRequest("The request body is not valid JSON.", "invalid_json");
  }
  const outcome = await startImport(user.id, raw);
  if (outcome.kind === "job") return Response.json(importJobJson(outcome.job), { status: 202 });
  return Response.json({ object: "import", source: outcome.source, imported: outcome.ids.length, conversation_ids: outcome.ids }, { status: 201 });
});

export const GET = userRoute({ apiKey: true }, async ({ user }) => {
  const job = await getLatestImportJobByUserId({ userId: user.id });
  return Response.json(job ? importJobJson(job) : null);
});
