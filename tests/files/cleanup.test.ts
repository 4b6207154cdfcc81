// Stored objects go when nothing names them any more, on local disk and on S3 (s3rver): the sweep of
// uploads never sent (FILES_UNSENT_HOURS), an expired guest's files (GUEST_IDLE_DAYS: the keys are
// read before the account's cascade takes the rows), and an upload of bytes whose object a concurrent
// delete removed (stored again, not left pointing at nothing). Uploads and messages go through the
// real routes over HTTP; ages are set in SQL.
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import type { SessionUser } from "@/lib/auth/session-user";
import { LocalFileStore } from "@/lib/files/storage/local";
import { S3FileStore } from "@/lib/files/storage/s3";
import type { FileStore } from "@/lib/files/storage/types";
import { newUser, startSimulator } from "../support/gateway-harness";
import type { RouteServer } from "../support/route-server";
import { png } from "./fixtures";
import { postMessage, startFilesApp, upload } from "./http";

const root = await fs.mkdtemp(path.join(os.tmpdir(), "files-cleanup-"));
let sim: InferenceServer;
let app: RouteServer;
let s3: S3rver;
let s3Store: S3FileStore;

beforeAll(async () => {
  sim = await startSimulator({ FILES_UNSENT_HOURS: "24", GUEST_IDLE_DAYS: "30" });
  s3 = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: path.join(root, "s3"), configureBuckets: [{ name: "chatgate-cleanup", configs: [] }] });
  const addr = (await s3.run()) as AddressInfo;
  s3Store = new S3FileStore({ endpoint: `http://127.0.0.1:${addr.port}`, bucket: "chatgate-cleanup", region: "us-east-1", accessKeyId: "S3RVER", secretAccessKey: "S3RVER" });
  app = await startFilesApp();
});
afterAll(async () => {
  const { setFileStoreForTests } = await import("@/lib/files/storage");
  setFileStoreForTests(undefined);
  await app?.close();
  await sim?.close();
  await s3?.close();
  await fs.rm(root, { recursive: true, force: true });
});

async function db() {
  const { getDb } = await import("@/db");
  return getDb();
}

async function keyOf(fileId: string): Promise<string | null> {
  const { files } = await import("@/db/schema");
  const { eq } = await import("drizzle-orm");
  const [row] = await (await db()).select({ key: files.storageKey }).from(files).where(eq(files.id, fileId));
  return row?.key ?? null;
}

async function age(fileIds: string[], hours: number): Promise<void> {
  const at = new Date(Date.now() - hours * 3600_000).toISOString();
  await (await db()).execute(sql`update files set created_at = ${at}::timestamptz where id = any(${`{${fileIds.join(",")}}`}::uuid[])`);
}

async function apiKey(user: SessionUser): Promise<string> {
  const { issueApiKey } = await import("@/lib/auth/api-keys");
  return (await issueApiKey(user.id, "cleanup")).key;
}

/** A message with this upload, through the conversation API (the file becomes the message's). */
async function sendWith(key: string, user: SessionUser, fileId: string): Promise<void> {
  const { createConversation } = await import("@/db/queries/conversations");
  const conv = await createConversation({ userId: user.id, model: "sim-echo", title: "kept" });
  const res = await postMessage(app, key, conv.id, { content: [{ type: "text", text: "keep this" }, { type: "file", file: { file_id: fileId } }] });
  expect(res.status).toBe(200);
}

const stores: [string, () => FileStore][] = [
  ["local disk", () => new LocalFileStore(path.join(root, `local-${randomUUID()}`))],
  ["S3 (s3rver)", () => s3Store],
];

describe.each(stores)("%s", (_name, makeStore) => {
  let store: FileStore;
  beforeAll(async () => {
    store = makeStore();
    const { setFileStoreForTests } = await import("@/lib/files/storage");
    setFileStoreForTests(store);
  });

  it("the sweep deletes uploads never sent once older than FILES_UNSENT_HOURS, and only their orphaned objects", async () => {
    const user = await newUser();
    const key = await apiKey(user);
    const stale = await upload(app, key, "stale.txt", Buffer.from(`never sent ${randomUUID()}\n`));
    const fresh = await upload(app, key, "fresh.txt", Buffer.from(`just uploaded ${randomUUID()}\n`));
    const sharedBytes = Buffer.from(`sent once, uploaded twice ${randomUUID()}\n`);
    const sent = await upload(app, key, "sent.txt", sharedBytes);
    const twin = await upload(app, key, "twin.txt", sharedBytes); // same bytes: same object as `sent`
    await sendWith(key, user, sent.id);
    await age([stale.id, sent.id, twin.id], 25);
    await age([fresh.id], 23);
    const [staleKey, freshKey, sentKey] = [await keyOf(stale.id), await keyOf(fresh.id), await keyOf(sent.id)];
    expect(await keyOf(twin.id)).toBe(sentKey);
    for (const k of [staleKey!, freshKey!, sentKey!]) expect(await store.has(k)).toBe(true);

    const { sweepUnsentUploads } = await import("@/lib/files/sweep");
    expect(await sweepUnsentUploads()).toBeGreaterThanOrEqual(2);
    expect(await keyOf(stale.id)).toBeNull();
    expect(await store.has(staleKey!)).toBe(false);
    expect(await keyOf(twin.id)).toBeNull(); // the row goes…
    expect(await store.has(sentKey!)).toBe(true); // …but the sent message still uses the object
    expect(await keyOf(sent.id)).toBe(sentKey);
    expect(await keyOf(fresh.id)).toBe(freshKey);
    expect(await store.has(freshKey!)).toBe(true);

    // FILES_UNSENT_HOURS=0 turns the sweep off.
    const { resetEnvForTests } = await import("@/lib/env");
    process.env.FILES_UNSENT_HOURS = "0";
    resetEnvForTests();
    try {
      await age([fresh.id], 1000);
      expect(await sweepUnsentUploads()).toBe(0);
      expect(await keyOf(fresh.id)).toBe(freshKey);
    } finally {
      process.env.FILES_UNSENT_HOURS = "24";
      resetEnvForTests();
    }
  });

  it("an expired guest's stored objects are deleted with the account; other accounts' stay", async () => {
    const { createUser, getUserById } = await import("@/db/queries/users");
    const { openServerSession } = await import("@/lib/auth/server-session");
    const guestRow = await createUser({ isGuest: true, email: null, name: null });
    const guest: SessionUser = { id: guestRow.id, email: null, name: null, isGuest: true, tier: "free", role: "user" };
    const other = await newUser();
    const guestKey = await apiKey(guest);
    const attached = await upload(app, guestKey, "chart.png", await png(24, 24, "#00aa55"));
    const unsent = await upload(app, guestKey, "draft.txt", Buffer.from(`a draft ${randomUUID()}\n`));
    await sendWith(guestKey, guest, attached.id);
    const kept = await upload(app, await apiKey(other), "mine.txt", Buffer.from(`someone else ${randomUUID()}\n`));
    const keys = [(await keyOf(attached.id))!, (await keyOf(unsent.id))!];
    const keptKey = (await keyOf(kept.id))!;
    for (const k of [...keys, keptKey]) expect(await store.has(k)).toBe(true);

    const old = new Date(Date.now() - 40 * 24 * 3600_000).toISOString();
    await openServerSession(guest.id);
    await (await db()).execute(sql`update users set created_at = ${old}::timestamptz where id = ${guest.id}::uuid`);
    await (await db()).execute(sql`update sessions set last_seen_at = ${old}::timestamptz, created_at = ${old}::timestamptz where user_id = ${guest.id}::uuid`);
    const { sweepIdleGuests } = await import("@/lib/auth/guest-expiry");
    expect(await sweepIdleGuests()).toBeGreaterThanOrEqual(1);
    expect(await getUserById({ id: guest.id })).toBeNull();
    for (const k of keys) expect(await store.has(k)).toBe(false);
    expect(await store.has(keptKey)).toBe(true);
  });

  it("an upload whose earlier object a concurrent delete removed stores the bytes again", async () => {
    const user = await newUser();
    const key = await apiKey(user);
    const bytes = Buffer.from(`uploaded again ${randomUUID()}\n`);
    const first = await upload(app, key, "a.txt", bytes);
    const k = (await keyOf(first.id))!;
    // What a delete of the last row does between the second upload's lookup and its insert: the object goes.
    await store.delete(k);
    const second = await upload(app, key, "b.txt", bytes);
    expect(await keyOf(second.id)).toBe(k); // deduplicated: the same key…
    expect(await store.has(k)).toBe(true); // …and the object is there again
    expect((await store.getBytes(k))?.equals(bytes)).toBe(true);
  });
});

describe("a delete and an upload of the same bytes at once", () => {
  // On PostgreSQL the upload really waits on the key's advisory lock (without it this test fails there:
  // the delete removes the object after the new row was committed); PGlite runs one transaction at a time.
  it("the upload waits for the delete's lock on the key and stores the object again: no row names a missing object", async () => {
    const store = new LocalFileStore(path.join(root, `race-${randomUUID()}`));
    const { setFileStoreForTests } = await import("@/lib/files/storage");
    setFileStoreForTests(store);
    const user = await newUser();
    const key = await apiKey(user);
    const bytes = Buffer.from(`raced ${randomUUID()}\n`);
    const first = await upload(app, key, "first.txt", bytes);
    const k = (await keyOf(first.id))!;

    // The delete of the last row holds the key's lock while its object delete is slow.
    let inside!: () => void;
    const deleting = new Promise<void>((r) => (inside = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { deleteFileById } = await import("@/db/queries/files");
    const { deleteStoredObjects } = await import("@/lib/files/remove");
    const deleted = deleteFileById({ id: first.id, userId: user.id }, async (keys) => {
      inside();
      await gate;
      await deleteStoredObjects(keys);
    });
    await deleting;
    const second = upload(app, key, "second.txt", bytes); // finds the row being deleted: reuses its key
    await new Promise((r) => setTimeout(r, 500));
    release();
    expect(await deleted).toBe(true);
    const row = await second;
    expect(await keyOf(row.id)).toBe(k);
    expect(await keyOf(first.id)).toBeNull();
    expect((await store.getBytes(k))?.equals(bytes)).toBe(true);
  });
});
