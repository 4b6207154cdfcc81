// What admins did to accounts, newest first (the admin_audit_log table).
import type { AuditListItem } from "@/db/queries/audit-log";
import { AdminSection } from "./admin-section";
import { type Column, DataTable, type TableSort } from "./data-table";

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

const COLUMNS: Column<AuditListItem>[] = [
  { header: "When (UTC)", rowHeader: true, className: "font-normal", cell: (e) => e.createdAt.toISOString().slice(0, 19).replace("T", " ") },
  { header: "Admin", cell: (e) => e.actorEmail ?? "–" },
  { header: "Account", cell: (e) => e.targetEmail ?? "guest" },
  { header: "Change", cell: describe },
];

/** listAdminAudit orders them so. */
const NEWEST_FIRST: TableSort<AuditListItem> = { column: "When (UTC)", direction: "descending" };

export function AuditLogTable({ entries }: { entries: AuditListItem[] }) {
  return (
    <AdminSection id="audit-heading" title="Audit log">
      <DataTable
        caption="Admin actions, newest first"
        columns={COLUMNS}
        rows={entries}
        rowKey={(e) => e.id}
        sort={NEWEST_FIRST}
        empty="No admin actions yet."
      />
    </AdminSection>
  );
}
