// OAuth / OIDC sign-in: find or create our user by email and open a session. Only an email the
// provider says it verified may sign in to an existing account (or be made admin by ADMIN_EMAILS):
// otherwise anyone who can sign up at the identity provider with someone's address would get that
// person's account here. When a verified identity reaches an account whose own address was never
// verified, that account's password is dropped: whoever set it never proved they own the address
// (the account pre-takeover: register victim@corp first, keep a password into the victim's account).
import { createUser, getUserByEmail, markEmailVerifiedByProvider } from "@/db/queries/users";
import { applyConfiguredAdmin } from "./configured-admins";
import { openServerSession } from "./server-session";

export interface OAuthIdentity {
  provider: string;
  email: string;
  name: string | null;
  /** The provider's email_verified claim. */
  verified: boolean;
}

/** The user id and a new server-session token, or null when the sign-in is refused. */
export async function signInWithIdentity(identity: OAuthIdentity): Promise<{ userId: string; sid: string } | null> {
  const email = identity.email.toLowerCase();
  const existing = await getUserByEmail({ email });
  if (existing && !identity.verified) return null;
  const row = existing ?? (await createUser({ email, name: identity.name, isGuest: false }));
  if (row.disabledAt) return null;
  if (identity.verified) {
    if (await markEmailVerifiedByProvider({ userId: row.id, email })) {
      console.info(`[auth] user ${row.id}: password dropped, a verified ${identity.provider} identity signed in to an unverified account`);
    }
    await applyConfiguredAdmin(row);
  }
  return { userId: row.id, sid: await openServerSession(row.id) };
}
