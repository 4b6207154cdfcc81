// One account in the admin Users table: usage this month and the forms that change it (server
// actions, so they work before hydration). Controls are named after the account for screen readers.
import { clsx } from "clsx";
import type { AdminUserRow } from "@/db/queries/admin-users";
import { userRoles, userTiers } from "@/db/schema";

const select = "rounded-md border border-border bg-background px-2 py-1 text-sm";
const button = "rounded-md border border-border px-2 py-1 text-sm font-medium hover:bg-accent";

export function UserRow({ user, self, change }: { user: AdminUserRow; self: boolean; change: (form: FormData) => Promise<void> }) {
  const name = user.email ?? `guest ${user.id.slice(0, 8)}`;
  return (
    <tr className="border-t border-border align-top" data-user={user.email ?? user.id}>
      <th scope="row" className="px-2 py-2 font-medium">
        {name}
        <span className="block text-xs font-normal text-muted-foreground">
          {user.isGuest ? "guest · " : ""}since {user.createdAt.toISOString().slice(0, 10)}
        </span>
      </th>
      <td className="px-2 py-2">
        {user.replies.toLocaleString("en-US")} replies · {Math.round(user.tokens).toLocaleString("en-US")} tokens · ${user.costUsd.toFixed(4)}
      </td>
      <td className="px-2 py-2">
        {/* Keyed by the saved value: React resets a form after its action, and the select must then show the new tier. */}
        <form key={`tier-${user.tier}`} action={change} className="flex gap-1">
          <input type="hidden" name="kind" value="tier" />
          <input type="hidden" name="id" value={user.id} />
          <select name="tier" defaultValue={user.tier} aria-label={`Tier of ${name}`} className={select}>
            {userTiers.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
          <button type="submit" className={button} aria-label={`Change tier of ${name}`}>
            Change
          </button>
        </form>
      </td>
      <td className="px-2 py-2">
        <form key={`role-${user.role}`} action={change} className="flex gap-1">
          <input type="hidden" name="kind" value="role" />
          <input type="hidden" name="id" value={user.id} />
          <select name="role" defaultValue={user.role} aria-label={`Role of ${name}`} className={select} disabled={self}>
            {userRoles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <button type="submit" className={button} aria-label={`Change role of ${name}`} disabled={self}>
            Change
          </button>
        </form>
      </td>
      <td className="px-2 py-2">
        <form action={change} className="flex items-center gap-2">
          <input type="hidden" name="kind" value="disabled" />
          <input type="hidden" name="id" value={user.id} />
          <input type="hidden" name="disabled" value={user.disabledAt ? "false" : "true"} />
          <span className={clsx("text-xs font-semibold", user.disabledAt ? "text-danger" : "text-muted-foreground")}>
            {user.disabledAt ? `Disabled ${user.disabledAt.toISOString().slice(0, 16).replace("T", " ")}` : "Active"}
          </span>
          {self ? null : (
            <button type="submit" className={clsx(button, !user.disabledAt && "text-danger")} aria-label={`${user.disabledAt ? "Enable" : "Disable"} ${name}`}>
              {user.disabledAt ? "Enable" : "Disable"}
            </button>
          )}
        </form>
      </td>
    </tr>
  );
}
