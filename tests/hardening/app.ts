// The hardening tests' app: the real route handlers behind a node:http server that does what the
// app server (scripts/server.ts) does first for every request — stampClientIp (the client address
// from the socket, X-Forwarded-For only through TRUSTED_PROXIES) — and then hands each handler a
// Request whose body streams from the socket, as Next does for the routes it serves (so a handler's
// own body limit is what is tested, not a buffer in front of it). Routes match by pattern, with params.
import http from "node:http";
import { Readable } from "node:stream";
import { encode } from "next-auth/jwt";
import { stampClientIp } from "@/lib/http/client-ip";
import { openServerSession } from "@/lib/auth/server-session";
import { listenLocal } from "@/tests/support/route-server";

type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

type Methods = Partial<Record<string, RouteHandler>>;

export interface TestApp {
  url: string;
  close(): Promise<void>;
}

export const AUTH_SECRET = "hardening-test-secret-0123456789abcdef";

/** Sets the environment the app reads; call before anything calls env(). */
export function hardeningEnv(extra: Record<string, string> = {}): void {
  Object.assign(process.env, { AUTH_SECRET, REDIS_URL: "", UPSTASH_REDIS_REST_URL: "", ...extra });
}

export async function loadRoutes(): Promise<[RegExp, string[], Methods][]> {
  const [auth, list, one, share, imp, job, metrics, keys, instructions, completions] = await Promise.all([
    import("@/app/api/auth/[...nextauth]/route"),
    import("@/app/v1/conversations/route"),
    import("@/app/v1/conversations/[id]/route"),
    import("@/app/v1/conversations/[id]/share/route"),
    import("@/app/v1/conversations/import/route"),
    import("@/app/v1/conversations/import/[jobId]/route"),
    import("@/app/api/metrics/route"),
    import("@/app/api/settings/api-keys/route"),
    import("@/app/api/settings/custom-instructions/route"),
    import("@/app/v1/chat/completions/route"),
  ]);
  const m = (o: object) => o as Methods;
  return [
    [/^\/api\/auth\/(.+)$/, ["nextauth"], m(auth)],
    [/^\/api\/metrics$/, [], m(metrics)],
    [/^\/api\/settings\/api-keys$/, [], m(keys)],
    [/^\/api\/settings\/custom-instructions$/, [], m(instructions)],
    [/^\/v1\/chat\/completions$/, [], m(completions)],
    [/^\/v1\/conversations$/, [], m(list)],
    [/^\/v1\/conversations\/import$/, [], m(imp)],
    [/^\/v1\/conversations\/import\/([^/]+)$/, ["jobId"], m(job)],
    [/^\/v1\/conversations\/([^/]+)\/share$/, ["id"], m(share)],
    [/^\/v1\/conversations\/([^/]+)$/, ["id"], m(one)],
  ];
}

async function serve(handler: RouteHandler, params: Record<string, string>, inc: http.IncomingMessage, out: http.ServerResponse) {
  const hasBody = inc.method !== "GET" && inc.method !== "HEAD";
  const headers = new Headers();
  for (const [k, v] of Object.entries(inc.headers)) if (typeof v === "string") headers.set(k, v);
  const request = new Request(`http://${inc.headers.host ?? "127.0.0.1"}${inc.url}`, {
    method: inc.method,
    headers,
    body: hasBody ? (Readable.toWeb(inc) as ReadableStream<Uint8Array>) : undefined,
    // @ts-expect-error Node's fetch needs duplex for a streamed request body
    duplex: "half",
  });
  try {
    const response = await handler(request, { params: Promise.resolve(params) });
    const h: Record<string, string | string[]> = {};
    response.headers.forEach((v, k) => k !== "set-cookie" && (h[k] = v));
    const cookies = response.headers.getSetCookie();
    if (cookies.length) h["set-cookie"] = cookies;
    out.writeHead(response.status, h);
    out.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
  } catch (err) {
    console.error("[test app] handler threw", err);
    out.writeHead(500).end();
  }
}

export async function startApp(): Promise<TestApp> {
  const routes = await loadRoutes();
  const server = http.createServer((req, res) => {
    stampClientIp(req);
    const path = (req.url ?? "/").split("?")[0];
    for (const [pattern, names, methods] of routes) {
      const found = pattern.exec(path);
      if (!found) continue;
      const handler = methods[req.method ?? "GET"];
      if (!handler) break;
      const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(found[i + 1])]));
      return void serve(handler, params, req, res);
    }
    res.writeHead(404).end();
  });
  return listenLocal(server);
}

/** A signed-in browser's Cookie header for a user: a real server session inside an Auth.js JWT. */
export async function sessionCookie(userId: string, email?: string | null): Promise<string> {
  const sid = await openServerSession(userId);
  const salt = "authjs.session-token";
  const token = await encode({ token: { sub: userId, sid, email: email ?? null }, secret: AUTH_SECRET, salt });
  return `${salt}=${token}`;
}

/** Cookies from a response, as one Cookie header (name=value pairs, later ones winning). */
export function mergeCookies(jar: Map<string, string>, res: Response): string {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const i = pair.indexOf("=");
    const value = pair.slice(i + 1);
    if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) jar.delete(pair.slice(0, i));
    else jar.set(pair.slice(0, i), value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

/** Signs in with email and password through Auth.js's own endpoints (CSRF token first). */
export async function passwordSignIn(
  url: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<{ ok: boolean; code: string | null; cookie: string; jar: Map<string, string> }> {
  const jar = new Map<string, string>();
  const csrfRes = await fetch(`${url}/api/auth/csrf`, { headers });
  let cookie = mergeCookies(jar, csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: "/" }),
  });
  cookie = mergeCookies(jar, res);
  const location = res.headers.get("location") ?? "";
  const code = new URL(location, url).searchParams.get("code");
  return { ok: jar.has("authjs.session-token"), code, cookie, jar };
}
