// What admins did to accounts, newest first (the admin_audit_log table).
import type { AuditListItem } from "@/db/queries/audit-log";

function describe(e: AuditListItem): string {
  const d = e.detail ?? {};
  switch (e.action) {
    case "set_tier":
      return `tier ${String(d.from)} → ${String(d.to)}`;
    case "set_role":
      return `role ${String(d.from)} → ${String(d.to)}`;
    case "disable":
      return "disabled the account";
    case "enable":
      return "enabled the account";
    default:
      return e.action;
  }
}

export function AuditLogTable({ entries }: { entries: AuditListItem[] }) {
  return (
    <section aria-labelledby="audit-heading" className="rounded-xl border border-border bg-background p-4">
      <h2 id="audit-heading" className="mb-2 text-lg font-semibold">
        Audit log
      </h2>
      {entries.length === 0 ? (
        <p className="text-sm text-muted-foreground">No admin actions yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Admin actions, newest first</caption>
            <thead className="text-muted-foreground">
              <tr>
                {["When (UTC)", "Admin", "Account", "Change"].map((h) => (
                  <th key={h} scope="col" className="px-2 py-1.5 font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} className="border-t border-border">
                  <td className="px-2 py-1.5 tabular-nums">{e.createdAt.toISOString().slice(0, 19).replace("T", " ")}</td>
                  <td className="px-2 py-1.5">{e.actorEmail ?? "–"}</td>
                  <td className="px-2 py-1.5">{e.targetEmail ?? "guest"}</td>
                  <td className="px-2 py-1.5">{describe(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
