// An upload from spooled temporary file to stored object and files row: limits of the tier, the
// same bytes of the same user stored once, images re-encoded, PDFs and text extracted in a worker.
import fs from "node:fs/promises";
import { type FileMeta, findFileBySha256, insertFileWithObject, storedBytesByUserId } from "@/db/queries/files";
import type { SessionUser } from "@/lib/auth/session-user";
import { AppError } from "@/lib/errors";
import { tierLimits } from "@/lib/limits/config";
import { catalogEncodings } from "@/lib/models/catalog";
import { extractInWorker } from "./extract";
import { normalizeImage } from "./image";
import { fileStore } from "./storage";
import type { ImageMime } from "./types";
import { fileTooLarge, formatMb, spoolBytes, spoolUpload, type SpooledUpload } from "./upload";

export function storageKeyFor(userId: string, sha256: string): string {
  return `u/${userId.toLowerCase()}/${sha256}`;
}

function quotaExceeded(used: number, total: number): AppError {
  return new AppError(
    "rate_limit_error",
    "storage_quota_exceeded",
    `Your files use ${formatMb(used)} of ${formatMb(total)}; delete conversations with attachments to make room.`,
    { status: 429 },
  );
}

/** Processes the upload (images re-encoded, text extracted in the owner's turn) and stores its object. */
async function store(up: SpooledUpload, key: string, owner: string) {
  const encodings = catalogEncodings();
  const { detected } = up;
  if (detected.kind === "image") {
    const img = await normalizeImage(up.tmpPath, detected.mime as ImageMime);
    await fileStore().putBytes(key, img.data, img.mime);
    const tokens = Object.fromEntries(encodings.map((e) => [e, img.tokens]));
    return { mime: img.mime, width: img.width, height: img.height, tokens, pages: null, lines: null, pageTexts: null };
  }
  const x = await extractInWorker({ path: up.tmpPath, kind: detected.kind, encodings, textEncoding: detected.textEncoding, owner });
  await fileStore().putFile(key, up.tmpPath, up.size, detected.kind === "pdf" ? "application/pdf" : "text/plain; charset=utf-8");
  return { mime: detected.mime, width: null, height: null, tokens: x.tokens, pages: x.pages ?? null, lines: x.lines ?? null, pageTexts: x.pageTexts };
}

/**
 * Under the key's lock, after the row is in: the object must still be there. A delete of the last
 * earlier row with these bytes (the user removed it, its chat went, the unsent sweep took it) may
 * have removed it meanwhile; the upload is still spooled, so it is stored again.
 */
function ensureStored(up: SpooledUpload, key: string, owner: string): () => Promise<void> {
  return async () => {
    if (!(await fileStore().has(key))) await store(up, key, owner);
  };
}

/** POST /api/files: the request's single file, checked, stored and recorded for `user`. */
export async function ingestUpload(user: SessionUser, req: Request): Promise<FileMeta> {
  return ingestSpooled(user, await spoolUpload(req, tierLimits(user.tier).files.bytesPerFile));
}

/** A file that arrived inside a JSON body (an API content part): the same checks as an upload. */
export async function ingestBytes(user: SessionUser, name: string, data: Buffer): Promise<FileMeta> {
  const limit = tierLimits(user.tier).files.bytesPerFile;
  if (data.length > limit) throw fileTooLarge(limit);
  return ingestSpooled(user, await spoolBytes(name, data));
}

async function ingestSpooled(user: SessionUser, up: SpooledUpload): Promise<FileMeta> {
  const limits = tierLimits(user.tier).files;
  try {
    const existing = await findFileBySha256({ sha256: up.sha256, userId: user.id });
    if (existing) {
      // Same bytes again: one object, the earlier extraction; a new row so each message has its own.
      return await insertFileWithObject(
        {
          userId: user.id,
          kind: existing.kind,
          mime: existing.mime,
          name: up.name,
          language: up.detected.language,
          size: existing.size,
          sha256: existing.sha256,
          storageKey: existing.storageKey,
          width: existing.width,
          height: existing.height,
          pages: existing.pages,
          lines: existing.lines,
          tokens: existing.tokens,
          pageTexts: existing.pageTexts,
        },
        ensureStored(up, existing.storageKey, user.id),
      );
    }
    const used = await storedBytesByUserId({ userId: user.id });
    if (used + up.size > limits.totalBytes) throw quotaExceeded(used, limits.totalBytes);
    const key = storageKeyFor(user.id, up.sha256);
    const stored = await store(up, key, user.id);
    return await insertFileWithObject(
      { userId: user.id, kind: up.detected.kind, name: up.name, language: up.detected.language, size: up.size, sha256: up.sha256, storageKey: key, ...stored },
      ensureStored(up, key, user.id),
    );
  } finally {
    await fs.rm(up.tmpPath, { force: true });
  }
}
