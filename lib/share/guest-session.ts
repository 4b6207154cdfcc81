"use server";
// For "Continue this conversation" on a share page: a visitor with no session gets a guest account
// first (as "Continue as guest" would), so the copy has an owner. A signed-in viewer keeps theirs.
import { signIn } from "@/lib/auth/config";
import { getSessionUser } from "@/lib/auth/current-user";

export async function ensureViewerSession(): Promise<void> {
  if (await getSessionUser()) return;
  // redirect: false sets the session cookie on this response and returns; the page goes on to copy.
  await signIn("guest", { redirect: false });
}
