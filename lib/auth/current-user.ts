// Server-side access to the signed-in user for pages and route handlers. (Stub; implemented by auth work.)
import { redirect } from "next/navigation";
import type { SessionUser } from "./session-user";

export async function getSessionUser(): Promise<SessionUser | null> {
  return null;
}

/** For pages: the user, or a redirect to /login. */
export async function requireSessionUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  return user;
}
