// The hardening tests' app: the app server's own request handling (tests/support/route-server.ts,
// wholeServer): the client address stamped from the socket (X-Forwarded-For only through
// TRUSTED_PROXIES) as scripts/server.ts does first for every request, its route table (FAST_ROUTES)
// for the live-reply routes, and every other route handler as Next serves it, with the request body
// streaming from the socket (so a handler's own body limit is what is tested, not a buffer in front
// of it). A route added to the app is covered here without a table of its own.
import { encode } from "next-auth/jwt";
import { openServerSession } from "@/lib/auth/server-session";
import { serveApp, type RouteServer } from "@/tests/support/route-server";

export type TestApp = RouteServer;

export const AUTH_SECRET = "hardening-test-secret-0123456789abcdef";

/** Sets the environment the app reads; call before anything calls env(). */
export function hardeningEnv(extra: Record<string, string> = {}): void {
  Object.assign(process.env, { AUTH_SECRET, REDIS_URL: "", UPSTASH_REDIS_REST_URL: "", ...extra });
}

export function startApp(): Promise<TestApp> {
  return serveApp({}, { wholeServer: true });
}

/** A signed-in browser's Cookie header for a user: a real server session inside an Auth.js JWT. */
export async function sessionCookie(userId: string, email?: string | null): Promise<string> {
  const sid = await openServerSession(userId);
  const salt = "authjs.session-token";
  const token = await encode({ token: { sub: userId, sid, email: email ?? null }, secret: AUTH_SECRET, salt });
  return `${salt}=${token}`;
}

/** Cookies from a response, as one Cookie header (name=value pairs, later ones winning). */
export function mergeCookies(jar: Map<string, string>, res: Response): string {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const i = pair.indexOf("=");
    const value = pair.slice(i + 1);
    if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) jar.delete(pair.slice(0, i));
    else jar.set(pair.slice(0, i), value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

/** Signs in with email and password through Auth.js's own endpoints (CSRF token first). */
export async function passwordSignIn(
  url: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<{ ok: boolean; code: string | null; cookie: string; jar: Map<string, string> }> {
  const jar = new Map<string, string>();
  const csrfRes = await fetch(`${url}/api/auth/csrf`, { headers });
  let cookie = mergeCookies(jar, csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: "/" }),
  });
  cookie = mergeCookies(jar, res);
  const location = res.headers.get("location") ?? "";
  const code = new URL(location, url).searchParams.get("code");
  return { ok: jar.has("authjs.session-token"), code, cookie, jar };
}
