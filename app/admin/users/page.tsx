import type { Metadata } from "next";
import { AdminSection } from "@/components/admin/admin-section";
import { AuditLogTable } from "@/components/admin/audit-log-table";
import { UsersTable } from "@/components/admin/users-table";
import { searchUsersForAdmin } from "@/db/queries/admin-users";
import { listAdminAudit } from "@/db/queries/audit-log";
import { requireAdminUser } from "@/lib/auth/current-user";
import { changeUserAction } from "./actions";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

const monthStart = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));

// Accounts by email (search), this month's usage, tier / role / disabled changes, and the audit log of
// what admins did. Non-admins get a 404.
export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const admin = await requireAdminUser();
  const q = ((await searchParams).q ?? "").slice(0, 200);
  const [found, audit] = await Promise.all([
    q.trim() ? searchUsersForAdmin({ q, monthStart: monthStart(new Date()) }) : Promise.resolve([]),
    listAdminAudit({ limit: 50 }),
  ]);
  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight">Users</h1>
      <form role="search" action="/admin/users" className="flex gap-2">
        <input
          type="search"
          name="q"
          defaultValue={q}
          aria-label="Search users by email"
          placeholder="Email contains…"
          className="w-full max-w-md rounded-lg border border-border bg-background px-3 py-1.5 text-sm"
        />
        <button type="submit" className="rounded-lg bg-foreground px-3 py-1.5 text-sm font-medium text-background">
          Search
        </button>
      </form>
      {q.trim() ? (
        <AdminSection id="results-heading" title={`Accounts matching “${q}”`}>
          <UsersTable users={found} adminId={admin.id} change={changeUserAction} empty="No accounts match." />
        </AdminSection>
      ) : null}
      <AuditLogTable entries={audit} />
    </>
  );
}
