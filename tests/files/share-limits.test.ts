// The share-scoped file route serves only files of the snapshot's path (not later messages, not
// unattached uploads, not with a wrong token), and an oversized upload is refused with 413 while it
// streams, without a row or an object left behind.
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { createConversation } from "@/db/queries/conversations";
import { attachFilesToMessage, storedBytesByUserId } from "@/db/queries/files";
import { finishAssistantMessage, startTurn } from "@/db/queries/messages";
import { shareConversation } from "@/db/queries/shares";
import { LocalFileStore } from "@/lib/files/storage/local";
import { newUser } from "../support/gateway-harness";
import { png } from "./fixtures";

let dir = "";
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "files-share-"));
  const { setFileStoreForTests } = await import("@/lib/files/storage");
  setFileStoreForTests(new LocalFileStore(dir));
});
afterAll(closeDb);

describe("share-scoped files", () => {
  it("serve files of the snapshot only", async () => {
    const { ingestBytes } = await import("@/lib/files/ingest");
    const { GET } = await import("@/app/api/share/[token]/files/[id]/route");
    const owner = await newUser();
    const conv = await createConversation({ id: randomUUID(), userId: owner.id, model: "sim-echo", title: "s" });
    const inSnapshot = await ingestBytes(owner, "shared.png", await png(10, 10, "#111111"));
    const later = await ingestBytes(owner, "later.png", await png(10, 10, "#222222"));
    const loose = await ingestBytes(owner, "loose.png", await png(10, 10, "#333333"));

    const t1 = (await startTurn({ userId: owner.id, conversationId: conv.id, model: "sim-echo", parentId: null, user: { content: "one" } }))!;
    await attachFilesToMessage({ ids: [inSnapshot.id], userId: owner.id, conversationId: conv.id, messageId: t1.userMessage!.id });
    await finishAssistantMessage({ id: t1.assistant.id, content: "ok", finishReason: "stop", model: "sim-echo" });
    const share = (await shareConversation({ conversationId: conv.id, userId: owner.id }))!;
    const t2 = (await startTurn({ userId: owner.id, conversationId: conv.id, model: "sim-echo", parentId: t1.assistant.id, user: { content: "two" } }))!;
    await attachFilesToMessage({ ids: [later.id], userId: owner.id, conversationId: conv.id, messageId: t2.userMessage!.id });

    const get = (token: string, id: string) => GET(new Request(`http://127.0.0.1/api/share/${token}/files/${id}`), { params: Promise.resolve({ token, id }) });
    const ok = await get(share.token!, inSnapshot.id);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await get(share.token!, later.id)).status).toBe(404); // after the snapshot
    expect((await get(share.token!, loose.id)).status).toBe(404); // never sent
    expect((await get("A".repeat(32), inSnapshot.id)).status).toBe(404);
    expect((await get(share.token!, "nope")).status).toBe(404);
  });
});

describe("upload limits", () => {
  it("refuse a file over the tier's bytes per file with 413, leaving nothing stored", async () => {
    const { ingestUpload } = await import("@/lib/files/ingest");
    const user = await newUser();
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(11 * 1024 * 1024).fill(0x61)], { type: "text/plain" }), "big.txt");
    // No Content-Length: the limit is enforced on the bytes as they stream, not on a header.
    const body = new Response(form);
    const req = new Request("http://127.0.0.1/api/files", { method: "POST", headers: { "content-type": body.headers.get("content-type")! }, body: body.body, duplex: "half" } as RequestInit);
    await expect(ingestUpload(user, req)).rejects.toMatchObject({ status: 413, code: "file_too_large", message: expect.stringMatching(/larger than 10 MB/) });
    expect(await storedBytesByUserId({ userId: user.id })).toBe(0);
  });
});
