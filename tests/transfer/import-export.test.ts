// Import of ChatGPT's export and our own, and export round trips, on the real database.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getActivePath, listMessagesByConversationId } from "@/db/queries/messages";
import { getConversationById, listConversationsByUserId } from "@/db/queries/conversations";
import { exportStream } from "@/lib/transfer/export";
import { importForUser } from "@/lib/transfer/import-job";
import { newUser } from "../support/gateway-harness";

const fixture = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "../fixtures/chatgpt-conversations.json"), "utf8"));

describe("import", () => {
  it("imports a ChatGPT export with its branches, titles, timestamps and current branch", async () => {
    const user = await newUser();
    const { source, ids } = await importForUser(user.id, fixture);
    expect(source).toBe("chatgpt");
    expect(ids).toHaveLength(2);
    const sourdough = (await getConversationById({ id: ids[0], userId: user.id }))!;
    expect(sourdough.title).toBe("Sourdough starter help");
    expect(sourdough.createdAt.toISOString()).toBe("2024-10-27T03:33:20.123Z");
    const tree = await listMessagesByConversationId({ conversationId: sourdough.id, userId: user.id });
    expect(tree).toHaveLength(6); // the empty root and the hidden system message are dropped
    expect(tree.filter((m) => m.role === "user" && m.sequenceNum === 2)).toHaveLength(2); // two branches
    const active = await getActivePath({ conversationId: sourdough.id, userId: user.id });
    expect(active.map((m) => m.content)).toEqual([
      "My sourdough starter smells like nail polish. Is it dead?",
      "Not dead — hungry. The acetone smell means it needs feeding more often.",
      "What flour ratio should I feed it with?",
      "Equal weights of flour and water: a 1:1:1 feed.",
    ]);
    expect(active[3].model).toBe("gpt-4o-mini");
    expect(active.map((m) => m.sequenceNum)).toEqual([0, 1, 2, 3]);
  });

  it("rejects an invalid file with a clear error and imports nothing", async () => {
    const user = await newUser();
    const broken = structuredClone(fixture);
    broken[1].mapping.a1.parent = "missing-node";
    broken[1].current_node = "nowhere";
    await expect(importForUser(user.id, broken)).rejects.toMatchObject({ status: 400, code: "invalid_import" });
    await expect(importForUser(user.id, { hello: "world" })).rejects.toMatchObject({ status: 400, message: expect.stringContaining("conversations.json") });
    const cyclic = {
      format: "chatgate.export",
      version: 1,
      conversations: [
        {
          title: "loop",
          model: "gpt-4o",
          created_at: "2026-01-01T00:00:00Z",
          updated_at: "2026-01-01T00:00:00Z",
          current_message_id: null,
          messages: [
            { id: "a", parent_id: "b", role: "user", content: "x", created_at: "2026-01-01T00:00:00Z" },
            { id: "b", parent_id: "a", role: "assistant", content: "y", created_at: "2026-01-01T00:00:00Z" },
          ],
        },
      ],
    };
    await expect(importForUser(user.id, cyclic)).rejects.toMatchObject({ status: 400, message: expect.stringContaining("cycle") });
    expect((await listConversationsByUserId({ userId: user.id, limit: 10 })).items).toEqual([]);
  });
});

describe("export", () => {
  it("round-trips: an export imported again gives the same trees", async () => {
    const user = await newUser();
    await importForUser(user.id, fixture);
    const text = await new Response(exportStream(user.id)).text();
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({ format: "chatgate.export", version: 1 });
    expect(doc.conversations.map((c: { title: string }) => c.title).sort()).toEqual(["Regex for dates", "Sourdough starter help"]);

    const other = await newUser();
    const again = await importForUser(other.id, doc);
    expect(again.source).toBe("chatgate");
    const reexported = JSON.parse(await new Response(exportStream(other.id)).text());
    const shape = (d: typeof doc) =>
      d.conversations
        .map((c: { title: string; messages: { role: string; content: string; created_at: string }[] }) => ({
          title: c.title,
          messages: c.messages.map((m) => [m.role, m.content, m.created_at]).sort(),
        }))
        .sort((a: { title: string }, b: { title: string }) => a.title.localeCompare(b.title));
    expect(shape(reexported)).toEqual(shape(doc));
  });
});
