// Branching through the gateway, checked with the simulator's echo mode: the context sent upstream
// is exactly the active path after edits, regenerations and version switches, and nothing from the
// other branches.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { newUser, readUiStream, startSimulator, waitFor } from "../support/gateway-harness";

let sim: InferenceServer;

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim?.close();
});

async function deps() {
  const [{ startReply }, { uiMessageStream }, messages, branches] = await Promise.all([
    import("../support/turns"),
    import("../support/turns"),
    import("@/db/queries/messages"),
    import("@/db/queries/branches"),
  ]);
  return { startReply, uiMessageStream, ...messages, ...branches };
}

type Echo = { messages: { role: string; content: string }[] };
type User = Awaited<ReturnType<typeof newUser>>;

/** One turn; returns what the model received (minus the system prompt) and the ids. */
async function turn(user: User, conversationId: string, input: { text?: string; parentId?: string | null; regenerateFrom?: string }) {
  const d = await deps();
  const { run, userMessageId } = await d.startReply(user, {
    conversationId,
    model: "sim-echo",
    message: input.text ? { id: randomUUID(), text: input.text } : undefined,
    parentId: input.parentId,
    regenerateFrom: input.regenerateFrom,
  });
  const stream = await readUiStream(d.uiMessageStream(run, userMessageId));
  await waitFor(async () => (await d.getMessageById({ id: run.id, userId: user.id }))?.finishReason);
  const echo = JSON.parse(stream.text) as Echo;
  const sent = echo.messages.filter((m) => m.role !== "system").map((m) => (m.role === "user" ? m.content : "<reply>"));
  return { sent, userMessageId, assistantId: run.id };
}

describe("context follows the active path", () => {
  it("after an edit, a regenerate and a version switch", async () => {
    const d = await deps();
    const user = await newUser();
    const id = randomUUID();
    const a = await turn(user, id, { text: "alpha" });
    const b = await turn(user, id, { text: "bravo" });
    expect(b.sent).toEqual(["alpha", "<reply>", "bravo"]);

    // Edit "bravo": a sibling under the first reply; the old question is not sent.
    const edited = await turn(user, id, { text: "bravo edited", parentId: a.assistantId });
    expect(edited.sent).toEqual(["alpha", "<reply>", "bravo edited"]);
    const c = await turn(user, id, { text: "charlie" });
    expect(c.sent).toEqual(["alpha", "<reply>", "bravo edited", "<reply>", "charlie"]);

    // Back to the first version of the second question: the path ends at its own reply again.
    const path = (await d.switchToBranch({ conversationId: id, userId: user.id, messageId: b.userMessageId }))!;
    expect(path.map((m) => m.id)).toEqual([a.userMessageId, a.assistantId, b.userMessageId, b.assistantId]);
    expect(path[2].siblingIds).toEqual([b.userMessageId, edited.userMessageId]);
    const next = await turn(user, id, { text: "delta" });
    expect(next.sent).toEqual(["alpha", "<reply>", "bravo", "<reply>", "delta"]);

    // Regenerating an answer on the other branch makes that branch active again.
    const regen = await turn(user, id, { regenerateFrom: edited.userMessageId });
    expect(regen.sent).toEqual(["alpha", "<reply>", "bravo edited"]);
    const after = await d.getActivePathWithSiblings({ conversationId: id, userId: user.id });
    expect(after.at(-1)!.id).toBe(regen.assistantId);
    expect(after.at(-1)!.siblingIds).toEqual([edited.assistantId, regen.assistantId]);
  });

  it("an edit of the first message starts a new root with nothing before it", async () => {
    const d = await deps();
    const user = await newUser();
    const id = randomUUID();
    const first = await turn(user, id, { text: "first try" });
    await turn(user, id, { text: "follow-up" });
    const root = await turn(user, id, { text: "second try", parentId: null });
    expect(root.sent).toEqual(["second try"]);
    const path = await d.getActivePathWithSiblings({ conversationId: id, userId: user.id });
    expect(path.map((m) => m.sequenceNum)).toEqual([0, 1]);
    expect(path[0].siblingIds).toEqual([first.userMessageId, root.userMessageId]);
  });
});
