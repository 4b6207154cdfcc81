// A forked conversation owns its files. "Continue this conversation" on a share (and "Branch in new
// chat") copies the messages; the files they name — an uploaded image on the user message, the PNG a
// generate_image step stored on the reply — become the new owner's rows and objects. Over real HTTP
// through the app server's routes (production adapter), a real database and the real simulator's
// tools contract, for both stores (local disk; S3 against s3rver):
// - after the sharer deletes the conversation (and so its files and objects), the fork's files are
//   still served to the forker, and its next turn still sends the image to the model;
// - the fork names none of the sharer's files, and the forker can reach none of them (404), nor a
//   file of someone else that a message part names (an imported chat can name any id);
// - a fork whose files do not fit the forker's storage is refused (429) with nothing left behind;
// - the owner's own branch keeps its files after the source is deleted (same objects, own rows).
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { type RouteHandler, serveRoute } from "@/lib/http/node-adapter";
import { DEFAULT_LIMITS } from "@/lib/limits/config";
import { LocalFileStore } from "@/lib/files/storage/local";
import { S3FileStore } from "@/lib/files/storage/s3";
import type { FileStore } from "@/lib/files/storage/types";
import { createFastHandler } from "@/scripts/server";
import { readSseText, sseEvents, startSimulator, waitFor } from "../support/gateway-harness";
import { listenLocal, type RouteServer } from "../support/route-server";
import { signedIn, TEST_AUTH_SECRET } from "../support/session-cookie";
import { png } from "./fixtures";

const FREE_TOTAL = 1536 * 1024;
const dir = await fs.mkdtemp(path.join(os.tmpdir(), "fork-files-"));
let sim: InferenceServer;
let app: RouteServer;
let s3: S3rver;
let s3Store: S3FileStore;

beforeAll(async () => {
  const limits = path.join(dir, "limits.json");
  // A small store for free accounts (the quota case); the sharers are on plus.
  await fs.writeFile(limits, JSON.stringify({ ...DEFAULT_LIMITS, free: { ...DEFAULT_LIMITS.free, messages: {}, files: { ...DEFAULT_LIMITS.free.files, bytesPerFile: FREE_TOTAL, totalBytes: FREE_TOTAL } } }));
  sim = await startSimulator({ AUTH_SECRET: TEST_AUTH_SECRET, UPSTASH_REDIS_REST_URL: "", LIMITS_CONFIG: limits, PYTHON_SANDBOX: "off" });
  s3 = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: path.join(dir, "s3"), configureBuckets: [{ name: "fork-test", configs: [] }] });
  const addr = (await s3.run()) as AddressInfo;
  s3Store = new S3FileStore({ endpoint: `http://127.0.0.1:${addr.port}`, bucket: "fork-test", region: "us-east-1", accessKeyId: "S3RVER", secretAccessKey: "S3RVER" });

  const load = (p: Promise<Record<string, unknown>>, method: string) => p.then((m) => m[method] as RouteHandler);
  const routes: [string, RegExp, Promise<RouteHandler>, string?][] = [
    ["POST", /^\/api\/share\/([^/]+)\/continue$/, load(import("@/app/api/share/[token]/continue/route"), "POST"), "token"],
    ["GET", /^\/api\/files\/([^/]+)$/, load(import("@/app/api/files/[id]/route"), "GET")],
    ["DELETE", /^\/api\/files\/([^/]+)$/, load(import("@/app/api/files/[id]/route"), "DELETE")],
    ["GET", /^\/v1\/conversations\/([^/]+)$/, load(import("@/app/v1/conversations/[id]/route"), "GET")],
    ["DELETE", /^\/v1\/conversations\/([^/]+)$/, load(import("@/app/v1/conversations/[id]/route"), "DELETE")],
    ["POST", /^\/v1\/conversations\/([^/]+)\/share$/, load(import("@/app/v1/conversations/[id]/share/route"), "POST")],
    ["POST", /^\/v1\/conversations\/([^/]+)\/branch$/, load(import("@/app/v1/conversations/[id]/branch/route"), "POST")],
  ];
  const fast = createFastHandler();
  app = await listenLocal(
    http.createServer((req, res) => {
      if (fast.handle(req, res)) return;
      const pathname = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
      for (const [method, re, handler, param = "id"] of routes) {
        const m = method === req.method ? re.exec(pathname) : null;
        if (!m) continue;
        return void handler.then((h) => serveRoute(h, { [param]: m[1] }, req, res));
      }
      res.writeHead(404).end();
    }),
  );
}, 60_000);
afterAll(async () => {
  await app?.close();
  await sim?.close();
  await s3?.close();
  const { setFileStoreForTests } = await import("@/lib/files/storage");
  setFileStoreForTests(undefined);
  await fs.rm(dir, { recursive: true, force: true });
});

type Parts = { type: string; file_id?: string; files?: { id: string }[] }[] | null;

function call(cookie: string, method: string, p: string, body?: unknown) {
  return fetch(`${app.url}${p}`, {
    method,
    headers: { cookie, origin: app.url, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function chat(cookie: string, conversationId: string, model: string, message: { text: string; attachments?: { id: string }[] }) {
  const res = await call(cookie, "POST", "/api/chat", { id: conversationId, model, message: { id: randomUUID(), ...message } });
  expect(res.status).toBe(200);
  return sseEvents(await readSseText(res)).filter((e) => e.data.startsWith("{")).map((e) => JSON.parse(e.data) as { type: string; delta?: string; output?: { files: { id: string }[] } });
}

/** A plus-tier sharer's conversation: a user message with an uploaded image, a reply whose step drew a PNG. */
async function sharedConversation() {
  const { setUserAccessByEmail } = await import("@/db/queries/users");
  const { ingestBytes } = await import("@/lib/files/ingest");
  const sharer = await signedIn();
  await setUserAccessByEmail({ email: sharer.user.email!, tier: "plus" });
  const plus = { ...sharer.user, tier: "plus" as const };
  const upload = await ingestBytes(plus, "harbour.png", await png(64, 48, "#2255aa"));
  const other = await ingestBytes(plus, "private.png", await png(20, 20, "#aa2255")); // never sent
  const conversationId = randomUUID();
  const events = await chat(sharer.cookie, conversationId, "gpt-4o", { text: "draw a lighthouse at dusk", attachments: [{ id: upload.id }] });
  const drawn = events.find((e) => e.type === "tool-output-available")!.output!.files[0];
  const { getActivePath } = await import("@/db/queries/messages");
  await waitFor(async () => (await getActivePath({ conversationId, userId: sharer.user.id })).at(-1)?.finishReason);
  const share = (await (await call(sharer.cookie, "POST", `/v1/conversations/${conversationId}/share`)).json()) as { share_url: string };
  const token = share.share_url.split("/").at(-1)!;
  return { sharer, conversationId, token, uploadId: upload.id, drawnId: drawn.id, otherId: other.id };
}

const referenced = (parts: Parts) => (parts ?? []).flatMap((p) => (p.type === "file" ? [p.file_id!] : p.type === "tool_result" ? (p.files ?? []).map((f) => f.id) : []));

const stores: [string, () => FileStore][] = [
  ["local disk", () => new LocalFileStore(path.join(dir, "local"))],
  ["S3 (s3rver)", () => s3Store],
];

describe.each(stores)("a fork's files (%s)", (_name, store) => {
  beforeAll(async () => {
    const { setFileStoreForTests } = await import("@/lib/files/storage");
    setFileStoreForTests(store());
  });

  it("are the forker's own: they outlive the original, and none of the sharer's files is reachable", async () => {
    const { getActivePath } = await import("@/db/queries/messages");
    const { getFileById } = await import("@/db/queries/files");
    const { storageKeyFor } = await import("@/lib/files/ingest");
    const { fileStore } = await import("@/lib/files/storage");
    const { sharer, conversationId, token, uploadId, drawnId, otherId } = await sharedConversation();
    const original = {
      upload: Buffer.from(await (await call(sharer.cookie, "GET", `/api/files/${uploadId}`)).arrayBuffer()),
      drawn: Buffer.from(await (await call(sharer.cookie, "GET", `/api/files/${drawnId}`)).arrayBuffer()),
    };
    expect(original.drawn.length).toBeGreaterThan(100);

    const viewer = await signedIn();
    // Before the fork, the sharer's files are not the viewer's.
    for (const id of [uploadId, drawnId, otherId]) expect((await call(viewer.cookie, "GET", `/api/files/${id}`)).status).toBe(404);
    const res = await call(viewer.cookie, "POST", `/api/share/${token}/continue`);
    expect(res.status).toBe(201);
    const forkId = ((await res.json()) as { id: string }).id;

    // The fork's messages name only files of the viewer's, attached to the fork's own messages.
    const path = await getActivePath({ conversationId: forkId, userId: viewer.user.id });
    expect(path.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    const ids = path.flatMap((m) => referenced(m.contentParts as Parts));
    expect(ids).toHaveLength(2);
    expect(ids).not.toContain(uploadId);
    expect(ids).not.toContain(drawnId);
    const rows = await Promise.all(ids.map((id) => getFileById({ id, userId: viewer.user.id })));
    for (const row of rows) {
      expect(row).toMatchObject({ userId: viewer.user.id, conversationId: forkId });
      expect(path.map((m) => m.id)).toContain(row!.messageId);
      expect(row!.storageKey).toBe(storageKeyFor(viewer.user.id, row!.sha256)); // the viewer's own object
    }
    const [forkUpload, forkDrawn] = ids;

    // The sharer deletes the conversation: its rows and objects go; the fork's stay.
    expect((await call(sharer.cookie, "DELETE", `/v1/conversations/${conversationId}`)).status).toBe(200);
    const sharerRow = await getFileById({ id: drawnId, userId: sharer.user.id });
    expect(sharerRow).toBeNull();
    expect(await fileStore().getBytes(storageKeyFor(sharer.user.id, rows[1]!.sha256))).toBeNull();
    const served = async (id: string) => {
      const r = await call(viewer.cookie, "GET", `/api/files/${id}`);
      expect(r.status).toBe(200);
      return Buffer.from(await r.arrayBuffer());
    };
    expect((await served(forkUpload)).equals(original.upload)).toBe(true);
    expect((await served(forkDrawn)).equals(original.drawn)).toBe(true);
    // Still none of the sharer's (their other upload included).
    for (const id of [uploadId, drawnId, otherId]) expect((await call(viewer.cookie, "GET", `/api/files/${id}`)).status).toBe(404);

    // The fork goes on: its next turn sends the copied image to the model (the echo model shows it).
    const events = await chat(viewer.cookie, forkId, "sim-echo", { text: "what was in the first picture?" });
    const echo = JSON.parse(events.filter((e) => e.type === "text-delta").map((e) => e.delta).join("")) as { messages: { role: string; content: unknown }[] };
    const firstUser = echo.messages.find((m) => m.role === "user")!;
    expect(Array.isArray(firstUser.content) && firstUser.content.some((p: { type: string }) => p.type === "image_url")).toBe(true);
  }, 120_000);

  it("take only the sharer's files of that conversation: a part naming anyone else's file is dropped", async () => {
    const { getDb } = await import("@/db");
    const { messages } = await import("@/db/schema");
    const { eq } = await import("drizzle-orm");
    const { getActivePath } = await import("@/db/queries/messages");
    const { ingestBytes } = await import("@/lib/files/ingest");
    const { sharer, conversationId, token, uploadId } = await sharedConversation();
    // A third account's file, named in the shared user message (as an imported chat could name it).
    const third = await signedIn();
    const theirs = await ingestBytes(third.user, "theirs.png", await png(8, 8, "#00aa00"));
    const [userMessage] = await getActivePath({ conversationId, userId: sharer.user.id });
    const forged = [...(userMessage.contentParts as Parts)!, { type: "file", file_id: theirs.id, name: "theirs.png", kind: "image", mime: "image/png", size: 1, pages: null, lines: null, tokens: 1 }];
    await (await getDb()).update(messages).set({ contentParts: forged }).where(eq(messages.id, userMessage.id));

    const viewer = await signedIn();
    const res = await call(viewer.cookie, "POST", `/api/share/${token}/continue`);
    expect(res.status).toBe(201);
    const forkId = ((await res.json()) as { id: string }).id;
    const [copied] = await getActivePath({ conversationId: forkId, userId: viewer.user.id });
    const ids = referenced(copied.contentParts as Parts);
    expect(ids).toHaveLength(1); // the upload's copy; the third account's file is not taken
    expect(ids).not.toContain(theirs.id);
    expect(ids).not.toContain(uploadId);
    expect((await call(viewer.cookie, "GET", `/api/files/${theirs.id}`)).status).toBe(404);
    expect((await call(third.cookie, "GET", `/api/files/${theirs.id}`)).status).toBe(200);
  }, 120_000);
});

describe("forks and storage", () => {
  beforeAll(async () => {
    const { setFileStoreForTests } = await import("@/lib/files/storage");
    setFileStoreForTests(new LocalFileStore(path.join(dir, "quota")));
  });

  it("a fork whose files do not fit the forker's storage is refused with 429, leaving no chat and no object", async () => {
    const { listConversationsByUserId } = await import("@/db/queries/conversations");
    const { ingestBytes } = await import("@/lib/files/ingest");
    const { storedBytesByUserId } = await import("@/db/queries/files");
    const { token } = await sharedConversation();
    const viewer = await signedIn();
    // Fill the viewer's store to within a few bytes of the limit (a text file: stored as sent).
    const line = "The keeper trimmed the wick and logged the weather at dawn.\n";
    await ingestBytes(viewer.user, "filler.txt", Buffer.from(line.repeat(Math.ceil(FREE_TOTAL / line.length)).slice(0, FREE_TOTAL - 10)));
    const before = await storedBytesByUserId({ userId: viewer.user.id });
    const res = await call(viewer.cookie, "POST", `/api/share/${token}/continue`);
    expect(res.status).toBe(429);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("storage_quota_exceeded");
    expect((await listConversationsByUserId({ userId: viewer.user.id, limit: 10 })).items).toHaveLength(0);
    expect(await storedBytesByUserId({ userId: viewer.user.id })).toBe(before);
    const objects = await fs.readdir(path.join(dir, "quota", "u", viewer.user.id));
    expect(objects).toHaveLength(1); // the filler only
  }, 120_000);

  it("the owner's branch keeps its files after the source is deleted (its own rows on the same objects)", async () => {
    const { getActivePath } = await import("@/db/queries/messages");
    const { sharer, conversationId, drawnId } = await sharedConversation();
    const path0 = await getActivePath({ conversationId, userId: sharer.user.id });
    const res = await call(sharer.cookie, "POST", `/v1/conversations/${conversationId}/branch`, { from_message_id: path0.at(-1)!.id });
    expect(res.status).toBe(201);
    const branchId = ((await res.json()) as { id: string }).id;
    const branch = await getActivePath({ conversationId: branchId, userId: sharer.user.id });
    const ids = branch.flatMap((m) => referenced(m.contentParts as Parts));
    expect(ids).toHaveLength(2);
    expect(ids).not.toContain(drawnId);
    expect((await call(sharer.cookie, "DELETE", `/v1/conversations/${conversationId}`)).status).toBe(200);
    expect((await call(sharer.cookie, "GET", `/api/files/${drawnId}`)).status).toBe(404);
    for (const id of ids) expect((await call(sharer.cookie, "GET", `/api/files/${id}`)).status).toBe(200);
  }, 120_000);
});

describe("a fork made while its files change", () => {
  beforeAll(async () => {
    const { setFileStoreForTests } = await import("@/lib/files/storage");
    setFileStoreForTests(new LocalFileStore(path.join(dir, "changing")));
  });

  it("is not written while an object it needs is not in place: ForkFilesChanged names them, nothing is kept", async () => {
    const { forkSharedConversation } = await import("@/db/queries/shares");
    const { ForkFilesChanged } = await import("@/db/queries/fork-files");
    const { listConversationsByUserId } = await import("@/db/queries/conversations");
    const { token, uploadId, drawnId } = await sharedConversation();
    const viewer = await signedIn();
    const attempt = forkSharedConversation({ token, userId: viewer.user.id, files: { keyFor: (f) => `u/${viewer.user.id}/${f.sha256}`, ready: new Set([uploadId]) } });
    await expect(attempt).rejects.toBeInstanceOf(ForkFilesChanged);
    const err = (await attempt.catch((e: unknown) => e)) as InstanceType<typeof ForkFilesChanged>;
    expect(err.missing.map((f) => f.id)).toEqual([drawnId]);
    expect((await listConversationsByUserId({ userId: viewer.user.id, limit: 10 })).items).toHaveLength(0);
  }, 120_000);

  it("leaves out a file whose object is gone, naming nothing in its place", async () => {
    const { getActivePath } = await import("@/db/queries/messages");
    const { getFileById } = await import("@/db/queries/files");
    const { fileStore } = await import("@/lib/files/storage");
    const { sharer, token, drawnId } = await sharedConversation();
    const drawn = (await getFileById({ id: drawnId, userId: sharer.user.id }))!;
    await fileStore().delete(drawn.storageKey); // lost from the store, its row still there
    const viewer = await signedIn();
    const res = await call(viewer.cookie, "POST", `/api/share/${token}/continue`);
    expect(res.status).toBe(201);
    const forkId = ((await res.json()) as { id: string }).id;
    const path1 = await getActivePath({ conversationId: forkId, userId: viewer.user.id });
    const ids = path1.flatMap((m) => referenced(m.contentParts as Parts));
    expect(ids).toHaveLength(1); // the upload; the drawn image is left out of the step's files
    expect((await call(viewer.cookie, "GET", `/api/files/${ids[0]}`)).status).toBe(200);
    expect((path1[2].contentParts as Parts)![0]).toMatchObject({ type: "tool_result", files: [] });
  }, 120_000);
});
