// Deleting files: rows first, then — in the same transaction, under the keys' locks (db/queries/files.ts)
// — the objects no remaining row uses. An object whose delete fails is logged and left behind
// (harmless: unreachable without a row); the rows' delete stands.
import { deleteFileById, deleteFilesByConversationId, sweepUnsentFiles } from "@/db/queries/files";
import { fileStore } from "./storage";

/** At most this many object deletes in flight (an account or a sweep batch can name thousands). */
const PARALLEL = 16;

/** Deletes stored objects by key; never throws (each failure is logged). */
export async function deleteStoredObjects(keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += PARALLEL) {
    await Promise.all(
      keys
        .slice(i, i + PARALLEL)
        .map((k) => fileStore().delete(k).catch((err: unknown) => console.warn("[files] object delete failed", (err as Error)?.name ?? "error"))),
    );
  }
}

export function deleteFile(args: { id: string; userId: string }): Promise<boolean> {
  return deleteFileById(args, deleteStoredObjects);
}

/** Before a conversation is deleted: its files' rows and objects. */
export async function deleteConversationFiles(args: { conversationId: string; userId: string }): Promise<void> {
  await deleteFilesByConversationId(args, deleteStoredObjects);
}

/**
 * After accounts are deleted: every object they stored. The keys are read by the deleting
 * transaction itself (db/queries/users.ts deleteIdleGuests), before the users row's cascade takes
 * the files rows; keys are per account (`u/<user id>/…`), so none is shared with anyone left.
 */
export async function deleteAccountFiles(args: { storageKeys: string[] }): Promise<void> {
  await deleteStoredObjects(args.storageKeys);
}

/** One batch of the unsent-upload sweep (lib/files/sweep.ts): rows and their orphaned objects. */
export function deleteUnsentFiles(args: { before: Date; limit: number }): Promise<number> {
  return sweepUnsentFiles(args, deleteStoredObjects);
}
