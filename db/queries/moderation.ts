// The audit trail of the safety layer: one row per moderated input or output.
import { moderationEvents, type NewModerationEvent } from "../schema";
import { type Executor, resolve } from "./executor";

export async function insertModerationEvent(
  args: Omit<NewModerationEvent, "id" | "createdAt">,
  exec?: Executor,
): Promise<{ id: string }> {
  const db = await resolve(exec);
  const [row] = await db.insert(moderationEvents).values(args).returning({ id: moderationEvents.id });
  return row;
}
