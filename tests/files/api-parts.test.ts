// OpenAI content parts in the programs' APIs, through the route handlers with an API key, the real
// simulator's echo model and a real database: image_url data URLs re-encoded, file parts as text,
// remote URLs and disguised types refused, images refused for a model that cannot see them, and the
// conversation API storing parts as attachments.
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { LocalFileStore } from "@/lib/files/storage/local";
import { newUser, startSimulator, waitFor } from "../support/gateway-harness";
import { pdf, png, SVG } from "./fixtures";

let sim: InferenceServer;
beforeAll(async () => {
  sim = await startSimulator();
  const { setFileStoreForTests } = await import("@/lib/files/storage");
  setFileStoreForTests(new LocalFileStore(await fs.mkdtemp(path.join(os.tmpdir(), "files-api-"))));
});
afterAll(async () => {
  await sim?.close();
  const { closeDb } = await import("@/db");
  await closeDb();
});

const dataUrl = (mime: string, b: Buffer) => `data:${mime};base64,${b.toString("base64")}`;

async function key(): Promise<string> {
  const { issueApiKey } = await import("@/lib/auth/api-keys");
  return (await issueApiKey((await newUser()).id, "parts")).key;
}

async function complete(k: string, body: unknown) {
  const { POST } = await import("@/app/v1/chat/completions/route");
  const res = await POST(
    new Request("http://127.0.0.1/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${k}`, "content-type": "application/json" }, body: JSON.stringify(body) }),
    { params: Promise.resolve({}) },
  );
  return { status: res.status, body: (await res.json()) as { choices?: { message: { content: string } }[]; error?: { code: string; message: string } } };
}

describe("content parts", () => {
  it("/v1/chat/completions: images re-encoded as data URLs, a PDF as its text", async () => {
    const k = await key();
    const image = await png(40, 30, "#00aa00");
    const res = await complete(k, {
      model: "sim-echo",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", image_url: { url: dataUrl("image/png", image) } },
            { type: "file", file: { filename: "brief.pdf", file_data: dataUrl("application/pdf", await pdf(2)) } },
          ],
        },
      ],
    });
    expect(res.status).toBe(200);
    const echo = JSON.parse(res.body.choices![0].message.content) as { messages: { content: { type: string; text?: string; image_url?: { url: string } }[] }[] };
    const parts = echo.messages.at(-1)!.content;
    expect(parts.map((p) => p.type)).toEqual(["image_url", "text"]);
    expect(parts[0].image_url!.url).toMatch(/^data:image\/png;base64,…/);
    expect(parts[1].text).toMatch(/^Attached PDF "brief\.pdf" \(2 pages\):[\s\S]*This is page 2 of the test document\.\n\nWhat is this\?$/);
  });

  it("/v1/chat/completions refuses remote image URLs, disguised types, and images for a model without vision", async () => {
    const k = await key();
    const ask = (part: unknown, model = "sim-echo") => complete(k, { model, messages: [{ role: "user", content: [{ type: "text", text: "hi" }, part] }] });
    expect((await ask({ type: "image_url", image_url: { url: "http://169.254.169.254/latest/meta-data" } })).body.error?.code).toBe("invalid_image_url");
    const svg = await ask({ type: "image_url", image_url: { url: dataUrl("image/png", SVG) } });
    expect(svg.status).toBe(415);
    expect(svg.body.error?.message).toMatch(/HTML and SVG files are not accepted/);
    const blind = await ask({ type: "image_url", image_url: { url: dataUrl("image/png", await png()) } }, "gpt-3.5-turbo");
    expect(blind).toMatchObject({ status: 400, body: { error: { code: "image_not_supported" } } });
  });

  it("/v1/conversations/:id/messages stores parts as attachments of the message; a stranger's file_id is 404", async () => {
    const { issueApiKey } = await import("@/lib/auth/api-keys");
    const owner = await newUser();
    const k = (await issueApiKey(owner.id, "c")).key;
    const stranger = (await issueApiKey((await newUser()).id, "s")).key;
    const { createConversation } = await import("@/db/queries/conversations");
    const conv = await createConversation({ id: randomUUID(), userId: owner.id, model: "sim-echo", title: "parts" });
    const { POST } = await import("@/app/v1/conversations/[id]/messages/route");
    const post = (auth: string, content: unknown) =>
      POST(
        new Request(`http://127.0.0.1/v1/conversations/${conv.id}/messages`, { method: "POST", headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" }, body: JSON.stringify({ content }) }),
        { params: Promise.resolve({ id: conv.id }) },
      );
    const res = await post(k, [{ type: "text", text: "Look" }, { type: "image_url", image_url: { url: dataUrl("image/png", await png(20, 20)) } }]);
    expect(res.status).toBe(200);
    const sse = await res.text();
    expect(sse).toContain("image_url");
    const { getActivePathWithSiblings } = await import("@/db/queries/branches");
    const path1 = await waitFor(async () => {
      const p = await getActivePathWithSiblings({ conversationId: conv.id, userId: owner.id });
      return p.length === 2 && p[1].finishReason ? p : null;
    });
    const parts = path1[0].contentParts as { type: string; file_id: string; kind: string }[];
    expect(parts).toMatchObject([{ type: "file", kind: "image" }]);

    // Another user cannot attach that file to their own message by id.
    const theirs = await complete(stranger, { model: "sim-echo", messages: [{ role: "user", content: [{ type: "file", file: { file_id: parts[0].file_id } }] }] });
    expect(theirs.status).toBe(404);
  });
});
