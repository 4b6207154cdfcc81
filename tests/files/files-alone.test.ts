// A message of files alone through the browser's POST /api/chat (the composer sends it with no text):
// over real HTTP, the app server's fast handler, a real database and the echo model. The model gets
// the file and no empty text part; a message with neither text nor files is a clear 400.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signedIn } from "../support/session-cookie";
import { chat, lastUserParts, filesStack, upload } from "./http";

const stack = filesStack("files-alone");

describe("POST /api/chat with files and no text", () => {
  it("sends the file alone; the model receives it without an empty text part", async () => {
    const { user, cookie } = await signedIn();
    const { issueApiKey } = await import("@/lib/auth/api-keys");
    const { key } = await issueApiKey(user.id, "alone");
    const notes = await upload(stack.app, key, "groceries.txt", Buffer.from("apples, bread, olive oil\n"));
    const res = await chat(stack.app, cookie, { id: randomUUID(), message: { id: randomUUID(), text: "   ", attachments: [{ id: notes.id }] } });
    expect(res.status).toBe(200);
    const parts = lastUserParts(res.echo!);
    expect(parts).toHaveLength(1);
    expect(parts[0].text).toContain("apples, bread, olive oil");
  });

  it("answers 400 with a readable message when there is neither text nor a file", async () => {
    const { cookie } = await signedIn();
    const res = await chat(stack.app, cookie, { id: randomUUID(), message: { id: randomUUID(), text: " " } });
    expect(res.status).toBe(400);
    expect(res.error).toMatchObject({ code: "invalid_request" });
    expect(res.error!.message).toContain("Type a message or attach a file first.");
  });
});
