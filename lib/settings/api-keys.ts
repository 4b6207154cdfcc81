// Shapes of /api/settings/api-keys, shared by the route and the settings UI.
import { z } from "zod";

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1, "Name the key.").max(100),
});

export interface ApiKeyJson {
  id: string;
  name: string;
  /** "sk-…AbCd": enough to tell keys apart, not to use one. */
  hint: string;
  created_at: string;
  last_used_at: string | null;
}

/** Returned once, at creation: the only time the whole key is sent. */
export interface CreatedApiKeyJson extends ApiKeyJson {
  key: string;
}

export function apiKeyJson(k: { id: string; name: string; hint: string; createdAt: Date; lastUsedAt: Date | null }): ApiKeyJson {
  return { id: k.id, name: k.name, hint: k.hint, created_at: k.createdAt.toISOString(), last_used_at: k.lastUsedAt?.toISOString() ?? null };
}
