"use server";
// Review decisions of the moderation queue. A public endpoint like every server action: it checks
// the admin role itself (404 for anyone else, as the page) and validates its input.
import { revalidatePath } from "next/cache";
import { notFound } from "next/navigation";
import { z } from "zod";
import { reviewModerationEvent } from "@/db/queries/moderation";
import { requireAdminUser } from "@/lib/auth/current-user";

const reviewSchema = z.object({ id: z.uuid(), decision: z.enum(["confirmed", "dismissed"]) });

export async function reviewModerationAction(formData: FormData): Promise<void> {
  const admin = await requireAdminUser();
  const parsed = reviewSchema.safeParse({ id: formData.get("id"), decision: formData.get("decision") });
  if (!parsed.success) notFound();
  const row = await reviewModerationEvent({ id: parsed.data.id, reviewerId: admin.id, status: parsed.data.decision });
  if (!row) notFound();
  revalidatePath("/admin/moderation");
}
