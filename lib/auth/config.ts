// Auth.js (next-auth v5). Credentials sign-in requires JWT sessions, so the JWT carries only a
// server-session token (see server-session.ts) and every request checks it against the database.
import NextAuth from "next-auth";
import { createUser, getUserByEmail, markEmailVerifiedByProvider } from "@/db/queries/users";
import { applyConfiguredAdmin } from "./configured-admins";
import { allProviders } from "./providers";
import { authSecret } from "./secret";
import { closeServerSession, findServerSession, openServerSession, SESSION_MAX_AGE_S } from "./server-session";

declare module "next-auth" {
  interface User {
    sid?: string;
  }
  interface Session {
    sid?: string;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    sid?: string;
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: authSecret(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/login", error: "/login" },
  providers: allProviders(),
  callbacks: {
    async jwt({ token, user, account, profile }) {
      // Reading a session (GET /api/auth/session): the cookie is only as good as its server-side row,
      // so a signed-out, revoked or disabled session gets no session and its cookie is cleared.
      if (!user) return token.sid && (await findServerSession(token.sid)) ? token : null;
      if (user.sid) {
        token.sid = user.sid;
      } else if (account && account.type !== "credentials" && user.email) {
        // OAuth / OIDC: find or create our user by email, open a session. Only an email the provider
        // says it verified may sign in to an existing account (or be made admin by ADMIN_EMAILS):
        // otherwise anyone who can sign up at the identity provider with someone's address would get
        // that person's account here.
        const email = user.email.toLowerCase();
        const verified = profile?.email_verified === true;
        const existing = await getUserByEmail({ email });
        if (existing && !verified) return null;
        const row = existing ?? (await createUser({ email, name: user.name ?? null, isGuest: false }));
        if (row.disabledAt) return null;
        // The provider proved the address: the account's email counts as verified from now on, and a
        // password set by whoever registered the address unverified is dropped (README "Accounts").
        if (verified) {
          if (await markEmailVerifiedByProvider({ userId: row.id, email })) {
            console.info(`[auth] user ${row.id}: password dropped, a verified ${account.provider} identity signed in to an unverified account`);
          }
          await applyConfiguredAdmin(row);
        }
        token.sid = await openServerSession(row.id);
        token.sub = row.id;
      }
      return token;
    },
    async session({ session, token }) {
      session.sid = token.sid;
      return session;
    },
  },
  events: {
    // Auth.js's own POST /api/auth/signout only clears the cookie; a copy of it must stop working too.
    async signOut(message) {
      const sid = "token" in message ? message.token?.sid : undefined;
      if (sid) await closeServerSession(sid);
    },
  },
}));
