// A stored file as an HTTP response: images inline (the chat shows them), everything else as a
// download; nosniff and a CSP that allows nothing, so no stored byte is ever run as a page. The file
// name travels only RFC 6266/5987-encoded in Content-Disposition.
import { Readable } from "node:stream";
import type { FileMeta } from "@/db/queries/files";
import { errors } from "@/lib/errors";
import { fileStore } from "./storage";

function contentDisposition(kind: "inline" | "attachment", name: string): string {
  // ASCII fallback without quotes or backslashes, then the exact name percent-encoded.
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function fileResponse(file: FileMeta, opts: { cache: "private" | "shared" }): Promise<Response> {
  const stream = await fileStore().getStream(file.storageKey);
  if (!stream) throw errors.notFound("file");
  const inline = file.kind === "image";
  const type = file.kind === "image" ? file.mime : file.kind === "pdf" ? "application/pdf" : "text/plain; charset=utf-8";
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": type,
      "Content-Disposition": contentDisposition(inline ? "inline" : "attachment", file.name),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox",
      "Cross-Origin-Resource-Policy": "same-origin",
      // Contents never change under an id (a new upload is a new id).
      "Cache-Control": opts.cache === "private" ? "private, max-age=3600" : "private, no-store",
      "Referrer-Policy": "no-referrer",
    },
  });
}
