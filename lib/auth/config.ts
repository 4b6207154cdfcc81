// Auth.js (next-auth v5). Credentials sign-in requires JWT sessions, so the JWT carries only a
// server-session token (see server-session.ts) and every request checks it against the database.
import NextAuth from "next-auth";
import { signInWithIdentity } from "./oauth-link";
import { allProviders } from "./providers";
import { authSecret } from "./secret";
import { closeServerSession, findServerSession, SESSION_MAX_AGE_S } from "./server-session";

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
        const signedIn = await signInWithIdentity({
          provider: account.provider,
          email: user.email,
          name: user.name ?? null,
          verified: profile?.email_verified === true,
        });
        if (!signedIn) return null;
        token.sid = signedIn.sid;
        token.sub = signedIn.userId;
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
