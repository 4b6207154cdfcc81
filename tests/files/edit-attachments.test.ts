// Editing a message keeps its attachments (issue: branching dropped them), over real HTTP through the
// browser's POST /api/chat, a real database and the simulator's echo model: the new version's reply
// still receives the files; the new version owns copies of them (rows of its own, one stored object);
// the editor can leave one out or add a new upload; files of another conversation or user stay 404;
// deleting the conversation deletes every row and the objects.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newUser, waitFor } from "../support/gateway-harness";
import { signedIn } from "../support/session-cookie";
import { png } from "./fixtures";
import { chat, lastUserParts, filesStack, objectsUnder, upload } from "./http";

const stack = filesStack("files-edit");

async function filesOf(messageId: string) {
  const { getDb } = await import("@/db");
  const { files } = await import("@/db/schema");
  const { eq } = await import("drizzle-orm");
  return (await getDb()).select({ id: files.id, storageKey: files.storageKey, conversationId: files.conversationId }).from(files).where(eq(files.messageId, messageId));
}

async function replyDone(userId: string, conversationId: string) {
  const { getActivePathWithSiblings } = await import("@/db/queries/branches");
  return waitFor(async () => {
    const p = await getActivePathWithSiblings({ conversationId, userId });
    return p.at(-1)?.role === "assistant" && p.at(-1)!.finishReason ? p : null;
  });
}

describe("editing a message with attachments", () => {
  it("keeps them on the new version by default, lets one be left out or added, and the reply sees exactly those", async () => {
    const { user, cookie } = await signedIn();
    const { issueApiKey } = await import("@/lib/auth/api-keys");
    const { key } = await issueApiKey(user.id, "edit");
    const notes = await upload(stack.app, key, "notes.txt", Buffer.from("The launch code is pineapple.\n"));
    const dot = await upload(stack.app, key, "dot.png", await png(16, 16, "#ff0000"));
    const conversationId = randomUUID();

    const first = await chat(stack.app, cookie, { id: conversationId, message: { id: randomUUID(), text: "What does the note say?", attachments: [{ id: notes.id }, { id: dot.id }] } });
    expect(first.status).toBe(200);
    expect(lastUserParts(first.echo!).map((p) => p.type)).toEqual(["text", "image_url", "text"]);
    const [original] = await replyDone(user.id, conversationId);

    // The edit as the chat sends it: the new text, the message's own attachments, under the same parent (none: the first message).
    const editedId = randomUUID();
    const edited = await chat(stack.app, cookie, {
      id: conversationId,
      parentId: null,
      message: { id: editedId, text: "Quote the note exactly.", attachments: [{ id: notes.id }, { id: dot.id }] },
    });
    expect(edited.status).toBe(200);
    const parts = lastUserParts(edited.echo!);
    expect(parts.map((p) => p.type)).toEqual(["text", "image_url", "text"]);
    expect(parts[0].text).toContain("The launch code is pineapple.");
    expect(parts[2].text).toBe("Quote the note exactly.");
    expect(edited.text).not.toContain("What does the note say?"); // the other branch is not sent
    const path2 = await replyDone(user.id, conversationId);
    expect(path2[0]).toMatchObject({ id: editedId, siblingIds: [original.id, editedId] });

    // The new version owns copies: new ids in its content_parts, rows attached to it, the same objects.
    const copied = path2[0].contentParts as { file_id: string; name: string }[];
    expect(copied.map((p) => p.name)).toEqual(["notes.txt", "dot.png"]);
    expect(copied.map((p) => p.file_id)).not.toContain(notes.id);
    const rows = await filesOf(editedId);
    expect(rows.map((r) => r.id).sort()).toEqual(copied.map((p) => p.file_id).sort());
    const originals = await filesOf(original.id);
    expect(originals.map((r) => r.id).sort()).toEqual([notes.id, dot.id].sort());
    expect(rows.map((r) => r.storageKey).sort()).toEqual(originals.map((r) => r.storageKey).sort());
    expect(rows.every((r) => r.conversationId === conversationId)).toBe(true);
    expect(await objectsUnder(stack.dir)).toBe(2);

    // Edit again, leaving the image out and adding a new upload: the reply gets exactly those.
    const extra = await upload(stack.app, key, "extra.md", Buffer.from("# Second note\nBring snacks.\n"));
    const third = await chat(stack.app, cookie, {
      id: conversationId,
      parentId: null,
      message: { id: randomUUID(), text: "And now?", attachments: [{ id: copied[0].file_id }, { id: extra.id }] },
    });
    expect(third.status).toBe(200);
    const thirdParts = lastUserParts(third.echo!);
    expect(thirdParts.map((p) => p.type)).toEqual(["text", "text", "text"]);
    expect(thirdParts[0].text).toContain("pineapple");
    expect(thirdParts[1].text).toContain("Bring snacks.");
    expect(third.text).not.toContain("image_url");
    const path3 = await replyDone(user.id, conversationId);
    expect(path3[0].siblingIds).toHaveLength(3);
    expect(await filesOf(path3[0].id)).toHaveLength(2);

    // The original version is untouched.
    expect(await filesOf(original.id)).toHaveLength(2);

    // A share of the edited branch serves its own copies; the other versions' files are not on its path.
    const shared = await fetch(`${stack.app.url}/v1/conversations/${conversationId}/share`, { method: "POST", headers: { authorization: `Bearer ${key}` } });
    expect(shared.status).toBe(200);
    const token = new URL(((await shared.json()) as { share_url: string }).share_url).pathname.split("/").pop()!;
    const viaShare = (id: string) => fetch(`${stack.app.url}/api/share/${token}/files/${id}`).then((r) => r.status);
    const [keptNote, added] = (path3[0].contentParts as { file_id: string }[]).map((p) => p.file_id);
    expect(await viaShare(keptNote)).toBe(200);
    expect(await viaShare(added)).toBe(200);
    expect(await viaShare(notes.id)).toBe(404);
    expect(await viaShare(copied[1].file_id)).toBe(404);

    // A file of another conversation of the same user, or of another user: 404, nothing saved.
    const other = randomUUID();
    await chat(stack.app, cookie, { id: other, message: { id: randomUUID(), text: "elsewhere" } });
    await replyDone(user.id, other);
    const foreign = await chat(stack.app, cookie, { id: other, message: { id: randomUUID(), text: "steal", attachments: [{ id: notes.id }] } });
    expect(foreign).toMatchObject({ status: 404, error: { code: "not_found:file" } });
    const stranger = await signedIn(await newUser());
    const theirs = await chat(stack.app, stranger.cookie, { id: randomUUID(), message: { id: randomUUID(), text: "steal", attachments: [{ id: copied[0].file_id }] } });
    expect(theirs).toMatchObject({ status: 404, error: { code: "not_found:file" } });

    // Deleting the conversation deletes every version's rows and, with the last row, the objects.
    const del = await fetch(`${stack.app.url}/v1/conversations/${conversationId}`, { method: "DELETE", headers: { authorization: `Bearer ${key}` } });
    expect(del.status).toBe(200);
    for (const m of [...path2, ...path3, original]) expect(await filesOf(m.id)).toHaveLength(0);
    expect(await objectsUnder(stack.dir)).toBe(0);
  });
});
