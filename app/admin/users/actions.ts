"use server";
// Account changes from the admin console. Public endpoints like every server action: each checks the
// admin role itself (404 for anyone else, as the page) and validates its input. An admin cannot
// disable or demote their own account (the console would lock them out mid-change).
import { revalidatePath } from "next/cache";
import { notFound } from "next/navigation";
import { z } from "zod";
import { changeUserByAdmin } from "@/db/queries/admin-users";
import { userRoles, userTiers } from "@/db/schema";
import { requireAdminUser } from "@/lib/auth/current-user";
import { log } from "@/lib/log/logger";

const changeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("tier"), id: z.uuid(), tier: z.enum(userTiers) }),
  z.object({ kind: z.literal("role"), id: z.uuid(), role: z.enum(userRoles) }),
  z.object({ kind: z.literal("disabled"), id: z.uuid(), disabled: z.enum(["true", "false"]) }),
]);

export async function changeUserAction(formData: FormData): Promise<void> {
  const admin = await requireAdminUser();
  const parsed = changeSchema.safeParse(Object.fromEntries(formData.entries()));
  if (!parsed.success) notFound();
  const input = parsed.data;
  const self = input.id === admin.id;
  if (self && (input.kind === "disabled" || (input.kind === "role" && input.role !== "admin"))) notFound();
  const change =
    input.kind === "tier" ? { tier: input.tier } : input.kind === "role" ? { role: input.role } : { disabled: input.disabled === "true" };
  const user = await changeUserByAdmin({ actorId: admin.id, targetId: input.id, change });
  if (!user) notFound();
  log().info({ kind: "admin", action: input.kind, target_user_id: input.id }, "admin changed an account");
  revalidatePath("/admin/users");
}
