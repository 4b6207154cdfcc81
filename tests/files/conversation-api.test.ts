// POST /v1/conversations/:id/messages with attachments and no text, over real HTTP through the app
// server's own route (scripts/server.ts), an API key, a real database and the echo model: the files
// alone are a message (stored with empty text, the model gets only the file parts); neither text nor
// an attachment is a clear 400 that stores nothing.
import { describe, expect, it } from "vitest";
import { newUser, waitFor } from "../support/gateway-harness";
import { png } from "./fixtures";
import { filesStack, lastUserParts, postMessage, upload } from "./http";

const stack = filesStack("files-conv-api");

async function setup() {
  const user = await newUser();
  const { issueApiKey } = await import("@/lib/auth/api-keys");
  const { key } = await issueApiKey(user.id, "conv");
  const { createConversation } = await import("@/db/queries/conversations");
  const conv = await createConversation({ userId: user.id, model: "sim-echo", title: "files only" });
  return { user, key, conv };
}

async function path0(userId: string, conversationId: string) {
  const { getActivePathWithSiblings } = await import("@/db/queries/branches");
  return getActivePathWithSiblings({ conversationId, userId });
}

describe("POST /v1/conversations/:id/messages", () => {
  it("accepts attachments without text: an upload's file_id, an inline image, a file part", async () => {
    const { user, key, conv } = await setup();
    const notes = await upload(stack.app, key, "notes.txt", Buffer.from("Buy oat milk.\n"));
    const res = await postMessage(stack.app, key, conv.id, {
      content: [
        { type: "file", file: { file_id: notes.id } },
        { type: "image_url", image_url: { url: `data:image/png;base64,${(await png(12, 12)).toString("base64")}` } },
        { type: "text", text: "   " }, // only whitespace: no typed text
      ],
    });
    expect(res.status).toBe(200);
    const parts = lastUserParts(res.echo!);
    expect(parts.map((p) => p.type)).toEqual(["text", "image_url"]); // no empty text part after the files
    expect(parts[0].text).toContain("Buy oat milk.");
    const saved = await waitFor(async () => {
      const p = await path0(user.id, conv.id);
      return p.at(-1)?.finishReason ? p : null;
    });
    expect(saved[0]).toMatchObject({ role: "user", content: "" });
    expect((saved[0].contentParts as { name: string }[]).map((p) => p.name)).toEqual(["notes.txt", "image-2"]);

    // And a follow-up turn still sends the file-only message (paired with its files by its empty text).
    const next = await postMessage(stack.app, key, conv.id, { content: "What should I buy?" });
    expect(next.status).toBe(200);
    const firstUser = next.echo!.messages.find((m) => m.role === "user")!;
    expect(JSON.stringify(firstUser.content)).toContain("Buy oat milk.");
  });

  it("answers 400 with a clear message when there is neither text nor an attachment, and stores nothing", async () => {
    const { user, key, conv } = await setup();
    const EMPTY = "Send text, an attachment (an image_url or file part), or both.";
    for (const body of [{}, { content: "" }, { content: "  \n " }, { content: [] }, { content: [{ type: "text", text: " " }] }]) {
      const res = await postMessage(stack.app, key, conv.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.error).toMatchObject({ code: "invalid_request", param: "content" });
      expect(res.error!.message).toContain(EMPTY);
      expect(res.error!.message).toMatch(/^content: /);
    }
    const wrong = await postMessage(stack.app, key, conv.id, { content: 42 });
    expect(wrong.status).toBe(400);
    expect(wrong.error!.message).toBe(`content: content must be a string or an array of content parts. ${EMPTY}`);
    expect(await path0(user.id, conv.id)).toEqual([]);
  });
});
