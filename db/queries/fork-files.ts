// The files a forked conversation takes along. A fork (a shared snapshot continued by a visitor,
// a branch into a new chat) copies its messages (branches.ts forkPath); their content_parts name
// files by id — uploads in user messages (`file_id`), a tool step's files in its tool message's
// result — and those files belong to the source's owner and conversation. Left as they were, the
// fork would point at another account's rows (404 for the new owner, or gone once the source is
// deleted). So the fork gets its own rows: owned by the fork's user, in the fork's conversation,
// attached to the copied messages, with a storage key the caller chooses (the new owner's key for the
// same bytes; the caller puts the object there first, lib/share/fork.ts). Only files of the source's
// owner and of the source conversation are taken: an id in a part that names anything else (an
// imported chat can carry any text) is dropped from the copy, never followed.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "../index";
import { type Conversation, type FileRow, files, messages } from "../schema";
import { type Executor, isUuid, resolve } from "./executor";

/** A source file a fork references (every column but the extracted text). */
export type ForkFile = Pick<FileRow, "id" | "userId" | "messageId" | "kind" | "mime" | "size" | "sha256" | "storageKey">;

/** The fork needs files whose objects the caller has not put in place yet: copy them, then try again. */
export class ForkFilesChanged extends Error {
  constructor(readonly missing: ForkFile[]) {
    super("The fork's files changed while it was being made.");
  }
}

export interface ForkFilesPlan {
  /** The new owner's storage key for a source file (its object must exist there before the rows do). */
  keyFor: (file: ForkFile) => string;
  /** Source file ids whose object is at keyFor(file). Absent: every key is already in place (same owner). */
  ready?: ReadonlySet<string>;
  /** Source file ids whose object could not be copied (deleted meanwhile): left out of the fork. */
  gone?: ReadonlySet<string>;
}

type PathRow = Pick<typeof messages.$inferSelect, "id" | "sequenceNum" | "contentParts">;

/** The path root → leaf of a conversation, with each message's parts. */
async function pathOf(db: Executor, conversationId: string, leafId: string): Promise<PathRow[]> {
  const ids = sql`
    with recursive path (id, parent_id) as (
      select m.id, m.parent_id from ${messages} m where m.id = ${leafId}::uuid and m.conversation_id = ${conversationId}::uuid
      union all
      select m.id, m.parent_id from ${messages} m join path on m.id = path.parent_id
    )
    select id from path`;
  return db
    .select({ id: messages.id, sequenceNum: messages.sequenceNum, contentParts: messages.contentParts })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), sql`${messages.id} in (${ids})`))
    .orderBy(asc(messages.sequenceNum));
}

type Part = Record<string, unknown>;

/** The file ids a message's parts name: an attachment's `file_id`, a tool result's `files[].id`. */
function referencedIds(parts: unknown[] | null): string[] {
  const out: string[] = [];
  for (const raw of parts ?? []) {
    const p = raw as Part | null;
    if (p?.type === "file" && typeof p.file_id === "string") out.push(p.file_id);
    if (p?.type === "tool_result" && Array.isArray(p.files)) {
      for (const f of p.files as Part[]) if (typeof f?.id === "string") out.push(f.id);
    }
  }
  return out.filter(isUuid);
}

/** The parts with each file id replaced by its copy's; references without a copy are dropped. */
function remapParts(parts: unknown[], ids: ReadonlyMap<string, string>): unknown[] {
  const out: unknown[] = [];
  for (const raw of parts) {
    const p = raw as Part | null;
    if (p?.type === "file" && typeof p.file_id === "string") {
      const id = ids.get(p.file_id);
      if (id) out.push({ ...p, file_id: id });
    } else if (p?.type === "tool_result" && Array.isArray(p.files)) {
      const kept = (p.files as Part[]).flatMap((f) => {
        const id = typeof f?.id === "string" ? ids.get(f.id) : undefined;
        return id ? [{ ...f, id }] : [];
      });
      out.push({ ...p, files: kept });
    } else {
      out.push(raw);
    }
  }
  return out;
}

/**
 * The files the path root → `leafId` of `conversationId` references that a fork may take: the
 * owner's, of that conversation. For the caller's object copies before the fork's transaction.
 */
export async function listPathFiles(args: { conversationId: string; ownerId: string; leafId: string }, exec?: Executor): Promise<ForkFile[]> {
  if (!isUuid(args.conversationId) || !isUuid(args.leafId)) return [];
  const db = await resolve(exec);
  return pathFiles(db, args.conversationId, args.ownerId, await pathOf(db, args.conversationId, args.leafId));
}

async function pathFiles(db: Executor, conversationId: string, ownerId: string, path: PathRow[]): Promise<ForkFile[]> {
  const ids = [...new Set(path.flatMap((m) => referencedIds(m.contentParts)))];
  if (!ids.length) return [];
  return db
    .select({ id: files.id, userId: files.userId, messageId: files.messageId, kind: files.kind, mime: files.mime, size: files.size, sha256: files.sha256, storageKey: files.storageKey })
    .from(files)
    .where(and(inArray(files.id, ids), eq(files.userId, ownerId), eq(files.conversationId, conversationId)));
}

/**
 * In the fork's transaction, right after forkPath copied the path root → fork.branchPoint of
 * `source` into `fork`: a files row per referenced source file for the fork's owner (same bytes,
 * metadata and extracted text; the plan's storage key), attached to the copy of its message (or of
 * the message that references it, when its own is not on the path), and the copied messages' parts
 * pointed at them. Throws ForkFilesChanged when a file needs an object the plan does not have.
 * Returns how many files the fork took.
 */
export async function copyForkFiles(tx: Tx, args: { source: Conversation; fork: Conversation; plan: ForkFilesPlan | null }): Promise<number> {
  const { source, fork, plan } = args;
  if (!fork.branchPoint) return 0;
  const [path, copies] = await Promise.all([
    pathOf(tx, source.id, fork.branchPoint),
    tx.select({ id: messages.id, sequenceNum: messages.sequenceNum, contentParts: messages.contentParts }).from(messages).where(eq(messages.conversationId, fork.id)),
  ]);
  // No plan: the fork takes no files, and its parts name none of the source's.
  const wanted = plan ? await pathFiles(tx, source.id, source.userId, path) : [];
  const missing = wanted.filter((f) => plan?.ready && !plan.ready.has(f.id) && !plan.gone?.has(f.id));
  if (missing.length) throw new ForkFilesChanged(missing);
  const taken = wanted.filter((f) => !plan?.gone?.has(f.id));

  // The fork's path has one message per depth, copied with its depth: old id → new id by depth.
  const newByDepth = new Map(copies.map((m) => [m.sequenceNum, m.id]));
  const newMessageId = new Map(path.map((m) => [m.id, newByDepth.get(m.sequenceNum)!]));
  const referencedBy = new Map<string, string>();
  for (const m of path) for (const id of referencedIds(m.contentParts)) if (!referencedBy.has(id)) referencedBy.set(id, m.id);

  const newFileId = new Map<string, string>();
  if (taken.length) {
    const full = await tx.select().from(files).where(inArray(files.id, taken.map((f) => f.id)));
    const rows = full.map((f) => {
      const id = crypto.randomUUID();
      newFileId.set(f.id, id);
      const onPath = f.messageId && newMessageId.has(f.messageId) ? f.messageId : referencedBy.get(f.id)!;
      return { ...f, id, userId: fork.userId, conversationId: fork.id, messageId: newMessageId.get(onPath)!, storageKey: plan!.keyFor(f), createdAt: undefined };
    });
    await tx.insert(files).values(rows);
  }
  // Every copied message that names a file gets its parts remapped (dropped references included).
  for (const m of path) {
    if (!referencedIds(m.contentParts).length) continue;
    await tx
      .update(messages)
      .set({ contentParts: remapParts(m.contentParts ?? [], newFileId) })
      .where(and(eq(messages.id, newMessageId.get(m.id)!), eq(messages.conversationId, fork.id)));
  }
  return taken.length;
}

/** Of `keys`, those no files row of the user references (objects a failed or superseded fork copied for nothing). */
export async function unreferencedKeys(args: { userId: string; keys: string[] }, exec?: Executor): Promise<string[]> {
  if (!args.keys.length) return [];
  const db = await resolve(exec);
  const used = await db
    .selectDistinct({ storageKey: files.storageKey })
    .from(files)
    .where(and(eq(files.userId, args.userId), inArray(files.storageKey, args.keys)));
  const kept = new Set(used.map((u) => u.storageKey));
  return args.keys.filter((k) => !kept.has(k));
}
