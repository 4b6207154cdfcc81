// Runs before every page and route Next serves (not the app server's streaming routes, which set
// their own headers: scripts/server.ts). Two jobs:
// 1. A cross-site server action is refused with 403 here. Next refuses it too, but as a 500.
// 2. Pages get a Content-Security-Policy with a fresh nonce (lib/http/security-headers.ts); Next reads
//    it from the request's header and puts it on its scripts. Pages are rendered per request anyway
//    (the root layout reads the nonce), which nonces require.
import { NextResponse, type NextRequest } from "next/server";
import { isCrossSite } from "@/lib/http/csrf";
import { pageCsp } from "@/lib/http/security-headers";

export function proxy(request: NextRequest): NextResponse {
  if (request.method === "POST" && request.headers.has("next-action") && isCrossSite(request)) {
    return NextResponse.json(
      { error: { message: "Cross-site requests are not allowed.", type: "permission_error", code: "cross_site_request", param: null } },
      { status: 403 },
    );
  }
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = pageCsp(nonce, process.env.NODE_ENV === "development");
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  // Pages only. Route handlers (/api, /v1) get their headers from next.config.ts, static build files
  // need no policy (they are not documents) and get nosniff there too.
  matcher: ["/((?!api/|v1/|_next/static|_next/image|favicon.svg).*)"],
};
