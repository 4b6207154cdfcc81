// What Next.js does for the app server (scripts/server.ts hands it every request its own table does
// not take), for the route handlers, in HTTP tests that cannot run a production build: the route
// files are found on disk as `next build` finds them (every app/**/route.ts; route groups and the
// file name dropped by Next's normalizeAppPath), ordered and matched by Next's own route sorter and
// matcher (static segments before [param] before [...catch-all]), and each module is loaded on its
// first request. A handler gets what Next gives it: a NextRequest whose body streams from the socket
// (so a handler's own body limit is what is tested, not a buffer in front of it), its params, and a
// signal that aborts when the client goes away; the response streams back. No route file: 404; a
// method the module does not export: 405 (HEAD falls back to GET, OPTIONS answers with the methods);
// a malformed % escape in a param: 400. Next's proxy.ts does not run for /api and /v1 (its matcher).
// A route added under app/ is served here without a change to any test.
import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { Readable } from "node:stream";
import { NextRequest } from "next/server";
import { normalizeAppPath } from "next/dist/shared/lib/router/utils/app-paths";
import { getRouteMatcher, type RouteMatchFn } from "next/dist/shared/lib/router/utils/route-matcher";
import { getRouteRegex } from "next/dist/shared/lib/router/utils/route-regex";
import { sortPages } from "next/dist/shared/lib/router/utils/sortable-routes";

type Params = Record<string, string | string[]>;
type Handler = (req: NextRequest, ctx: { params: Promise<Params> }) => Promise<Response>;
type RouteModule = Partial<Record<string, Handler>>;

const METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;
const APP_DIR = path.resolve(import.meta.dirname, "../../app");

interface AppRoute {
  page: string;
  match: RouteMatchFn;
  load: () => Promise<RouteModule>;
}

/** Every app/**\/route.ts by its request path, most specific first. */
function appRoutes(): AppRoute[] {
  const files = new Map<string, string>();
  for (const rel of fs.readdirSync(APP_DIR, { recursive: true, encoding: "utf8" })) {
    if (!/(^|[/\\])route\.(ts|js)$/.test(rel)) continue;
    const page = normalizeAppPath(`/${rel.split(path.sep).join("/").replace(/\.(ts|js)$/, "")}`);
    files.set(page, path.join(APP_DIR, rel));
  }
  return sortPages([...files.keys()]).map((page) => {
    let mod: Promise<RouteModule> | undefined;
    return { page, match: getRouteMatcher(getRouteRegex(page)), load: () => (mod ??= import(files.get(page)!) as Promise<RouteModule>) };
  });
}

function find(routes: AppRoute[], pathname: string): { route: AppRoute; params: Params } | "malformed" | null {
  for (const route of routes) {
    try {
      const params = route.match(pathname);
      if (params) return { route, params: params as Params };
    } catch {
      return "malformed"; // Next's DecodeError: a param that is not valid percent-encoding
    }
  }
  return null;
}

function toNextRequest(req: IncomingMessage, signal: AbortSignal): NextRequest {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  // duplex: a request body that streams (Node's fetch requires saying so); not in the DOM typings.
  const init: RequestInit & { duplex?: "half" } = {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    duplex: hasBody ? "half" : undefined,
    signal,
  };
  return new NextRequest(new Request(`http://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`, init));
}

async function send(res: ServerResponse, response: Response, withBody: boolean): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  if (withBody && response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
  }
  res.end();
}

function answer(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers).end();
}

/** A Node request listener for the route handlers, as Next serves them. */
export function createNextRoutesHandler(): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const routes = appRoutes();
  return async (req, res) => {
    const pathname = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const found = find(routes, pathname);
    if (found === null) return answer(res, 404);
    if (found === "malformed") return answer(res, 400);
    const mod = await found.route.load();
    const allow = METHODS.filter((m) => mod[m] || (m === "HEAD" && mod.GET) || m === "OPTIONS").join(", ");
    const method = req.method ?? "GET";
    const handler = mod[method] ?? (method === "HEAD" ? mod.GET : undefined);
    if (!handler) return answer(res, method === "OPTIONS" ? 204 : 405, { allow });
    const disconnected = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) disconnected.abort();
    });
    try {
      await send(res, await handler(toNextRequest(req, disconnected.signal), { params: Promise.resolve(found.params) }), method !== "HEAD");
    } catch (err) {
      // Next logs a handler that throws and answers 500 with no details.
      console.error(`[next routes] ${method} ${found.route.page} threw`, err);
      if (res.headersSent) res.destroy();
      else answer(res, 500);
    }
  };
}
