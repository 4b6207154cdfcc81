// Files over real HTTP for the tests in this folder: the whole app server as production routes it
// (tests/support/route-server.ts serveApp with wholeServer: the fast handler's live-reply routes, then
// every app/**/route.ts as Next routes them), a signed-in browser session for the chat and an API key
// for uploads, the echo model's report of what it received, and a count of the objects in a local store.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { LocalFileStore } from "@/lib/files/storage/local";
import { sseEvents, startSimulator } from "../support/gateway-harness";
import { type RouteServer, serveApp } from "../support/route-server";
import { TEST_AUTH_SECRET } from "../support/session-cookie";

export function startFilesApp(): Promise<RouteServer> {
  return serveApp({}, { wholeServer: true });
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

export interface FilesStack {
  /** The app server (valid inside the tests). */
  readonly app: RouteServer;
  /** The simulator (its engine's stats show what went upstream). */
  readonly sim: InferenceServer;
  /** The local store's directory. */
  readonly dir: string;
}

/**
 * One suite's stack: the simulator (with the test auth secret, for signed-in sessions), a local file
 * store in a fresh temporary directory, and the whole app server; closed and removed after the suite.
 */
export function filesStack(name: string): FilesStack {
  let sim: InferenceServer | undefined;
  let app: RouteServer | undefined;
  let dir = "";
  beforeAll(async () => {
    sim = await startSimulator({ AUTH_SECRET: TEST_AUTH_SECRET });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), `${name}-`));
    const { setFileStoreForTests } = await import("@/lib/files/storage");
    setFileStoreForTests(new LocalFileStore(dir));
    app = await startFilesApp();
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });
  return {
    get app() {
      if (!app) throw new Error("filesStack: the app is up only inside the suite's tests");
      return app;
    },
    get sim() {
      if (!sim) throw new Error("filesStack: the simulator is up only inside the suite's tests");
      return sim;
    },
    get dir() {
      return dir;
    },
  };
}
