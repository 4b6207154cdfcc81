// Cross-site request checks for cookie-authenticated, state-changing routes. Browsers send
// Sec-Fetch-Site; older ones at least send Origin on cross-origin POSTs. A JSON content type
// cannot be sent cross-site without a CORS preflight, which we never grant.
import { errors } from "@/lib/errors";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** File uploads: multipart bodies can be sent cross-site without a preflight; this header cannot. */
export const UPLOAD_HEADER = "x-chatgate-upload";

export function assertSameOrigin(req: Request, body: "json" | "multipart" = "json"): void {
  if (SAFE.has(req.method)) return;
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    throw errors.forbidden("Cross-site requests are not allowed.", "cross_site_request");
  }
  const origin = req.headers.get("origin");
  if (origin) {
    const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = null;
    }
    if (!host || originHost !== host) throw errors.forbidden("Cross-site requests are not allowed.", "cross_site_request");
  }
  const type = req.headers.get("content-type") ?? "";
  if (body === "multipart") {
    if (!type.toLowerCase().startsWith("multipart/form-data") || req.headers.get(UPLOAD_HEADER) !== "1") {
      throw errors.badRequest(`Upload files as multipart/form-data with the header ${UPLOAD_HEADER}: 1.`, "invalid_upload");
    }
    return;
  }
  if (!type.toLowerCase().startsWith("application/json")) {
    throw errors.unsupportedMediaType();
  }
}
