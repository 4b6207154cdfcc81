// The conversation API with an API key (DESIGN §5: share and branch are part of the programs' API),
// through the real route handlers and a real database; another user's key gets 404.
import { afterAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { finishAssistantMessage, startTurn } from "@/db/queries/messages";
import { newUser } from "../support/gateway-harness";

afterAll(closeDb);

async function keyFor(userId: string): Promise<string> {
  const { issueApiKey } = await import("@/lib/auth/api-keys");
  return (await issueApiKey(userId, "test")).key;
}

function call(method: string, path: string, key: string, body?: unknown): Request {
  return new Request(`http://127.0.0.1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe("conversation routes with an API key", () => {
  it("shares, branches and revokes with a key; another user's key is 404", async () => {
    const owner = await newUser();
    const key = await keyFor(owner.id);
    const [conversations, share, branch] = await Promise.all([
      import("@/app/v1/conversations/route"),
      import("@/app/v1/conversations/[id]/share/route"),
      import("@/app/v1/conversations/[id]/branch/route"),
    ]);
    const created = await conversations.POST(call("POST", "/v1/conversations", key, { title: "By key", model: "gpt-4o" }), {
      params: Promise.resolve({}),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const turn = (await startTurn({ userId: owner.id, conversationId: id, model: "gpt-4o", parentId: null, user: { content: "hello" } }))!;
    await finishAssistantMessage({ id: turn.assistant.id, content: "hi", finishReason: "stop", model: "gpt-4o" });
    const params = { params: Promise.resolve({ id }) };

    const shared = await share.POST(call("POST", `/v1/conversations/${id}/share`, key), params);
    expect(shared.status).toBe(200);
    expect((await shared.json()).share_url).toMatch(/\/share\/[A-Za-z0-9_-]{32}$/);

    const forked = await branch.POST(call("POST", `/v1/conversations/${id}/branch`, key, { from_message_id: turn.assistant.id }), params);
    expect(forked.status).toBe(201);
    expect(((await forked.json()) as { messages: { content: string }[] }).messages.map((m) => m.content)).toEqual(["hello", "hi"]);

    const stranger = await keyFor((await newUser()).id);
    expect((await share.DELETE(call("DELETE", `/v1/conversations/${id}/share`, stranger), params)).status).toBe(404);
    expect((await branch.POST(call("POST", `/v1/conversations/${id}/branch`, stranger, { from_message_id: turn.assistant.id }), params)).status).toBe(404);

    expect((await share.DELETE(call("DELETE", `/v1/conversations/${id}/share`, key), params)).status).toBe(200);
    expect((await share.GET(call("GET", `/v1/conversations/${id}/share`, "sk-not-a-key"), params)).status).toBe(401);
  });
});
