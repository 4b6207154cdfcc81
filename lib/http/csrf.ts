// Cross-site request checks for cookie-authenticated, state-changing routes. Browsers send
// Sec-Fetch-Site; older ones at least send Origin on cross-origin POSTs. A JSON content type
// cannot be sent cross-site without a CORS preflight, which we never grant. A request without a
// body needs no content type (`curl -X DELETE`, a body-less share revoke): for those the
// Sec-Fetch-Site / Origin checks above are the protection, as for every other write.
import { errors } from "@/lib/errors";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** A browser says the request comes from another site: Sec-Fetch-Site, or an Origin that is not this host. */
export function isCrossSite(req: Request): boolean {
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return true;
  const origin = req.headers.get("origin");
  if (!origin) return false;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  let originHost: string | null = null;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = null;
  }
  return !host || originHost !== host;
}

/** File uploads: multipart bodies can be sent cross-site without a preflight; this header cannot. */
export const UPLOAD_HEADER = "x-chatgate-upload";

export function assertSameOrigin(req: Request, body: "json" | "multipart" = "json"): void {
  if (SAFE.has(req.method)) return;
  if (isCrossSite(req)) throw errors.forbidden("Cross-site requests are not allowed.", "cross_site_request");
  const type = req.headers.get("content-type") ?? "";
  // An upload always needs its header, body or not: the header is what a cross-site form cannot send.
  if (body === "multipart") {
    if (!type.toLowerCase().startsWith("multipart/form-data") || req.headers.get(UPLOAD_HEADER) !== "1") {
      throw errors.badRequest(`Upload files as multipart/form-data with the header ${UPLOAD_HEADER}: 1.`, "invalid_upload");
    }
    return;
  }
  if (!hasBody(req)) return;
  if (!type.toLowerCase().startsWith("application/json")) {
    throw errors.unsupportedMediaType();
  }
}

/**
 * Whether the request carries a body, by HTTP/1.1's framing: Transfer-Encoding, or a non-zero
 * Content-Length (a request with neither has none). Browsers always frame a body they send.
 */
export function hasBody(req: Request): boolean {
  if (req.headers.has("transfer-encoding")) return true;
  const length = req.headers.get("content-length");
  return length !== null && length.trim() !== "0";
}
