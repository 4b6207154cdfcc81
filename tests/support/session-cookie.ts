// A signed-in browser session for HTTP tests: a server-side session row and the Auth.js cookie
// (JWE, as Auth.js writes it) that carries its token. AUTH_SECRET must be TEST_AUTH_SECRET.
import { encode } from "next-auth/jwt";
import type { SessionUser } from "@/lib/auth/session-user";
import { newUser } from "./gateway-harness";

export const TEST_AUTH_SECRET = "http-test-secret-0123456789abcdef0123";
export const SESSION_COOKIE = "authjs.session-token";

export async function signedIn(user?: SessionUser) {
  const { openServerSession, closeServerSession } = await import("@/lib/auth/server-session");
  const u = user ?? (await newUser());
  const sid = await openServerSession(u.id);
  const token = await encode({ token: { sub: u.id, sid }, secret: TEST_AUTH_SECRET, salt: SESSION_COOKIE });
  return { user: u, sid, cookie: `${SESSION_COOKIE}=${token}`, signOut: () => closeServerSession(sid) };
}
