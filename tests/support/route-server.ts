// The app server's own live-reply routes (scripts/server.ts: its route table and request handler,
// through lib/http/node-adapter.ts) over real HTTP, so tests run what production runs. Routes that
// Next.js serves in production can be added; they go through the same production adapter
// (serveRoute), not a second Node↔fetch bridge.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { type RouteHandler, serveRoute } from "@/lib/http/node-adapter";
import { createFastHandler } from "@/scripts/server";

export type RouteTable = Record<string, Partial<Record<"GET" | "POST" | "DELETE" | "PATCH", RouteHandler>>>;

export interface RouteServer {
  url: string;
  close(): Promise<void>;
}

export async function serveApp(others: RouteTable = {}): Promise<RouteServer> {
  const fast = createFastHandler();
  const server = http.createServer((req, res) => {
    if (fast.handle(req, res)) return;
    const pathname = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const handler = others[pathname]?.[req.method as "GET"];
    if (!handler) return void res.writeHead(404).end();
    void serveRoute(handler, {}, req, res);
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
