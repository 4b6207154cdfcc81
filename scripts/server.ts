// The app's HTTP server in production (`npm start`, the e2e and bench setups): Next.js's request
// handler for pages and most routes, and every live-reply route served here, from this module graph:
// starting a reply, attaching to it, stopping it (chat, stream, stop, conversation messages,
// completions). They run the very same route handlers (app/**/route.ts), but their replies are
// written straight to the Node response, one write per upstream read, instead of through Next's
// WHATWG stream pipe, which cost ~15% of the app's CPU per streamed token (bench/README.md, "Hot
// spots"). Because all of them load here, the per-process state of live replies (the live store,
// the generating replies and their ticker, the upstream connection pool, the summarizer) exists
// once per process; what other instances need lives in Redis and the database (lib/live).
// Next's proxy.ts (security headers) does not run for these routes; they set their own here.
//   node --import tsx/esm scripts/server.ts [--port 3000] [--hostname 0.0.0.0]
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { errors } from "../lib/errors";
import { stampClientIp } from "../lib/http/client-ip";
import { type RouteHandler, serveRoute } from "../lib/http/node-adapter";
import { setApiSecurityHeaders } from "../lib/http/security-headers";

const root = path.resolve(import.meta.dirname, "..");

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export interface FastRoute {
  method: string;
  pattern: RegExp;
  names: string[];
  load: () => Promise<RouteHandler>;
}

/** Every live-reply route; the only route table (tests serve it too: tests/gateway/node-transport.test.ts). */
export const FAST_ROUTES: FastRoute[] = [
  { method: "POST", pattern: /^\/api\/chat$/, names: [], load: async () => (await import("../app/api/chat/route")).POST as RouteHandler },
  {
    method: "GET",
    pattern: /^\/api\/chat\/([^/]+)\/stream$/,
    names: ["id"],
    load: async () => (await import("../app/api/chat/[id]/stream/route")).GET as RouteHandler,
  },
  {
    method: "POST",
    pattern: /^\/api\/chat\/([^/]+)\/stop$/,
    names: ["id"],
    load: async () => (await import("../app/api/chat/[id]/stop/route")).POST as RouteHandler,
  },
  {
    method: "POST",
    pattern: /^\/v1\/conversations\/([^/]+)\/messages$/,
    names: ["id"],
    load: async () => (await import("../app/v1/conversations/[id]/messages/route")).POST as RouteHandler,
  },
  {
    method: "GET",
    pattern: /^\/v1\/conversations\/([^/]+)\/messages$/,
    names: ["id"],
    load: async () => (await import("../app/v1/conversations/[id]/messages/route")).GET as RouteHandler,
  },
  {
    method: "POST",
    pattern: /^\/v1\/chat\/completions$/,
    names: [],
    load: async () => (await import("../app/v1/chat/completions/route")).POST as RouteHandler,
  },
];

type Match = { route: FastRoute; params: Record<string, string> } | { malformed: true } | null;

function match(req: http.IncomingMessage): Match {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const pathname = q >= 0 ? url.slice(0, q) : url;
  // Any path, Next's routes too: Next answers a malformed % escape with a plain-text 500.
  if (pathname.includes("%")) {
    try {
      decodeURIComponent(pathname);
    } catch {
      return { malformed: true };
    }
  }
  for (const route of FAST_ROUTES) {
    if (route.method !== req.method) continue;
    const m = route.pattern.exec(pathname);
    if (!m) continue;
    const params: Record<string, string> = {};
    try {
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
    } catch {
      return { malformed: true };
    }
    return { route, params };
  }
  return null;
}

/**
 * The live-reply routes as a Node request listener: true when it took the request, false for
 * anything else (Next's). Route modules load on first use (or on warm()).
 */
export function createFastHandler(): { handle(req: http.IncomingMessage, res: http.ServerResponse): boolean; warm(): void } {
  const handlers = new Map<FastRoute, Promise<RouteHandler>>();
  const handler = (route: FastRoute) => {
    let h = handlers.get(route);
    if (!h) handlers.set(route, (h = route.load()));
    return h;
  };
  return {
    handle(req, res) {
      const found = match(req);
      if (!found) return false;
      setApiSecurityHeaders(res); // Next's proxy.ts never sees these routes
      if ("malformed" in found) {
        const e = errors.badRequest("The request path has a malformed % escape.", "invalid_path");
        res.writeHead(e.status, { "content-type": "application/json" }).end(JSON.stringify(e.toJSON()));
        return true;
      }
      handler(found.route).then(
        (h) => serveRoute(h, found.params, req, res),
        (err: unknown) => {
          console.error("[server] loading a route failed", err);
          res.writeHead(500).end();
        },
      );
      return true;
    },
    warm: () => FAST_ROUTES.forEach(handler),
  };
}

async function main(): Promise<void> {
  const port = Number(arg("port") ?? process.env.PORT ?? 3000);
  const hostname = arg("hostname") ?? process.env.HOST ?? "0.0.0.0";
  // The server's own address, which links sent to third parties use when AUTH_URL is unset (lib/auth/email-verification.ts appOrigin).
  Object.assign(process.env, { PORT: String(port), HOST: hostname });
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: root, hostname, port });
  const handle = app.getRequestHandler();
  // The live routes' module graph (gateway, database drivers, tokenizer) loads after the server
  // listens, so the sign-in page is served as soon as with `next start`; a request that comes first waits.
  const fast = createFastHandler();
  await app.prepare();

  const server = http.createServer((req, res) => {
    // The client address every route sees (Next's handlers have no socket): from the socket, or
    // X-Forwarded-For only behind TRUSTED_PROXIES; a client's own copy of the header is dropped.
    stampClientIp(req);
    if (!fast.handle(req, res)) void handle(req, res);
  });
  // Not at once: on a cold tsx cache compiling that graph takes seconds of CPU, which the first page
  // render should not have to share.
  // The code interpreter's warm pool starts with them (the live routes' graph runs the tool loop), so
  // the first code run does not wait for an interpreter's start-up.
  server.once("listening", () =>
    setTimeout(() => {
      fast.warm();
      import("../lib/tools/python")
        .then((m) => m.warmPythonPool())
        .catch((err: unknown) => console.warn("[server] python pool not warmed", err));
    }, 2_000).unref(),
  );
  server.listen(port, hostname, () => console.log(`[server] ready on http://${hostname}:${port}`));
  const stop = () => {
    server.close();
    void app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

// Imported by tests for its route table; run only as the entry point.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
