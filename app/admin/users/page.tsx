import type { Metadata } from "next";
import { AuditLogTable } from "@/components/admin/audit-log-table";
import { UserRow } from "@/components/admin/user-row";
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
        <section aria-labelledby="results-heading" className="rounded-xl border border-border bg-background p-4">
          <h2 id="results-heading" className="mb-2 text-lg font-semibold">
            {found.length === 0 ? "No accounts match" : `Accounts matching “${q}”`}
          </h2>
          {found.length > 0 ? (
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm tabular-nums">
                <caption className="sr-only">Accounts</caption>
                <thead className="text-muted-foreground">
                  <tr>
                    {["Email", "Usage this month", "Tier", "Role", "Account"].map((h) => (
                      <th key={h} scope="col" className="px-2 py-1.5 font-medium">
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {found.map((u) => (
                    <UserRow key={u.id} user={u} self={u.id === admin.id} change={changeUserAction} />
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : null}
      <AuditLogTable entries={audit} />
    </>
  );
}
