import { errors } from "@/lib/errors";

/** The largest request body read by default (route handlers, and the app server before them). */
export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * The body as text, refusing it (413) as soon as it passes the limit: Content-Length may be absent
 * (chunked), so the bytes are counted as they arrive rather than trusted from a header.
 */
export async function readLimitedBody(req: Request, maxBytes: number, message: string): Promise<string> {
  const tooLarge = () => errors.tooLarge(message, "request_too_large");
  if (Number(req.headers.get("content-length") ?? 0) > maxBytes) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
