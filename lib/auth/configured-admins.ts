// ADMIN_EMAILS: operators name their admin accounts in configuration (as `npm run user:set -- … --role=admin`
// does by hand). Applied at sign-in, and only to a verified email (a password account's link, or an
// identity provider's word): otherwise whoever registers a listed address first would become admin.
import { isEmailVerifiedByUserId, setUserAccessByEmail } from "@/db/queries/users";
import type { User } from "@/db/schema";
import { env } from "@/lib/env";

export async function applyConfiguredAdmin(user: Pick<User, "id" | "email" | "role">): Promise<void> {
  if (!user.email || user.role === "admin") return;
  if (!env().ADMIN_EMAILS.includes(user.email.toLowerCase())) return;
  if (!(await isEmailVerifiedByUserId({ userId: user.id }))) return;
  await setUserAccessByEmail({ email: user.email, role: "admin" });
}
