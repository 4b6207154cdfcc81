// Copying a stored object to another key of the configured store (local disk or S3), for files that
// change hands: a forked conversation's files become the new owner's own objects (lib/share/fork.ts),
// so the fork does not depend on the original's account, conversation or share link.
//
// Through the FileStore interface only (read a stream, spool it to a temporary file, put the file):
// the memory used stays flat whatever the size, and both stores behave the same. S3's server-side
// CopyObject would spare the round trip through this host, but needs a method on the store itself.
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { fileStore } from "./storage";
import type { FileKind } from "./types";

/** The content type an object of this kind is stored with (as uploads and tool files store them). */
export function storedContentType(file: { kind: FileKind; mime: string }): string {
  if (file.kind === "image") return file.mime;
  return file.kind === "pdf" ? "application/pdf" : "application/octet-stream";
}

/** Copies the object at `fromKey` to `toKey`; false when there is nothing at `fromKey` (deleted meanwhile). */
export async function copyFileObject(fromKey: string, toKey: string, contentType: string): Promise<boolean> {
  const store = fileStore();
  const source = await store.getStream(fromKey);
  if (!source) return false;
  const dir = path.join(os.tmpdir(), "chatgate-copies");
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, randomUUID());
  try {
    await pipeline(source, createWriteStream(tmp));
    // The object's own size: a stored image was re-encoded, so its row's size is the upload's.
    const { size } = await fs.stat(tmp);
    await store.putFile(toKey, tmp, size, contentType);
    return true;
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/** Deletes objects; one that fails is logged and left (unreachable without a row, as in remove.ts). */
export async function deleteFileObjects(keys: string[]): Promise<void> {
  await Promise.all(
    keys.map((k) => fileStore().delete(k).catch((err: unknown) => console.warn("[files] object delete failed", (err as Error)?.name ?? "error"))),
  );
}
