// The admin audit log: who changed which account, and how. Written in the same transaction as the change.
import { desc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { adminAuditLog, users } from "../schema";
import { type Executor, resolve } from "./executor";

export type AdminAction = "set_tier" | "set_role" | "disable" | "enable";

export async function insertAdminAudit(
  args: { actorId: string; action: AdminAction; targetUserId: string; detail: Record<string, unknown> },
  exec?: Executor,
): Promise<void> {
  const db = await resolve(exec);
  await db.insert(adminAuditLog).values(args);
}

export interface AuditListItem {
  id: string;
  action: string;
  detail: Record<string, unknown> | null;
  createdAt: Date;
  actorEmail: string | null;
  targetEmail: string | null;
}

export async function listAdminAudit(args: { limit: number }, exec?: Executor): Promise<AuditListItem[]> {
  const db = await resolve(exec);
  const actor = alias(users, "actor");
  const target = alias(users, "target");
  return db
    .select({
      id: adminAuditLog.id,
      action: adminAuditLog.action,
      detail: adminAuditLog.detail,
      createdAt: adminAuditLog.createdAt,
      actorEmail: actor.email,
      targetEmail: target.email,
    })
    .from(adminAuditLog)
    .leftJoin(actor, eq(actor.id, adminAuditLog.actorId))
    .leftJoin(target, eq(target.id, adminAuditLog.targetUserId))
    .orderBy(desc(adminAuditLog.createdAt), desc(adminAuditLog.id))
    .limit(Math.max(1, Math.min(200, Math.trunc(args.limit))));
}
