// Idle guest accounts expire: a guest unused for GUEST_IDLE_DAYS (no session seen since) is deleted
// with its chats and its stored files. Guests cost a row, their conversations, their uploads and a
// quota each; without an end they pile up forever. Every instance runs the sweep (deletes are
// idempotent), in small batches so a backlog never holds one long transaction.
import { deleteIdleGuests } from "@/db/queries/users";
import { env } from "@/lib/env";
import { deleteAccountFiles } from "@/lib/files/remove";

const EVERY_MS = 60 * 60_000;
const BATCH = 500;

/** One pass: deletes idle guests in batches until none are left. Returns how many went. */
export async function sweepIdleGuests(now = Date.now()): Promise<number> {
  const days = env().GUEST_IDLE_DAYS;
  if (days === 0) return 0;
  const idleBefore = new Date(now - days * 24 * 60 * 60_000);
  let total = 0;
  for (;;) {
    const { count, storageKeys } = await deleteIdleGuests({ idleBefore, limit: BATCH });
    // After the commit: the rows are gone, so an object whose delete fails is unreachable (and logged).
    await deleteAccountFiles({ storageKeys });
    total += count;
    if (count < BATCH) return total;
  }
}

export function startGuestExpiry(): void {
  const run = () =>
    sweepIdleGuests().then(
      (n) => n > 0 && console.info(`[guests] deleted ${n} idle guest account${n === 1 ? "" : "s"}`),
      (err: unknown) => console.error("[guests] sweep failed", err),
    );
  setTimeout(run, 60_000).unref();
  setInterval(run, EVERY_MS).unref();
}
