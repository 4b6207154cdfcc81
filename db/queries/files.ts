// Uploaded files (issue 14). Owner id in every WHERE; a miss (another user's id, a malformed id) is
// null or an empty list, which the routes answer 404. The share lookup is the one exception: its
// token is the capability, and it only finds files attached to a message of the shared snapshot.
import { and, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { conversations, type FileRow, files, messages, type NewFileRow } from "../schema";
import { type Executor, isUuid, resolve } from "./executor";

export type FileMeta = Omit<FileRow, "pageTexts">;

/** Every column but the extracted text (which can be megabytes). */
const meta = {
  id: files.id,
  userId: files.userId,
  conversationId: files.conversationId,
  messageId: files.messageId,
  kind: files.kind,
  mime: files.mime,
  name: files.name,
  language: files.language,
  size: files.size,
  sha256: files.sha256,
  storageKey: files.storageKey,
  width: files.width,
  height: files.height,
  pages: files.pages,
  lines: files.lines,
  tokens: files.tokens,
  createdAt: files.createdAt,
};

export async function insertFile(row: NewFileRow & { userId: string }, exec?: Executor): Promise<FileMeta> {
  const db = await resolve(exec);
  const [created] = await db.insert(files).values(row).returning(meta);
  return created;
}

export async function getFileById(args: { id: string; userId: string }, exec?: Executor): Promise<FileMeta | null> {
  if (!isUuid(args.id)) return null;
  const db = await resolve(exec);
  const [row] = await db.select(meta).from(files).where(and(eq(files.id, args.id), eq(files.userId, args.userId)));
  return row ?? null;
}

/** With the extracted text, for the prompt. Only the caller's files; missing ids are simply absent. */
export async function listFilesWithTextByIds(args: { ids: string[]; userId: string }, exec?: Executor): Promise<FileRow[]> {
  const ids = args.ids.filter(isUuid);
  if (ids.length === 0) return [];
  const db = await resolve(exec);
  return db.select().from(files).where(and(inArray(files.id, ids), eq(files.userId, args.userId)));
}

/** An earlier upload of the same bytes by this user: its extraction is reused and nothing is stored again. */
export async function findFileBySha256(args: { sha256: string; userId: string }, exec?: Executor): Promise<FileRow | null> {
  const db = await resolve(exec);
  const [row] = await db
    .select()
    .from(files)
    .where(and(eq(files.userId, args.userId), eq(files.sha256, args.sha256)))
    .limit(1);
  return row ?? null;
}

/** Bytes the user keeps in the store: each distinct content once (deduplicated objects). */
export async function storedBytesByUserId(args: { userId: string }, exec?: Executor): Promise<number> {
  const db = await resolve(exec);
  const [row] = await db
    .select({ total: sql<string>`coalesce(sum(d.size), 0)` })
    .from(
      db
        .selectDistinctOn([files.sha256], { size: files.size })
        .from(files)
        .where(eq(files.userId, args.userId))
        .as("d"),
    );
  return Number(row?.total ?? 0);
}

/**
 * Attaches uploads to a just-saved message: only the caller's files that are not attached yet.
 * Returns the ids attached; fewer than asked means some were not the caller's (→ 404).
 */
export async function attachFilesToMessage(
  args: { ids: string[]; userId: string; conversationId: string; messageId: string },
  exec?: Executor,
): Promise<string[]> {
  const ids = args.ids.filter(isUuid);
  if (ids.length === 0) return [];
  const db = await resolve(exec);
  const rows = await db
    .update(files)
    .set({ conversationId: args.conversationId, messageId: args.messageId })
    .where(and(inArray(files.id, ids), eq(files.userId, args.userId), isNull(files.messageId)))
    .returning({ id: files.id });
  return rows.map((r) => r.id);
}

/** Deletes the objects no row names any more; called inside the deleting transaction, under the keys' locks. */
export type RemoveObjects = (keys: string[]) => Promise<void>;

/**
 * Serialises everything that decides an object's fate: a deleter's "no row uses this key any more,
 * delete the object" against an inserter's "a new row uses this key, the object must exist". Keys
 * are shared between rows (the same bytes of one user are stored once), so without this a delete
 * could remove the object a concurrent upload of the same bytes (or an edit's copy) just pointed a
 * new row at. Transaction-scoped advisory locks, taken in key order so two deleters cannot deadlock.
 */
async function lockStorageKeys(tx: Executor, keys: string[]): Promise<void> {
  const sorted = [...new Set(keys)].sort();
  if (sorted.length === 0) return;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(k, 0))
    from (select k from unnest(${`{${sorted.map((k) => `"${k}"`).join(",")}}`}::text[]) k order by k) s`);
}

/**
 * Deletes rows, then — under the keys' locks, inside the same transaction — the objects no remaining
 * row uses (rows first: an object left behind by a failed delete is unreachable, never the other way).
 */
type DeletedRow = { userId: string; sha256: string; storageKey: string };
const deletedCols = { userId: files.userId, sha256: files.sha256, storageKey: files.storageKey };

async function deleteRowsAndOrphans(tx: Executor, deleted: DeletedRow[], removeObjects: RemoveObjects): Promise<string[]> {
  const keys = [...new Set(deleted.map((d) => d.storageKey))];
  if (keys.length === 0) return [];
  await lockStorageKeys(tx, keys);
  // Read after the locks: a row another transaction added for one of these keys is visible now.
  // Owner and hash narrow it through files_user_sha256_idx (a key is made of the two).
  const still = await tx
    .select({ storageKey: files.storageKey })
    .from(files)
    .where(
      and(
        inArray(files.userId, [...new Set(deleted.map((d) => d.userId))]),
        inArray(files.sha256, [...new Set(deleted.map((d) => d.sha256))]),
        inArray(files.storageKey, keys),
      ),
    );
  const kept = new Set(still.map((s) => s.storageKey));
  const orphans = keys.filter((k) => !kept.has(k));
  await removeObjects(orphans);
  return orphans;
}

async function deleteWhere(db: Executor, userId: string, where: ReturnType<typeof and>, removeObjects: RemoveObjects): Promise<string[]> {
  const deleted = await db.delete(files).where(and(eq(files.userId, userId), where)).returning(deletedCols);
  return deleteRowsAndOrphans(db, deleted, removeObjects);
}

/**
 * Inserts a row for an object that was stored before (or is shared with an earlier row), then —
 * under the key's lock — makes sure the object still exists (`ensureObject` stores it again when a
 * concurrent delete took it), so the new row never names a missing object.
 */
export async function insertFileWithObject(
  row: NewFileRow & { userId: string },
  ensureObject: () => Promise<void>,
  exec?: Executor,
): Promise<FileMeta> {
  const db = await resolve(exec);
  return db.transaction(async (tx) => {
    await lockStorageKeys(tx, [row.storageKey]);
    const [created] = await tx.insert(files).values(row).returning(meta);
    await ensureObject();
    return created;
  });
}

export async function deleteFileById(args: { id: string; userId: string }, removeObjects: RemoveObjects, exec?: Executor): Promise<boolean> {
  if (!isUuid(args.id)) return false;
  const db = await resolve(exec);
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ id: files.id }).from(files).where(and(eq(files.id, args.id), eq(files.userId, args.userId)));
    if (!row) return false;
    await deleteWhere(tx, args.userId, eq(files.id, args.id), removeObjects);
    return true;
  });
}

export async function deleteFilesByConversationId(args: { conversationId: string; userId: string }, removeObjects: RemoveObjects, exec?: Executor): Promise<string[]> {
  if (!isUuid(args.conversationId)) return [];
  const db = await resolve(exec);
  return db.transaction((tx) => deleteWhere(tx, args.userId, eq(files.conversationId, args.conversationId), removeObjects));
}

/**
 * The background sweep of uploads never sent (lib/files/sweep.ts): up to `limit` rows with no message
 * created before `before`, of every user (a maintenance job, not a request: there is no owner to
 * scope by), and their objects when no other row uses them. Rows whose message went (message_id set
 * null) are as unreachable and go too. `skip locked`: instances sweeping at once take different rows.
 */
export async function sweepUnsentFiles(args: { before: Date; limit: number }, removeObjects: RemoveObjects, exec?: Executor): Promise<number> {
  const db = await resolve(exec);
  return db.transaction(async (tx) => {
    const candidates = tx
      .select({ id: files.id })
      .from(files)
      .where(and(isNull(files.messageId), lt(files.createdAt, args.before)))
      .orderBy(files.createdAt)
      .limit(args.limit)
      .for("update", { skipLocked: true });
    const deleted = await tx.delete(files).where(inArray(files.id, candidates)).returning(deletedCols);
    await deleteRowsAndOrphans(tx, deleted, removeObjects);
    return deleted.length;
  });
}

/**
 * A new version of a message keeps files sent earlier in the same conversation (an edit): each gets
 * a row of its own for the new message (`toId`, chosen before the message was saved, as its
 * content_parts name it), sharing the stored object and the extracted text. Only the caller's
 * files of that conversation are copied; returns the new ids.
 */
export async function copyFilesToMessage(
  args: { copies: { fromId: string; toId: string }[]; userId: string; conversationId: string; messageId: string },
  exec?: Executor,
): Promise<string[]> {
  const copies = args.copies.filter((c) => isUuid(c.fromId) && isUuid(c.toId));
  if (copies.length === 0) return [];
  const db = await resolve(exec);
  const from = `{${copies.map((c) => c.fromId).join(",")}}`;
  const to = `{${copies.map((c) => c.toId).join(",")}}`;
  return db.transaction(async (tx) => {
    const sources = await tx
      .select({ storageKey: files.storageKey })
      .from(files)
      .where(and(inArray(files.id, copies.map((c) => c.fromId)), eq(files.userId, args.userId), eq(files.conversationId, args.conversationId)));
    // Locked before the copy reads its source, so a concurrent delete either sees the copy or the copy sees no source.
    await lockStorageKeys(tx, sources.map((s) => s.storageKey));
    const rows = rowsOf<{ id: string }>(
      await tx.execute(sql`
        insert into ${files} (id, user_id, conversation_id, message_id, kind, mime, name, language, size, sha256, storage_key,
                              width, height, pages, lines, tokens, page_texts)
        select c.to_id, f.user_id, f.conversation_id, ${args.messageId}::uuid, f.kind, f.mime, f.name, f.language, f.size, f.sha256,
               f.storage_key, f.width, f.height, f.pages, f.lines, f.tokens, f.page_texts
          from unnest(${from}::uuid[], ${to}::uuid[]) as c(from_id, to_id)
          join ${files} f on f.id = c.from_id
         where f.user_id = ${args.userId}::uuid and f.conversation_id = ${args.conversationId}::uuid
        returning id`),
    );
    return rows.map((r) => r.id);
  });
}

/** postgres.js returns the rows array, PGlite `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}

/**
 * A file shown on a share page: attached to a message on the shared snapshot's path (root → the
 * snapshot's leaf). Later messages, other branches and unattached uploads are not reachable.
 */
export async function getSharedFile(args: { token: string; fileId: string }, exec?: Executor): Promise<FileMeta | null> {
  if (!isUuid(args.fileId) || !/^[A-Za-z0-9_-]{32}$/.test(args.token)) return null;
  const db = await resolve(exec);
  const [row] = await db
    .select(meta)
    .from(files)
    .innerJoin(conversations, eq(conversations.id, files.conversationId))
    .where(
      and(
        eq(files.id, args.fileId),
        eq(conversations.shareToken, args.token),
        eq(files.userId, conversations.userId),
        sql`${files.messageId} in (
          with recursive path (id, parent_id) as (
            select m.id, m.parent_id from ${messages} m where m.id = ${conversations.shareMessageId}
            union all
            select m.id, m.parent_id from ${messages} m join path on m.id = path.parent_id
          )
          select id from path)`,
      ),
    );
  return row ?? null;
}

/** content_parts of the caller's messages (the attachments they reference), by message id. */
export async function listContentPartsByMessageIds(
  args: { messageIds: string[]; userId: string },
  exec?: Executor,
): Promise<Map<string, unknown[]>> {
  const ids = args.messageIds.filter(isUuid);
  if (ids.length === 0) return new Map();
  const db = await resolve(exec);
  const rows = await db
    .select({ id: messages.id, contentParts: messages.contentParts })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(inArray(messages.id, ids), eq(conversations.userId, args.userId), sql`${messages.contentParts} is not null`));
  return new Map(rows.map((r) => [r.id, r.contentParts ?? []]));
}
