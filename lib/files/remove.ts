// Deleting files: rows first (in a transaction), then the objects no remaining row uses. An object
// whose delete fails is logged and left behind (harmless: unreachable without a row).
import { deleteFileById, deleteFilesByConversationId, listStorageKeysByUserId } from "@/db/queries/files";
import { fileStore } from "./storage";

async function deleteObjects(keys: string[]): Promise<void> {
  await Promise.all(
    keys.map((k) => fileStore().delete(k).catch((err: unknown) => console.warn("[files] object delete failed", (err as Error)?.name ?? "error"))),
  );
}

export async function deleteFile(args: { id: string; userId: string }): Promise<boolean> {
  const { found, orphanKeys } = await deleteFileById(args);
  await deleteObjects(orphanKeys);
  return found;
}

/** Before a conversation is deleted: its files' rows and objects. */
export async function deleteConversationFiles(args: { conversationId: string; userId: string }): Promise<void> {
  await deleteObjects(await deleteFilesByConversationId(args));
}

/** When an account is deleted: every object it stored (its rows go with the users row, by cascade). */
export async function deleteAccountFiles(args: { userId: string }): Promise<void> {
  await deleteObjects(await listStorageKeysByUserId(args));
}
