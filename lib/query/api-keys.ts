// The caller's API keys: GET|POST /api/settings/api-keys, DELETE /api/settings/api-keys/:id.
import { queryOptions } from "@tanstack/react-query";
import type { ApiKeyJson, CreatedApiKeyJson } from "@/lib/settings/api-keys";
import { readApiError, requestJson } from "./api-error";
import { queryKeys } from "./keys";

export type { ApiKeyJson, CreatedApiKeyJson };

const ENDPOINT = "/api/settings/api-keys";

export function apiKeysQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.settings.apiKeys,
    queryFn: async ({ signal }) =>
      (await requestJson<{ data: ApiKeyJson[] }>(ENDPOINT, { signal, failure: "Couldn’t load your API keys" })).data,
  });
}

export function createApiKey(name: string): Promise<CreatedApiKeyJson> {
  return requestJson<CreatedApiKeyJson>(ENDPOINT, { method: "POST", body: { name }, failure: "Couldn’t create the key" });
}

export async function revokeApiKey(id: string): Promise<void> {
  const res = await fetch(`${ENDPOINT}/${encodeURIComponent(id)}`, {
    method: "DELETE",
    credentials: "same-origin",
    headers: { "content-type": "application/json" },
  });
  if (!res.ok) throw new Error(await readApiError(res, `Couldn’t revoke the key (HTTP ${res.status}).`));
}
