// The file routes over real HTTP with API keys, a real database and the real simulator: upload,
// dedupe, owner-only GET/DELETE (another user's id is 404 everywhere, also when attached to a
// message), the safety headers, attachments reaching the echo model, and deletion with the conversation.
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { LocalFileStore } from "@/lib/files/storage/local";
import { newUser, readUiStream, startSimulator, waitFor } from "../support/gateway-harness";
import { HTML_AS_PNG, pdf, png } from "./fixtures";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
let sim: InferenceServer;
let server: http.Server;
let base = "";
let filesDir = "";

beforeAll(async () => {
  sim = await startSimulator();
  filesDir = await fs.mkdtemp(path.join(os.tmpdir(), "files-routes-"));
  const { setFileStoreForTests } = await import("@/lib/files/storage");
  setFileStoreForTests(new LocalFileStore(filesDir));
  const [upload, one, conv] = await Promise.all([import("@/app/api/files/route"), import("@/app/api/files/[id]/route"), import("@/app/v1/conversations/[id]/route")]);
  const routes: [RegExp, Record<string, Handler>][] = [
    [/^\/api\/files$/, { POST: upload.POST as Handler }],
    [/^\/api\/files\/(?<id>[^/]+)$/, { GET: one.GET as Handler, DELETE: one.DELETE as Handler }],
    [/^\/v1\/conversations\/(?<id>[^/]+)$/, { DELETE: conv.DELETE as Handler }],
  ];
  server = http.createServer(async (inc, out) => {
    const url = new URL(inc.url ?? "/", "http://127.0.0.1");
    const hit = routes.map(([re, h]) => [re.exec(url.pathname), h] as const).find(([m, h]) => m && h[inc.method ?? ""]);
    if (!hit) return void out.writeHead(404).end();
    const [match, table] = hit;
    const hasBody = inc.method !== "GET" && inc.method !== "DELETE";
    const req = new Request(url, {
      method: inc.method,
      headers: inc.headers as Record<string, string>,
      body: hasBody ? (Readable.toWeb(inc) as ReadableStream<Uint8Array>) : undefined,
      // @ts-expect-error Node's fetch needs duplex for a streamed body
      duplex: "half",
    });
    const res = await table[inc.method!](req, { params: Promise.resolve({ ...match!.groups }) });
    out.writeHead(res.status, Object.fromEntries(res.headers));
    out.end(Buffer.from(await res.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await sim?.close();
  const { closeDb } = await import("@/db");
  await closeDb();
});

async function keyFor(userId: string): Promise<string> {
  const { issueApiKey } = await import("@/lib/auth/api-keys");
  return (await issueApiKey(userId, "files")).key;
}

async function upload(key: string, name: string, data: Buffer, type = "application/octet-stream") {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(data)], { type }), name);
  const res = await fetch(`${base}/api/files`, { method: "POST", headers: { authorization: `Bearer ${key}` }, body: form });
  return { status: res.status, body: (await res.json()) as { id: string; kind: string; pages: number | null; lines: number | null; error?: { code: string; message: string } } };
}

const get = (key: string, id: string) => fetch(`${base}/api/files/${id}`, { headers: { authorization: `Bearer ${key}` } });

async function objectCount(): Promise<number> {
  const walk = async (d: string): Promise<number> => {
    let n = 0;
    for (const e of await fs.readdir(d, { withFileTypes: true })) n += e.isDirectory() ? await walk(path.join(d, e.name)) : 1;
    return n;
  };
  return walk(filesDir);
}

describe("file routes", () => {
  it("upload, serve to the owner only with safe headers, dedupe, refuse disguised types", async () => {
    const owner = await newUser();
    const key = await keyFor(owner.id);
    const stranger = await keyFor((await newUser()).id);
    const before = await objectCount();

    const img = await upload(key, "café <b>.png", await png(), "image/png");
    expect(img.status).toBe(201);
    expect(img.body.kind).toBe("image");
    const res = await get(key, img.body.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("content-disposition")).toBe(`inline; filename="caf_ <b>.png"; filename*=UTF-8''caf%C3%A9%20%3Cb%3E.png`);

    const paper = await pdf(2); // pdf-lib stamps the time: the same bytes only from one call
    const doc = await upload(key, "paper.pdf", paper, "application/pdf");
    expect(doc).toMatchObject({ status: 201, body: { kind: "pdf", pages: 2 } });
    expect((await get(key, doc.body.id)).headers.get("content-disposition")).toMatch(/^attachment;/);
    const code = await upload(key, "main.py", Buffer.from("print('hi')\nprint('there')\n"), "text/html");
    expect(code).toMatchObject({ status: 201, body: { kind: "text", lines: 2 } });
    expect((await get(key, code.body.id)).headers.get("content-type")).toBe("text/plain; charset=utf-8");

    // The same bytes again: a new id, no new object.
    const count = await objectCount();
    const again = await upload(key, "copy.pdf", paper);
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(doc.body.id);
    expect(await objectCount()).toBe(count);
    expect(count - before).toBe(3);

    const html = await upload(key, "innocent.png", HTML_AS_PNG, "image/png");
    expect(html.status).toBe(415);
    expect(html.body.error?.message).toMatch(/HTML and SVG files are not accepted\. You can attach PNG, JPEG, WebP or GIF images, PDFs/);

    // Someone else: 404 for GET and DELETE, exactly as for an id that does not exist.
    expect((await get(stranger, img.body.id)).status).toBe(404);
    expect((await fetch(`${base}/api/files/${img.body.id}`, { method: "DELETE", headers: { authorization: `Bearer ${stranger}` } })).status).toBe(404);
    expect((await get(key, randomUUID())).status).toBe(404);
    expect((await get(key, "not-a-uuid")).status).toBe(404);

    // Deleting one of two rows of the same bytes keeps the object; deleting the last removes it.
    expect((await fetch(`${base}/api/files/${again.body.id}`, { method: "DELETE", headers: { authorization: `Bearer ${key}` } })).status).toBe(204);
    expect(await objectCount()).toBe(count);
    expect((await fetch(`${base}/api/files/${doc.body.id}`, { method: "DELETE", headers: { authorization: `Bearer ${key}` } })).status).toBe(204);
    expect(await objectCount()).toBe(count - 1);
  });

  it("sends attachments to the model as content parts; another user's file id is 404; deleting the chat deletes its files", async () => {
    const owner = await newUser();
    const key = await keyFor(owner.id);
    const other = await newUser();
    const img = await upload(key, "dot.png", await png(32, 32, "#ff0000"));
    const doc = await upload(key, "report.pdf", await pdf(3));
    const code = await upload(key, "util.ts", Buffer.from("export const answer = 42;\n"));
    const { startReply, uiMessageStream } = await import("../support/turns");
    const { getMessageById } = await import("@/db/queries/messages");

    // Another user naming these ids: 404, and nothing is saved for them.
    await expect(
      startReply(other, { conversationId: randomUUID(), model: "sim-echo", message: { id: randomUUID(), text: "steal", attachments: [{ id: img.body.id }] } }),
    ).rejects.toMatchObject({ status: 404, code: "not_found:file" });

    const conversationId = randomUUID();
    const attachments = [{ id: img.body.id }, { id: doc.body.id, pageLimit: 2 }, { id: code.body.id }];
    const { run, userMessageId } = await startReply(owner, { conversationId, model: "sim-echo", message: { id: randomUUID(), text: "What is in these?", attachments } });
    const stream = await readUiStream(uiMessageStream(run, userMessageId));
    await waitFor(async () => (await getMessageById({ id: run.id, userId: owner.id }))?.finishReason);
    const echo = JSON.parse(stream.text) as { messages: { role: string; content: unknown }[] };
    const last = echo.messages.at(-1)!;
    expect(last.role).toBe("user");
    const parts = last.content as { type: string; text?: string; image_url?: { url: string } }[];
    expect(parts.map((p) => p.type)).toEqual(["image_url", "text", "text", "text"]);
    expect(parts[0].image_url!.url).toMatch(/^data:image\/png;base64,…\(\d+ chars, sha256 [0-9a-f]{12}\)$/);
    expect(parts[1].text).toContain('Attached PDF "report.pdf" (3 pages; the first 2 are included)');
    expect(parts[1].text).toContain("--- Page 2 ---\nThis is page 2 of the test document.");
    expect(parts[1].text).not.toContain("page 3 of");
    expect(parts[2].text).toBe('Attached file "util.ts" (typescript):\n```typescript\nexport const answer = 42;\n\n```');
    expect(parts[3]).toEqual({ type: "text", text: "What is in these?" });

    // Once sent, the id is usable again only in this conversation (a new version keeps its files:
    // tests/files/edit-attachments.test.ts); with a message of another conversation it is a 404.
    await expect(
      startReply(owner, { conversationId: randomUUID(), model: "sim-echo", message: { id: randomUUID(), text: "again", attachments: [{ id: img.body.id }] } }),
    ).rejects.toMatchObject({ status: 404 });

    const objects = await objectCount();
    const del = await fetch(`${base}/v1/conversations/${conversationId}`, { method: "DELETE", headers: { authorization: `Bearer ${key}` } });
    expect(del.status).toBe(200);
    expect((await get(key, img.body.id)).status).toBe(404);
    expect(await objectCount()).toBe(objects - 3);
  });
});
