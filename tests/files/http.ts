// Files over real HTTP for the tests in this folder: the app server's own route table (scripts/server.ts
// fast handler: POST /api/chat, POST /v1/conversations/:id/messages) plus POST /api/files through the
// production adapter, a signed-in browser session for the chat and an API key for uploads, the echo
// model's report of what it received, and a count of the objects in a local store.
import fs from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { type RouteHandler, serveRoute } from "@/lib/http/node-adapter";
import { createFastHandler } from "@/scripts/server";
import { sseEvents } from "../support/gateway-harness";
import { listenLocal, type RouteServer } from "../support/route-server";

type Method = "GET" | "POST" | "DELETE";

/**
 * The app server's fast handler first (as production), then these routes through the production
 * adapter, matched by pattern (named groups are the route's params).
 */
export async function startFilesApp(): Promise<RouteServer> {
  const [upload, one, conv, share, shareFile] = await Promise.all([
    import("@/app/api/files/route"),
    import("@/app/api/files/[id]/route"),
    import("@/app/v1/conversations/[id]/route"),
    import("@/app/v1/conversations/[id]/share/route"),
    import("@/app/api/share/[token]/files/[id]/route"),
  ]);
  // The routes' params are checked by the routes themselves; the table only knows them as strings.
  const h = (f: unknown) => f as RouteHandler;
  const table: [RegExp, Partial<Record<Method, RouteHandler>>][] = [
    [/^\/api\/files$/, { POST: h(upload.POST) }],
    [/^\/api\/files\/(?<id>[^/]+)$/, { GET: h(one.GET), DELETE: h(one.DELETE) }],
    [/^\/v1\/conversations\/(?<id>[^/]+)$/, { GET: h(conv.GET), DELETE: h(conv.DELETE) }],
    [/^\/v1\/conversations\/(?<id>[^/]+)\/share$/, { POST: h(share.POST) }],
    [/^\/api\/share\/(?<token>[^/]+)\/files\/(?<id>[^/]+)$/, { GET: h(shareFile.GET) }],
  ];
  const fast = createFastHandler();
  const server = http.createServer((req, res) => {
    if (fast.handle(req, res)) return;
    const pathname = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    for (const [re, handlers] of table) {
      const m = re.exec(pathname);
      const handler = m && handlers[req.method as Method];
      if (handler) return void serveRoute(handler, { ...m.groups }, req, res);
    }
    res.writeHead(404).end();
  });
  return listenLocal(server);
}

export interface Uploaded {
  id: string;
  kind: string;
  name: string;
}

export async function upload(app: RouteServer, key: string, name: string, data: Buffer): Promise<Uploaded> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(data)]), name);
  const res = await fetch(`${app.url}/api/files`, { method: "POST", headers: { authorization: `Bearer ${key}` }, body: form });
  if (res.status !== 201) throw new Error(`upload ${name}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Uploaded;
}

export type EchoPart = { type: string; text?: string; image_url?: { url: string } };
export interface Echo {
  messages: { role: string; content: string | EchoPart[] }[];
}

/** POST /api/chat as the browser sends it; the echo model's report, or the refusal. */
export async function chat(
  app: RouteServer,
  cookie: string,
  body: { id: string; model?: string; message: { id: string; text: string; attachments?: { id: string; pageLimit?: number | null }[] }; parentId?: string | null },
): Promise<{ status: number; echo: Echo | null; error: { code: string; message: string } | null; text: string }> {
  const res = await fetch(`${app.url}/api/chat`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json", origin: app.url },
    body: JSON.stringify({ model: "sim-echo", ...body }),
  });
  const raw = await res.text();
  if (res.status !== 200) return { status: res.status, echo: null, error: (JSON.parse(raw) as { error: { code: string; message: string } }).error, text: raw };
  let text = "";
  for (const e of sseEvents(raw)) {
    if (!e.data.startsWith("{")) continue;
    const ev = JSON.parse(e.data) as { type: string; delta?: string };
    if (ev.type === "text-delta") text += ev.delta ?? "";
  }
  return { status: 200, echo: JSON.parse(text) as Echo, error: null, text };
}

/** POST /v1/conversations/:id/messages with an API key; the echo report (from the chunks), or the refusal. */
export async function postMessage(app: RouteServer, key: string, conversationId: string, body: unknown) {
  const res = await fetch(`${app.url}/v1/conversations/${conversationId}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const raw = await res.text();
  if (res.status !== 200) return { status: res.status, echo: null, error: (JSON.parse(raw) as { error: { code: string; message: string; param?: string } }).error, text: raw };
  let text = "";
  for (const e of sseEvents(raw)) {
    if (!e.data.startsWith("{")) continue;
    const chunk = JSON.parse(e.data) as { choices?: { delta?: { content?: string } }[] };
    text += chunk.choices?.[0]?.delta?.content ?? "";
  }
  return { status: 200, echo: JSON.parse(text) as Echo, error: null, text };
}

/** The last user message the model received, as parts (a string content becomes one text part). */
export function lastUserParts(echo: Echo): EchoPart[] {
  const last = echo.messages.filter((m) => m.role === "user").at(-1)!;
  return typeof last.content === "string" ? [{ type: "text", text: last.content }] : last.content;
}

/** Files in a local store's directory (one per object). */
export async function objectsUnder(dir: string): Promise<number> {
  let n = 0;
  let entries: import("node:fs").Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) n += e.isDirectory() ? await objectsUnder(path.join(dir, e.name)) : 1;
  return n;
}
