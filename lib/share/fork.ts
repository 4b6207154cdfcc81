// "Continue this conversation" (POST /api/share/:token/continue): the snapshot becomes the viewer's
// own chat, files included. The files its messages reference (uploads, a tool step's images and
// artifacts) are the sharer's; the fork gets its own copies — objects under the viewer's keys, rows
// owned by the viewer (db/queries/fork-files.ts) — so it keeps working after the sharer deletes the
// conversation, the files or the account, or revokes the link, and it never names the sharer's
// files, which the viewer cannot reach.
//
// Objects first, rows after: the copies are made before the fork's transaction (no storage I/O
// inside it), which then checks it has every object it needs; a snapshot that moved meanwhile asks
// for the rest and the fork is tried again. Objects copied for nothing are deleted at the end.
import { findFileBySha256, storedBytesByUserId } from "@/db/queries/files";
import { type ForkFile, ForkFilesChanged, unreferencedKeys } from "@/db/queries/fork-files";
import { forkSharedConversation, listSharedSnapshotFiles } from "@/db/queries/shares";
import type { Conversation } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/session-user";
import { AppError, errors } from "@/lib/errors";
import { copyFileObject, deleteFileObjects, storedContentType } from "@/lib/files/copy";
import { storageKeyFor } from "@/lib/files/ingest";
import { formatMb } from "@/lib/files/upload";
import { tierLimits } from "@/lib/limits/config";

const ATTEMPTS = 3;

interface Placement {
  keyFor: (file: ForkFile) => string;
  /** Source file ids whose object is at the viewer's key. */
  ready: Set<string>;
  /** Source file ids whose object was gone (deleted while the fork was made): left out. */
  gone: Set<string>;
  /** Keys this fork wrote, for the clean-up. */
  written: string[];
}

export async function continueSharedConversation(user: SessionUser, token: string): Promise<Conversation> {
  const placement: Placement = { keyFor: (f) => storageKeyFor(user.id, f.sha256), ready: new Set(), gone: new Set(), written: [] };
  try {
    let files = await listSharedSnapshotFiles({ token });
    if (!files) throw errors.notFound("share");
    for (let attempt = 1; ; attempt++) {
      await placeObjects(user, files, placement);
      try {
        const fork = await forkSharedConversation({ token, userId: user.id, files: placement });
        if (!fork) throw errors.notFound("share");
        return fork;
      } catch (err) {
        if (!(err instanceof ForkFilesChanged)) throw err;
        if (attempt >= ATTEMPTS) {
          throw new AppError("invalid_request_error", "share_changed", "The shared conversation changed while it was being copied. Try again.", { status: 409, cause: err });
        }
        files = err.missing;
      }
    }
  } finally {
    // Objects copied for nothing (the fork failed, or the snapshot moved past them): no row of the viewer uses them.
    if (placement.written.length) await deleteFileObjects(await unreferencedKeys({ userId: user.id, keys: placement.written }));
  }
}

/** Puts each file's object at the viewer's key: already there (same owner, or the same bytes stored before) or copied. */
async function placeObjects(user: SessionUser, files: ForkFile[], p: Placement): Promise<void> {
  const todo = files.filter((f) => !p.ready.has(f.id) && !p.gone.has(f.id));
  if (!todo.length) return;
  const shas = [...new Set(todo.map((f) => f.sha256))];
  // The viewer already keeps these bytes: one object per owner and content, as for uploads.
  const kept = new Set((await Promise.all(shas.map((sha256) => findFileBySha256({ sha256, userId: user.id })))).flatMap((f) => (f ? [f.sha256] : [])));
  const toCopy = todo.filter((f) => p.keyFor(f) !== f.storageKey && !kept.has(f.sha256));

  // The copies count against the viewer's storage like uploads (each content once).
  const adding = new Map(toCopy.map((f) => [f.sha256, f.size]));
  const bytes = [...adding.values()].reduce((a, b) => a + b, 0);
  if (bytes > 0) {
    const total = tierLimits(user.tier).files.totalBytes;
    const used = await storedBytesByUserId({ userId: user.id });
    if (used + bytes > total) {
      throw new AppError(
        "rate_limit_error",
        "storage_quota_exceeded",
        `This conversation's files need ${formatMb(bytes)}; yours use ${formatMb(used)} of ${formatMb(total)}. Delete conversations with attachments to make room.`,
        { status: 429 },
      );
    }
  }

  // One at a time (a conversation's files are few; each copy streams through a temporary file).
  const copied = new Map<string, boolean>(); // by key: the same bytes twice are copied once
  for (const f of toCopy) {
    const key = p.keyFor(f);
    if (copied.has(key)) continue;
    const ok = await copyFileObject(f.storageKey, key, storedContentType(f));
    if (ok) p.written.push(key);
    copied.set(key, ok);
  }
  for (const f of todo) {
    if (copied.get(p.keyFor(f)) === false) p.gone.add(f.id);
    else p.ready.add(f.id);
  }
}
