// API keys for programs: "sk-" + 32 random bytes (base64url), shown once at creation. Only the
// SHA-256 is stored: a fast hash is right for a 256-bit random secret (nothing to brute-force, unlike
// a password), and it lets a request find its key with one indexed lookup.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createApiKey, findActiveApiKeyByHash } from "@/db/queries/api-keys";
import { toSessionUser } from "./session-user";
import type { SessionUser } from "./session-user";

export const API_KEY_PREFIX = "sk-";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function newApiKeySecret(): { key: string; hash: string; hint: string } {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { key, hash: hashApiKey(key), hint: `${API_KEY_PREFIX}…${key.slice(-4)}` };
}

export async function issueApiKey(userId: string, name: string) {
  const { key, hash, hint } = newApiKeySecret();
  const row = await createApiKey({ userId, name, keyHash: hash, hint });
  return { ...row, key };
}

/** The bearer token of an Authorization header, or null when there is none. */
export function bearerToken(req: Request): string | null {
  const h = req.headers.get("authorization");
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : "";
}

/**
 * The user a key belongs to, or null (unknown, revoked, or its user disabled) — checked on every
 * request (the row is reused for a few seconds; revoking forgets it at once on this instance, and
 * within seconds on the others: db/queries/auth-cache.ts). The lookup is by hash; the hash is then
 * compared in constant time as well, so no step of the check branches on how much of a guessed key
 * was right.
 */
export async function userForApiKey(key: string): Promise<SessionUser | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  const hash = hashApiKey(key);
  const found = await findActiveApiKeyByHash({ keyHash: hash });
  if (!found) return null;
  const a = Buffer.from(found.keyHash, "hex");
  const b = Buffer.from(hash, "hex");
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  return toSessionUser(found.user);
}
