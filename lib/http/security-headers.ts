// Security headers. Pages get a Content-Security-Policy with a fresh nonce per request (proxy.ts;
// Next reads the nonce from the request's CSP header and puts it on its own scripts): scripts only
// from this origin with the nonce ('strict-dynamic' lets them load their chunks), so an injected
// <script> or inline event handler never runs; images only from this origin, data: and blob:, so a
// model's reply can never make the browser fetch a foreign image (a way to leak the chat in a URL);
// no framing. Styles allow inline: React's style attributes need it, and CSS cannot run code.
// Everything else (route handlers, files, the app server's streaming routes) gets a policy that
// allows nothing, since none of it is a document.
export const BASE_SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
};

export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function pageCsp(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** For the app server's own routes (scripts/server.ts), which Next's headers and proxy never see. */
export function setApiSecurityHeaders(res: { setHeader(name: string, value: string): unknown }): void {
  for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) res.setHeader(name, value);
  res.setHeader("Content-Security-Policy", API_CSP);
}
