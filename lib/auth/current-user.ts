// Server-side access to the signed-in user, for pages and route handlers. Every call checks the
// server-side session record, so a revoked session or a disabled user is rejected at once.
import { cache } from "react";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { sessionTokenFromCookies, sessionUserFromCookies } from "./cookie-session";
import type { SessionUser } from "./session-user";

/** The session token inside the signed-in user's cookie, or null. */
export async function currentSessionToken(): Promise<string | null> {
  return sessionTokenFromCookies((await headers()).get("cookie"));
}

export const getSessionUser = cache(async (): Promise<SessionUser | null> => sessionUserFromCookies((await headers()).get("cookie")));

/** For pages: the user, or a redirect to /login. */
export async function requireSessionUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  return user;
}

/** For admin pages: the user when they are an admin. Anyone else gets a 404, so admin pages are not discoverable. */
export async function requireAdminUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user || user.role !== "admin") notFound();
  return user;
}
