// The app server's request handling (scripts/server.ts: its route table and request handler, through
// lib/http/node-adapter.ts) over real HTTP, so tests run what production runs. Routes that Next.js
// serves in production can be added by hand (`others`, through the same production adapter,
// serveRoute), or, for tests of the whole server, all of them as Next serves them (`wholeServer`).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { stampClientIp } from "@/lib/http/client-ip";
import { type RouteHandler, serveRoute } from "@/lib/http/node-adapter";
import { createFastHandler } from "@/scripts/server";
import { createNextRoutesHandler } from "./next-routes";

export type RouteTable = Record<string, Partial<Record<"GET" | "POST" | "DELETE" | "PATCH", RouteHandler>>>;

export interface RouteServer {
  url: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  /**
   * Everything the app server does: the client address stamped first on every request, as
   * scripts/server.ts does (stampClientIp; needs AUTH_SECRET), and every request its table does not
   * take handed to the route handlers as Next serves them (tests/support/next-routes.ts), so a route
   * added to the app is served without a change to the test.
   */
  wholeServer?: boolean;
}

export async function serveApp(others: RouteTable = {}, { wholeServer = false }: ServeOptions = {}): Promise<RouteServer> {
  const fast = createFastHandler();
  const next = wholeServer ? createNextRoutesHandler() : null;
  const server = http.createServer((req, res) => {
    if (wholeServer) stampClientIp(req);
    if (fast.handle(req, res)) return;
    const pathname = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const handler = others[pathname]?.[req.method as "GET"];
    if (handler) return void serveRoute(handler, {}, req, res);
    if (next) return void next(req, res);
    res.writeHead(404).end();
  });
  return listenLocal(server);
}

/** Listens on a free loopback port; close() drops open connections first (streams may still be open). */
export async function listenLocal(server: http.Server): Promise<RouteServer> {
  // Longer than undici's idle keep-alive, so a reused connection is never closed under the client (ECONNRESET on a loaded machine).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
