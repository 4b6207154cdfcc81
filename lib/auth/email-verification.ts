// Email verification for password accounts: a single-use link carrying 32 random bytes, of which only
// the SHA-256 is stored (as with sessions and API keys), valid for a day. Verification gates two
// things only: linking an OAuth/OIDC identity to the account without losing its password, and admin
// rights from ADMIN_EMAILS; an unverified account otherwise works as before. No mail transport is
// built in (the product has no other mail to send): the link is written to the server's log, as
// development setups do, for the operator to pass on — or for a log-shipping mail hook to pick up.
import { createHash, randomBytes } from "node:crypto";
import { consumeEmailVerificationToken, getUserById, saveEmailVerificationToken } from "@/db/queries/users";
import { env } from "@/lib/env";
import { applyConfiguredAdmin } from "./configured-admins";

const LINK_TTL_MS = 24 * 60 * 60_000;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * The origin links sent to third parties are built on: AUTH_URL, else the address the server itself
 * listens on (http://localhost:PORT, or HOST when it names one). Never a request's Host or
 * X-Forwarded-* headers: anyone can send those, and a link to their host would carry the token there
 * (a verified account under someone else's address, then that person's OAuth sign-in lands in it).
 */
export function appOrigin(): string {
  const e = env();
  const configured = e.AUTH_URL?.replace(/\/+$/, "");
  if (configured) return configured;
  const host = !e.HOST || e.HOST === "0.0.0.0" || e.HOST === "::" ? "localhost" : e.HOST.includes(":") ? `[${e.HOST}]` : e.HOST;
  return `http://${host}:${e.PORT}`;
}

/** Issues a new link for the user's email (earlier links stop working) and delivers it. Returns the link. */
export async function sendVerificationLink(user: { id: string; email: string }): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await saveEmailVerificationToken({ userId: user.id, email: user.email, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + LINK_TTL_MS) });
  const link = `${appOrigin()}/verify-email?token=${token}`;
  console.info(`[auth] email verification link for ${user.email} (no mail transport configured): ${link}`);
  return link;
}

/** Uses a link's token; the verified user's id, or null (unknown, used, expired, or the email changed since). */
export async function verifyEmailToken(token: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const userId = await consumeEmailVerificationToken({ tokenHash: hashToken(token) });
  // An address in ADMIN_EMAILS becomes admin as soon as it is proven, not only at the next sign-in.
  const user = userId ? await getUserById({ id: userId }) : null;
  if (user) await applyConfiguredAdmin(user);
  return userId;
}
