// Server-side access to the signed-in user, for pages and route handlers. Every call checks the
// server-side session record, so a revoked session or a disabled user is rejected at once.
import { cache } from "react";
import { notFound, redirect } from "next/navigation";
import type { User } from "@/db/schema";
import { auth } from "./config";
import { findServerSession } from "./server-session";
import type { SessionUser } from "./session-user";

export function toSessionUser(user: User): SessionUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isGuest: user.isGuest,
    tier: user.tier as SessionUser["tier"],
    role: user.role as SessionUser["role"],
    customInstructions: { aboutMe: user.aboutMe, responseStyle: user.responseStyle, enabled: user.customInstructionsEnabled },
  };
}

/** The session token inside the signed-in user's cookie, or null. */
export async function currentSessionToken(): Promise<string | null> {
  const session = await auth();
  return session?.sid ?? null;
}

export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const sid = await currentSessionToken();
  if (!sid) return null;
  const record = await findServerSession(sid);
  return record ? toSessionUser(record.user) : null;
});

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
