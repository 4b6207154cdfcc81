// Receives one multipart upload: streamed through busboy to a temporary file while it is hashed,
// counted against the byte limit and typed from its first bytes — never held in memory whole. A
// refused type or an oversized file stops the upload at that point.
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import busboy from "busboy";
import { AppError, errors } from "@/lib/errors";
import { detectType, SNIFF_BYTES, type TextEncoding } from "./detect";
import type { DetectedType } from "./types";

export interface SpooledUpload {
  tmpPath: string;
  name: string;
  size: number;
  sha256: string;
  detected: DetectedType & { textEncoding: TextEncoding | null };
  /** The conversation the composer belongs to (a hint kept for nothing but the client's bookkeeping). */
  fields: Record<string, string>;
}

const MB = 1024 * 1024;

export function fileTooLarge(limit: number): AppError {
  return errors.tooLarge(`This file is larger than ${formatMb(limit)}, the limit per file on your plan.`, "file_too_large");
}

export function formatMb(bytes: number): string {
  return bytes >= MB ? `${Math.round((bytes / MB) * 10) / 10} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * Control characters, and the bidirectional-text controls (marks, embeddings, overrides, isolates) that
 * make "report\u202Efdp.bat" display as "reporttab.pdf" on a share page or in a download prompt.
 */
const UNSAFE_NAME_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The original name as metadata only: no path, no control or bidi-control characters, bounded. Escaped wherever shown. */
export function cleanFileName(raw: string | undefined): string {
  const base = (raw ?? "").split(/[\\/]/).pop() ?? "";
  const clean = base.replace(UNSAFE_NAME_CHARS, "").trim().slice(0, 200);
  return clean || "file";
}

export async function spoolUpload(req: Request, maxBytes: number): Promise<SpooledUpload> {
  if (!req.body) throw errors.badRequest("Attach a file in the form field \"file\".", "missing_file", "file");
  // Multipart framing adds a little; a declared length far past the limit is refused before reading.
  if (Number(req.headers.get("content-length") ?? 0) > maxBytes + 64 * 1024) throw fileTooLarge(maxBytes);
  const dir = path.join(os.tmpdir(), "chatgate-uploads");
  await fs.mkdir(dir, { recursive: true });
  const tmpPath = path.join(dir, randomUUID());

  let bb: busboy.Busboy;
  try {
    bb = busboy({
      headers: { "content-type": req.headers.get("content-type") ?? "" },
      // Browsers send file names as raw UTF-8 in the part header; busboy would read them as Latin-1.
      defParamCharset: "utf8",
      limits: { files: 1, fileSize: maxBytes, fields: 4, fieldSize: 1024, parts: 6 },
    });
  } catch {
    // busboy's constructor throws for a content type it cannot read ("Multipart: Boundary not found").
    throw errors.badRequest("The upload is not valid multipart/form-data (its Content-Type needs a boundary).", "invalid_upload");
  }
  const fields: Record<string, string> = {};
  bb.on("field", (name, value) => {
    fields[name] = value;
  });

  const filePromise = new Promise<Omit<SpooledUpload, "fields">>((resolve, reject) => {
    let seen = false;
    bb.on("file", (field, stream, info) => {
      if (field !== "file" || seen) {
        stream.resume();
        return;
      }
      seen = true;
      const name = cleanFileName(info.filename);
      const hash = createHash("sha256");
      let size = 0;
      let head = Buffer.alloc(0);
      let detected: SpooledUpload["detected"] | null = null;
      let tooLarge = false;
      stream.on("limit", () => {
        tooLarge = true;
        stream.destroy(fileTooLarge(maxBytes));
      });
      const sniff = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          hash.update(chunk);
          if (detected || head.length >= SNIFF_BYTES) return done(null, chunk);
          head = Buffer.concat([head, chunk]);
          if (head.length < SNIFF_BYTES) return done(null, chunk);
          detectType(head.subarray(0, SNIFF_BYTES), name, false).then(
            (d) => {
              detected = d;
              done(null, chunk);
            },
            (err: unknown) => done(err as Error),
          );
        },
        flush(done) {
          if (detected) return done();
          detectType(head, name, true).then(
            (d) => {
              detected = d;
              done();
            },
            (err: unknown) => done(err as Error),
          );
        },
      });
      pipeline(stream, sniff, createWriteStream(tmpPath)).then(
        () => {
          if (tooLarge) return reject(fileTooLarge(maxBytes));
          resolve({ tmpPath, name, size, sha256: hash.digest("hex"), detected: detected! });
        },
        (err: unknown) => reject(tooLarge ? fileTooLarge(maxBytes) : err),
      );
    });
    bb.on("close", () => {
      if (!seen) reject(errors.badRequest("Attach a file in the form field \"file\".", "missing_file", "file"));
    });
    bb.on("error", () => reject(errors.badRequest("The upload is not valid multipart/form-data.", "invalid_upload")));
  });

  const source = Readable.fromWeb(req.body as unknown as WebReadableStream<Uint8Array>);
  try {
    source.on("error", (err) => bb.destroy(err));
    source.pipe(bb);
    const file = await filePromise;
    return { ...file, fields };
  } catch (err) {
    // Read the rest and drop it, so the client gets this answer rather than a reset connection.
    source.unpipe(bb);
    source.resume();
    await fs.rm(tmpPath, { force: true });
    throw err instanceof AppError ? err : errors.badRequest("The upload is not valid multipart/form-data.", "invalid_upload");
  }
}

/** The same spooled form for bytes already in memory (API content parts, bounded by the body limit). */
export async function spoolBytes(rawName: string, data: Buffer): Promise<SpooledUpload> {
  const name = cleanFileName(rawName);
  const detected = await detectType(data.subarray(0, SNIFF_BYTES), name, data.length <= SNIFF_BYTES);
  const dir = path.join(os.tmpdir(), "chatgate-uploads");
  await fs.mkdir(dir, { recursive: true });
  const tmpPath = path.join(dir, randomUUID());
  await fs.writeFile(tmpPath, data);
  return { tmpPath, name, size: data.length, sha256: createHash("sha256").update(data).digest("hex"), detected, fields: {} };
}
