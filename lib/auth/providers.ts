// Sign-in methods: email + password, guest, and OAuth/OIDC providers switched on by env variables.
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import type { Provider } from "next-auth/providers";
import { z } from "zod";
import { CredentialsSignin } from "next-auth";
import { env } from "@/lib/env";
import { createUser, getUserByEmail } from "@/db/queries/users";
import { applyConfiguredAdmin } from "./configured-admins";
import { verifyPassword } from "./password";
import { openServerSession } from "./server-session";
import { clientIp } from "@/lib/http/client-ip";
import { admitAccountCreation } from "./creation-limits";
import { reserveLoginAttempt } from "./login-throttle";

export class InvalidLogin extends CredentialsSignin {
  code = "invalid_login";
}
export class TooManyAttempts extends CredentialsSignin {
  code = "too_many_attempts";
}
export class TooManyGuests extends CredentialsSignin {
  code = "too_many_guests";
}

const credentialsSchema = z.object({ email: z.string().trim().toLowerCase().email().max(320), password: z.string().min(1).max(1024) });

function passwordProvider(): Provider {
  return Credentials({
    id: "credentials",
    name: "Email and password",
    credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
    async authorize(raw, request) {
      const parsed = credentialsSchema.safeParse(raw);
      if (!parsed.success) throw new InvalidLogin();
      const { email, password } = parsed.data;
      const ip = clientIp(request.headers);
      // Counted before the password is checked (atomically with the check), given back on success.
      const attempt = await reserveLoginAttempt(email, ip);
      if (!attempt.ok) throw new TooManyAttempts();
      const user = await getUserByEmail({ email });
      const ok = await verifyPassword(user?.passwordHash, password);
      if (!user || !ok || user.disabledAt) throw new InvalidLogin();
      await attempt.succeeded();
      await applyConfiguredAdmin(user);
      const sid = await openServerSession(user.id, request.headers.get("user-agent"));
      return { id: user.id, email: user.email, name: user.name, sid };
    },
  });
}

function guestProvider(): Provider {
  return Credentials({
    id: "guest",
    name: "Guest",
    credentials: {},
    async authorize(_raw, request) {
      if (!(await admitAccountCreation("guest", clientIp(request.headers))).ok) throw new TooManyGuests();
      const user = await createUser({ isGuest: true, name: null, email: null, passwordHash: null });
      const sid = await openServerSession(user.id, request.headers.get("user-agent"));
      return { id: user.id, email: null, name: "Guest", sid };
    },
  });
}

export function oauthProviders(): Provider[] {
  const e = env();
  const list: Provider[] = [];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) list.push(GitHub({ clientId: e.AUTH_GITHUB_ID, clientSecret: e.AUTH_GITHUB_SECRET }));
  if (e.AUTH_GOOGLE_ID && e.AUTH_GOOGLE_SECRET) list.push(Google({ clientId: e.AUTH_GOOGLE_ID, clientSecret: e.AUTH_GOOGLE_SECRET }));
  if (e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_ID && e.AUTH_OIDC_SECRET) {
    list.push({
      id: "oidc",
      name: e.AUTH_OIDC_NAME ?? "Single sign-on",
      type: "oidc",
      issuer: e.AUTH_OIDC_ISSUER,
      clientId: e.AUTH_OIDC_ID,
      clientSecret: e.AUTH_OIDC_SECRET,
    });
  }
  return list;
}

export function allProviders(): Provider[] {
  return [passwordProvider(), guestProvider(), ...oauthProviders()];
}
