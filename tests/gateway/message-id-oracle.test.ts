// A message id chosen by the client that is already taken (review finding 11): the caller's own again
// (a resent request) is a 409; another user's is answered exactly as a message that does not exist
// — 404, nothing about it existing — and the other user's message is untouched. Over real HTTP
// through the app server's route table, on the real simulator and database.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { readSseText, startSimulator } from "../support/gateway-harness";
import { serveApp, type RouteServer } from "../support/route-server";
import { signedIn, TEST_AUTH_SECRET } from "../support/session-cookie";

let sim: InferenceServer;
let app: RouteServer;

beforeAll(async () => {
  sim = await startSimulator({ AUTH_SECRET: TEST_AUTH_SECRET, REDIS_URL: "", UPSTASH_REDIS_REST_URL: "" });
  app = await serveApp();
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
});

function chat(cookie: string, body: unknown) {
  return fetch(`${app.url}/api/chat`, { method: "POST", headers: { cookie, origin: app.url, "content-type": "application/json" }, body: JSON.stringify(body) });
}

describe("a taken message id", () => {
  it("another user's: 404 as for any message that is not theirs; one's own: 409", async () => {
    const owner = await signedIn();
    const messageId = randomUUID();
    const first = await chat(owner.cookie, { id: randomUUID(), model: "gpt-3.5-turbo", message: { id: messageId, text: "first" } });
    expect(first.status).toBe(200);
    await readSseText(first);

    const other = await signedIn();
    const reused = await chat(other.cookie, { id: randomUUID(), model: "gpt-3.5-turbo", message: { id: messageId, text: "probe" } });
    const body = await reused.json();
    // The same answer as a parentId naming a message that is not the caller's.
    const missing = await chat(other.cookie, { id: randomUUID(), model: "gpt-3.5-turbo", parentId: randomUUID(), message: { id: randomUUID(), text: "probe" } });
    const missingBody = await missing.json();
    expect(reused.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(body.error).toMatchObject({ type: missingBody.error.type, code: missingBody.error.code, message: missingBody.error.message });
    expect(JSON.stringify(body)).not.toMatch(/exist(s|ed)? already|already exists|message_exists/);

    const again = await chat(owner.cookie, { id: randomUUID(), model: "gpt-3.5-turbo", message: { id: messageId, text: "second" } });
    expect(again.status).toBe(409);
    const { getMessageById } = await import("@/db/queries/messages");
    expect((await getMessageById({ id: messageId, userId: owner.user.id }))?.content).toBe("first");
  });
});
