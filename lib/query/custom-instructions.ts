// The caller's custom instructions: GET|PUT /api/settings/custom-instructions.
import { queryOptions } from "@tanstack/react-query";
import type { CustomInstructionsJson } from "@/lib/settings/custom-instructions";
import { requestJson } from "./api-error";
import { queryKeys } from "./keys";

export type { CustomInstructionsJson };

const ENDPOINT = "/api/settings/custom-instructions";

export function customInstructionsQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.settings.customInstructions,
    queryFn: ({ signal }) => requestJson<CustomInstructionsJson>(ENDPOINT, { signal, failure: "Couldn’t load your custom instructions" }),
  });
}

/** Saves all three fields; resolves to what the server stored (texts trimmed). */
export function saveCustomInstructions(body: CustomInstructionsJson): Promise<CustomInstructionsJson> {
  return requestJson<CustomInstructionsJson>(ENDPOINT, { method: "PUT", body, failure: "Couldn’t save your custom instructions" });
}
