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

/** JSON text can only carry a NUL as the escape \u0000 (a raw control character is invalid JSON). */
const NUL_ESCAPE = /\\u0000/i;

/** The path of the first string (or key) holding a NUL, or null. Iterative: depth is the input's. */
export function findNul(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, ""]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === "string") {
      if (v.includes("\0")) return path;
    } else if (v && typeof v === "object") {
      for (const [k, child] of Object.entries(v)) {
        const p = path ? `${path}.${k}` : k;
        if (k.includes("\0")) return p;
        stack.push([child, p]);
      }
    }
  }
  return null;
}

/**
 * Parses a JSON body. A NUL character in any string is refused (400) here, once for every route:
 * PostgreSQL's text type cannot store it, and a 500 from deep inside a query is no answer. The
 * whole value is walked only when the raw text contains the escape at all (a cheap scan).
 */
export function parseJsonBody(text: string): unknown {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw errors.badRequest("The request body is not valid JSON.", "invalid_json");
  }
  if (NUL_ESCAPE.test(text)) {
    const path = findNul(raw);
    if (path !== null) throw errors.badRequest(`${path ? `${path}: ` : ""}text may not contain NUL characters (\\u0000).`, "invalid_text", path || undefined);
  }
  return raw;
}

