// Auth.js (next-auth v5). Credentials sign-in requires JWT sessions, so the JWT carries only a
// server-session token (see server-session.ts) and every request checks it against the database.
import NextAuth from "next-auth";
import { createUser, getUserByEmail } from "@/db/queries/users";
import { applyConfiguredAdmin } from "./configured-admins";
import { allProviders } from "./providers";
import { authSecret } from "./secret";
import { openServerSession, SESSION_MAX_AGE_S } from "./server-session";

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
      if (!user) return token;
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
        if (verified) await applyConfiguredAdmin(row);
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
}));
