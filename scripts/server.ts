// The app's HTTP server in production (`npm start`, the e2e and bench setups): Next.js's request
// handler for everything, except the routes that stream replies token by token. Those run the very
// same route handlers (app/**/route.ts), but their replies are written straight to the Node response,
// one write per upstream read, instead of through Next's WHATWG stream pipe, which cost ~15% of the
// app's CPU per streamed token (bench/README.md, "Hot spots"). Nothing else differs: auth, validation
// and the gateway pipeline are the handlers' own. Shared state (database client, live replies,
// metrics, token counters) lives on globalThis, so this module graph and Next's bundles use one copy
// of each; anything new that keeps per-process state (in-process rate limits, caches) must do the same.
// Next middleware (proxy.ts) does not run for these routes (there is none today).
//   node --import tsx/esm scripts/server.ts [--port 3000] [--hostname 0.0.0.0]
import http from "node:http";
import path from "node:path";
import { type RouteHandler, serveRoute } from "../lib/http/node-adapter";

const root = path.resolve(import.meta.dirname, "..");

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface FastRoute {
  method: string;
  pattern: RegExp;
  names: string[];
  load: () => Promise<RouteHandler>;
}

// Keep in step with the streaming route handlers (each returns a replyResponse()).
const FAST_ROUTES: FastRoute[] = [
  { method: "POST", pattern: /^\/api\/chat$/, names: [], load: async () => (await import("../app/api/chat/route")).POST as RouteHandler },
  {
    method: "GET",
    pattern: /^\/api\/chat\/([^/]+)\/stream$/,
    names: ["id"],
    load: async () => (await import("../app/api/chat/[id]/stream/route")).GET as RouteHandler,
  },
  {
    method: "POST",
    pattern: /^\/v1\/conversations\/([^/]+)\/messages$/,
    names: ["id"],
    load: async () => (await import("../app/v1/conversations/[id]/messages/route")).POST as RouteHandler,
  },
  {
    method: "POST",
    pattern: /^\/v1\/chat\/completions$/,
    names: [],
    load: async () => (await import("../app/v1/chat/completions/route")).POST as RouteHandler,
  },
];

function match(req: http.IncomingMessage): { route: FastRoute; params: Record<string, string> } | null {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const pathname = q >= 0 ? url.slice(0, q) : url;
  for (const route of FAST_ROUTES) {
    if (route.method !== req.method) continue;
    const m = route.pattern.exec(pathname);
    if (!m) continue;
    const params: Record<string, string> = {};
    try {
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
    } catch {
      return null; // malformed escapes: let Next answer
    }
    return { route, params };
  }
  return null;
}

async function main(): Promise<void> {
  const port = Number(arg("port") ?? process.env.PORT ?? 3000);
  const hostname = arg("hostname") ?? process.env.HOST ?? "0.0.0.0";
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: root, hostname, port });
  const handle = app.getRequestHandler();
  // The streaming routes' module graph (gateway, database drivers, tokenizer) loads after the server
  // listens, so the sign-in page is served as soon as with `next start`; a request that comes first waits.
  const handlers = new Map<FastRoute, Promise<RouteHandler>>();
  const handler = (route: FastRoute) => {
    let h = handlers.get(route);
    if (!h) handlers.set(route, (h = route.load()));
    return h;
  };
  await app.prepare();

  const server = http.createServer((req, res) => {
    const found = match(req);
    if (!found) return void handle(req, res);
    handler(found.route).then(
      (h) => serveRoute(h, found.params, req, res),
      (err: unknown) => {
        console.error("[server] loading a route failed", err);
        res.writeHead(500).end();
      },
    );
  });
  // Not at once: on a cold tsx cache compiling that graph takes seconds of CPU, which the first page
  // render should not have to share.
  server.once("listening", () => setTimeout(() => FAST_ROUTES.forEach(handler), 2_000).unref());
  server.listen(port, hostname, () => console.log(`[server] ready on http://${hostname}:${port}`));
  const stop = () => {
    server.close();
    void app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
