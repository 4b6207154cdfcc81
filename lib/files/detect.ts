// The type of an upload from its bytes — file-type's magic numbers, then a text check — never from
// the name or Content-Type the client sent. Only the first bytes are looked at here (the upload is
// still streaming); the extraction worker validates the whole text later.
import { fileTypeFromBuffer } from "file-type";
import { AppError } from "@/lib/errors";
import { extensionOf, languageOf, MARKUP_EXTENSIONS } from "./languages";
import { ACCEPTED_DESCRIPTION, type DetectedType, IMAGE_MIMES } from "./types";

/** file-type needs at most this many bytes to recognise any format it knows. */
export const SNIFF_BYTES = 4100;

export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be";

export function refused(message: string): AppError {
  return new AppError("invalid_request_error", "unsupported_file_type", `${message} You can attach ${ACCEPTED_DESCRIPTION}.`, {
    status: 415,
  });
}

/** The byte-order mark, if any, and the encoding it names. */
export function bomOf(head: Uint8Array): { encoding: TextEncoding; length: number } | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: "utf-8", length: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", length: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", length: 2 };
  return null;
}

/** Drops a multi-byte UTF-8 sequence cut off by the end of the sniffed prefix, so it is not called invalid. */
function completeUtf8Prefix(bytes: Uint8Array): Uint8Array {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? bytes.subarray(0, bytes.length - back) : bytes;
  }
  return bytes;
}

/** The decoded text of a prefix, or null when it is not text (invalid UTF-8/16, or NUL characters). */
export function decodeTextPrefix(head: Uint8Array, complete: boolean): string | null {
  const bom = bomOf(head);
  const encoding = bom?.encoding ?? "utf-8";
  let body = head.subarray(bom?.length ?? 0);
  if (!complete) body = encoding === "utf-8" ? completeUtf8Prefix(body) : body.subarray(0, body.length - (body.length % 2));
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(body, { stream: !complete });
  } catch {
    return null;
  }
  return text.includes("\u0000") ? null : text;
}

/** Markup a browser would render or run (HTML, SVG), whatever the extension says. */
function looksLikeMarkup(text: string): boolean {
  const start = text.trimStart().slice(0, 4096).toLowerCase();
  if (!start.startsWith("<")) return false;
  return ["<svg", "<html", "<!doctype html", "<script", "<body", "<head", "<iframe"].some((tag) => start.includes(tag));
}

/**
 * Decides the kind of an upload from its first bytes (up to SNIFF_BYTES; `complete` when that is the
 * whole file). Throws a 415 naming what is accepted for everything else.
 */
export async function detectType(head: Uint8Array, name: string, complete: boolean): Promise<DetectedType & { textEncoding: TextEncoding | null }> {
  if (head.length === 0) throw refused("The file is empty.");
  const found = await fileTypeFromBuffer(head);
  if (found && (IMAGE_MIMES as readonly string[]).includes(found.mime)) return { kind: "image", mime: found.mime, language: null, textEncoding: null };
  if (found?.mime === "application/pdf") return { kind: "pdf", mime: found.mime, language: null, textEncoding: null };
  // Text next: some of file-type's weaker signatures (MPEG frames, XML) also match plain text.
  const text = decodeTextPrefix(head, complete);
  if (text === null) {
    throw refused(found ? `This is a ${found.ext.toUpperCase()} file, which is not supported.` : "This file is neither a supported image or PDF nor UTF-8 text.");
  }
  if (MARKUP_EXTENSIONS.has(extensionOf(name)) || looksLikeMarkup(text)) {
    throw refused("HTML and SVG files are not accepted.");
  }
  return { kind: "text", mime: "text/plain; charset=utf-8", language: languageOf(name), textEncoding: bomOf(head)?.encoding ?? "utf-8" };
}
