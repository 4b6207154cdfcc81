// ADMIN_EMAILS: operators name their admin accounts in configuration (as `npm run user:set -- … --role=admin`
// does by hand). Applied at sign-in, so a listed account becomes admin on its next sign-in.
import { setUserAccessByEmail } from "@/db/queries/users";
import type { User } from "@/db/schema";
import { env } from "@/lib/env";

export async function applyConfiguredAdmin(user: Pick<User, "email" | "role">): Promise<void> {
  if (!user.email || user.role === "admin") return;
  if (!env().ADMIN_EMAILS.includes(user.email.toLowerCase())) return;
  await setUserAccessByEmail({ email: user.email, role: "admin" });
}
