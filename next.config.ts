import type { NextConfig } from "next";
import { API_CSP, BASE_SECURITY_HEADERS } from "./lib/http/security-headers";

const base = Object.entries(BASE_SECURITY_HEADERS).map(([key, value]) => ({ key, value }));

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules at run time, not bundled.
  // pdf.js (lib/files' extraction worker) loads its own worker module from its package folder at run time.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres", "pdfjs-dist"],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // Every response (pages get their nonce policy from proxy.ts; the app server's streaming routes set
  // the same headers themselves: lib/http/security-headers.ts).
  async headers() {
    return [
      { source: "/:path*", headers: base },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CSP }] },
      { source: "/v1/:path*", headers: [{ key: "Content-Security-Policy", value: API_CSP }] },
      // A shared chat's address is its secret: never sent on to the sites it links to.
      { source: "/share/:path*", headers: [{ key: "Referrer-Policy", value: "no-referrer" }] },
    ];
  },
};

export default nextConfig;
