// The admin console's account management: search by email with this month's usage, and changes of
// tier, role and disabled state, each with its audit row in one transaction. Disabling also revokes
// every session; sessions and API keys of a disabled account are refused anyway (their lookups check
// users.disabled_at), so it takes effect on the very next request.
import { and, asc, eq, ilike, isNull, sql } from "drizzle-orm";
import { sessions, type User, type UserRole, type UserTier, users } from "../schema";
import { type AdminAction, insertAdminAudit } from "./audit-log";
import { forgetAuthForUser } from "./auth-cache";
import { type Executor, isUuid, resolve } from "./executor";
import { rowsOf, ts } from "./rollups";

export interface AdminUserRow {
  id: string;
  email: string | null;
  tier: UserTier;
  role: UserRole;
  isGuest: boolean;
  disabledAt: Date | null;
  createdAt: Date;
  replies: number;
  tokens: number;
  costUsd: number;
}

/** Accounts whose email contains q (case-insensitive, LIKE metacharacters escaped), with usage since monthStart. */
export async function searchUsersForAdmin(args: { q: string; monthStart: Date; limit?: number }, exec?: Executor): Promise<AdminUserRow[]> {
  const db = await resolve(exec);
  const pattern = `%${args.q.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const limit = Math.max(1, Math.min(50, args.limit ?? 20));
  const found = await db
    .select({ id: users.id, email: users.email, tier: users.tier, role: users.role, isGuest: users.isGuest, disabledAt: users.disabledAt, createdAt: users.createdAt })
    .from(users)
    .where(ilike(users.email, pattern))
    .orderBy(asc(users.email))
    .limit(limit);
  if (found.length === 0) return [];
  // One lateral aggregate per account over its own month of usage_events (index on user_id, created_at).
  const usage = rowsOf<{ id: string; replies: number; tokens: number; cost: number }>(
    await db.execute(sql`
      select u.id, x.replies, x.tokens, x.cost
      from unnest(${sql`array[${sql.join(found.map((f) => sql`${f.id}::uuid`), sql`, `)}]`}) as u(id)
      cross join lateral (
        select count(*)::int as replies,
               coalesce(sum(coalesce(e.prompt_tokens, e.estimated_prompt_tokens, 0) + coalesce(e.completion_tokens, 0)), 0)::float8 as tokens,
               coalesce(sum(e.cost_usd), 0)::float8 as cost
        from usage_events e where e.user_id = u.id and e.created_at >= ${ts(args.monthStart)}
      ) x`),
  );
  const byId = new Map(usage.map((u) => [String(u.id), u]));
  return found.map((f) => {
    const u = byId.get(f.id);
    return { ...f, replies: Number(u?.replies ?? 0), tokens: Number(u?.tokens ?? 0), costUsd: Number(u?.cost ?? 0) };
  });
}

type Change = { tier: UserTier } | { role: UserRole } | { disabled: boolean };

/** Applies one change to the target account and logs it; null when there is no such account. */
export async function changeUserByAdmin(args: { actorId: string; targetId: string; change: Change }, exec?: Executor): Promise<User | null> {
  if (!isUuid(args.targetId)) return null;
  const db = await resolve(exec);
  const changed = await db.transaction(async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, args.targetId)).for("update");
    if (!before) return null;
    const c = args.change;
    let action: AdminAction;
    let detail: Record<string, unknown>;
    let patch: Partial<User>;
    if ("tier" in c) [action, detail, patch] = ["set_tier", { from: before.tier, to: c.tier }, { tier: c.tier }];
    else if ("role" in c) [action, detail, patch] = ["set_role", { from: before.role, to: c.role }, { role: c.role }];
    else [action, detail, patch] = c.disabled ? ["disable", {}, { disabledAt: new Date() }] : ["enable", {}, { disabledAt: null }];
    const [after] = await tx.update(users).set(patch).where(eq(users.id, args.targetId)).returning();
    if ("disabled" in c && c.disabled) {
      await tx.update(sessions).set({ revokedAt: sql`now()` }).where(and(eq(sessions.userId, args.targetId), isNull(sessions.revokedAt)));
    }
    await insertAdminAudit({ actorId: args.actorId, action, targetUserId: args.targetId, detail }, tx);
    return after;
  });
  // After the commit, so a lookup racing the change cannot cache the row as it was.
  forgetAuthForUser(args.targetId);
  return changed;
}
