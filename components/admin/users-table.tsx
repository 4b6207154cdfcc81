// The admin Users table: each account with its usage this month and the forms that change it (server
// actions, so they work before hydration). Controls are named after the account for screen readers.
import { clsx } from "clsx";
import type { AdminUserRow } from "@/db/queries/admin-users";
import { userRoles, userTiers } from "@/db/schema";
import { type Column, DataTable } from "./data-table";

const select = "rounded-md border border-border bg-background px-2 py-1 text-sm";
const button = "rounded-md border border-border px-2 py-1 text-sm font-medium hover:bg-accent";

type Change = (form: FormData) => Promise<void>;

const accountName = (user: AdminUserRow) => user.email ?? `guest ${user.id.slice(0, 8)}`;

function columns(adminId: string, change: Change): Column<AdminUserRow>[] {
  return [
    {
      header: "Email",
      rowHeader: true,
      cell: (user) => (
        <>
          {accountName(user)}
          <span className="block text-xs font-normal text-muted-foreground">
            {user.isGuest ? "guest · " : ""}since {user.createdAt.toISOString().slice(0, 10)}
          </span>
        </>
      ),
    },
    {
      header: "Usage this month",
      cell: (user) => `${user.replies.toLocaleString("en-US")} replies · ${Math.round(user.tokens).toLocaleString("en-US")} tokens · $${user.costUsd.toFixed(4)}`,
    },
    {
      header: "Tier",
      // Keyed by the saved value: React resets a form after its action, and the select must then show the new tier.
      cell: (user) => (
        <form key={`tier-${user.tier}`} action={change} className="flex gap-1">
          <input type="hidden" name="kind" value="tier" />
          <input type="hidden" name="id" value={user.id} />
          <select name="tier" defaultValue={user.tier} aria-label={`Tier of ${accountName(user)}`} className={select}>
            {userTiers.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
          <button type="submit" className={button} aria-label={`Change tier of ${accountName(user)}`}>
            Change
          </button>
        </form>
      ),
    },
    {
      header: "Role",
      // An admin cannot demote their own account (app/admin/users/actions.ts refuses it too).
      cell: (user) => (
        <form key={`role-${user.role}`} action={change} className="flex gap-1">
          <input type="hidden" name="kind" value="role" />
          <input type="hidden" name="id" value={user.id} />
          <select name="role" defaultValue={user.role} aria-label={`Role of ${accountName(user)}`} className={select} disabled={user.id === adminId}>
            {userRoles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <button type="submit" className={button} aria-label={`Change role of ${accountName(user)}`} disabled={user.id === adminId}>
            Change
          </button>
        </form>
      ),
    },
    {
      header: "Account",
      cell: (user) => (
        <form action={change} className="flex items-center gap-2">
          <input type="hidden" name="kind" value="disabled" />
          <input type="hidden" name="id" value={user.id} />
          <input type="hidden" name="disabled" value={user.disabledAt ? "false" : "true"} />
          <span className={clsx("text-xs font-semibold", user.disabledAt ? "text-danger" : "text-muted-foreground")}>
            {user.disabledAt ? `Disabled ${user.disabledAt.toISOString().slice(0, 16).replace("T", " ")}` : "Active"}
          </span>
          {user.id === adminId ? null : (
            <button type="submit" className={clsx(button, !user.disabledAt && "text-danger")} aria-label={`${user.disabledAt ? "Enable" : "Disable"} ${accountName(user)}`}>
              {user.disabledAt ? "Enable" : "Disable"}
            </button>
          )}
        </form>
      ),
    },
  ];
}

/** Accounts found by the search; the signed-in admin's own row cannot disable or demote itself. */
export function UsersTable({ users, adminId, change, empty }: { users: AdminUserRow[]; adminId: string; change: Change; empty: string }) {
  return (
    <DataTable
      caption="Accounts"
      columns={columns(adminId, change)}
      rows={users}
      rowKey={(user) => user.id}
      rowData={(user) => ({ "data-user": user.email ?? user.id })}
      empty={empty}
      controls
    />
  );
}
