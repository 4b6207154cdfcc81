// Cross-site request checks for cookie-authenticated, state-changing routes. Browsers send
// Sec-Fetch-Site; older ones at least send Origin on cross-origin POSTs. A JSON content type
// cannot be sent cross-site without a CORS preflight, which we never grant.
import { errors } from "@/lib/errors";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function assertSameOrigin(req: Request): void {
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
  if (!type.toLowerCase().startsWith("application/json")) {
    throw errors.unsupportedMediaType();
  }
}
