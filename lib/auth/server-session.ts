// Server-side session records. The JWT cookie (encrypted by Auth.js) carries only a random token;
// the database keeps its SHA-256, so sign-out or disabling a user rejects a copied cookie at once.
import { createHash, randomBytes } from "node:crypto";
import { createSession, findActiveSessionByTokenHash, revokeSessionByTokenHash } from "@/db/queries/sessions";

export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function openServerSession(userId: string, userAgent?: string | null): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await createSession({
    userId,
    tokenHash: hashSessionToken(token),
    expiresAt: new Date(Date.now() + SESSION_MAX_AGE_S * 1000),
    userAgent: userAgent?.slice(0, 300) ?? null,
  });
  return token;
}

/** The live session and its user (reused for a few seconds; sign-out and user changes forget it: db/queries/auth-cache.ts). */
export async function findServerSession(token: string) {
  return findActiveSessionByTokenHash({ tokenHash: hashSessionToken(token) });
}

export async function closeServerSession(token: string): Promise<void> {
  await revokeSessionByTokenHash({ tokenHash: hashSessionToken(token) });
}
