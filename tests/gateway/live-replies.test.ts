// Live replies over real HTTP through the app server's route table (scripts/server.ts): every SSE
// event carries its seq as `id:`; a client resumes with Last-Event-ID (or ?after=) and gets every
// event exactly once; two tabs watch one reply; Stop from another request aborts the upstream
// sequence; other users get 404 before anything is read; a reply whose log is gone comes from its
// row. Also: a reused message id is a 409, not a 500; a malformed path escape is a 400; a failing
// request never frees a stream slot it did not take.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { readSseText, sseEvents, startSimulator, waitFor } from "../support/gateway-harness";
import { serveApp, type RouteServer } from "../support/route-server";
import { signedIn, TEST_AUTH_SECRET } from "../support/session-cookie";

let sim: InferenceServer;
let app: RouteServer;

beforeAll(async () => {
  sim = await startSimulator({ AUTH_SECRET: TEST_AUTH_SECRET, UPSTASH_REDIS_REST_URL: "", SSE_HEARTBEAT_MS: "200", CHECKPOINT_MS: "100" });
  app = await serveApp();
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
});

type Ui = { type: string; delta?: string; messageId?: string; messageMetadata?: { finishReason?: string | null } };

function post(path: string, cookie: string, body?: unknown) {
  return fetch(`${app.url}${path}`, {
    method: "POST",
    headers: { cookie, origin: app.url, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Reads an SSE response until `enough` says so (then drops the connection) or to its end. */
async function read(res: Response, enough?: (events: { id: number | null; ui: Ui | null }[]) => boolean) {
  const text = await readSseText(res, enough && ((complete) => enough(parse(complete))));
  const events = parse(text);
  return { events, ids: events.map((e) => e.id).filter((id): id is number => id !== null), text: events.map((e) => e.ui?.delta ?? "").join(""), done: text.includes("data: [DONE]") };
}

const parse = (text: string) => sseEvents(text).map((e) => ({ id: e.id, ui: e.data.startsWith("{") ? (JSON.parse(e.data) as Ui) : null }));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function savedReply(conversationId: string, userId: string) {
  const { getLeafReply } = await import("@/db/queries/messages");
  return waitFor(async () => {
    const m = await getLeafReply({ conversationId, userId });
    return m?.finishReason ? m : null;
  });
}

/** A slow reply (gpt-4 → sim-large, 40 tokens/s), still streaming for a few seconds. */
async function startSlow(cookie: string, text = "Write a long story about lighthouses") {
  const id = randomUUID();
  const res = await post("/api/chat", cookie, { id, model: "gpt-4", message: { id: randomUUID(), text } });
  expect(res.status).toBe(200);
  return { id, res };
}

describe("resuming a reply", () => {
  it("after a dropped connection with Last-Event-ID: every event exactly once; a second tab sees it all", async () => {
    const { user, cookie } = await signedIn();
    const { id, res } = await startSlow(cookie);
    const first = await read(res, (events) => events.filter((e) => e.ui?.type === "text-delta").length >= 3);
    expect(first.done).toBe(false);
    const last = first.ids.at(-1)!;
    expect(first.ids).toEqual(range(1, last)); // seq numbers from 1, no gap

    const [resumed, tab] = await Promise.all([
      fetch(`${app.url}/api/chat/${id}/stream`, { headers: { cookie, "last-event-id": String(last) } }).then((r) => read(r)),
      fetch(`${app.url}/api/chat/${id}/stream?after=0`, { headers: { cookie } }).then((r) => read(r)),
    ]);
    expect(resumed.done).toBe(true);
    expect(resumed.ids[0]).toBe(last + 1);
    expect(resumed.ids).toEqual(range(last + 1, resumed.ids.at(-1)!));
    const saved = await savedReply(id, user.id);
    expect(saved.finishReason).toBe("stop");
    expect(first.text + resumed.text).toBe(saved.content);
    expect(tab.text).toBe(saved.content);
    expect(tab.ids).toEqual(range(1, resumed.ids.at(-1)!));
  });

  it("through the conversation API with ?after=, as OpenAI chunks", async () => {
    const { user, cookie } = await signedIn();
    const { id, res } = await startSlow(cookie);
    const first = await read(res, (events) => events.filter((e) => e.ui?.type === "text-delta").length >= 2);
    const last = first.ids.at(-1)!;
    const again = await fetch(`${app.url}/v1/conversations/${id}/messages?after=${last}`, { headers: { cookie } });
    expect(again.headers.get("content-type")).toMatch(/text\/event-stream/);
    const events = sseEvents(await again.text());
    expect(events.at(-1)?.data).toBe("[DONE]");
    const chunks = events.filter((e) => e.data.startsWith("{")).map((e) => JSON.parse(e.data) as { id: string; choices: { delta: { content?: string } }[] });
    const saved = await savedReply(id, user.id);
    expect(chunks.every((c) => c.id === saved.id)).toBe(true);
    expect(first.text + chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe(saved.content);
    expect(events.find((e) => e.id !== null)?.id).toBe(last + 1);
  });

  it("comes from the saved row when the reply has no log any more", async () => {
    const { user, cookie } = await signedIn();
    const { createConversation } = await import("@/db/queries/conversations");
    const { startTurn, finishAssistantMessage } = await import("@/db/queries/messages");
    const conversation = await createConversation({ userId: user.id, model: "gpt-4o", title: "old" });
    const turn = await startTurn({ userId: user.id, conversationId: conversation.id, model: "gpt-4o", parentId: null, user: { content: "hi" } });
    await finishAssistantMessage({ id: turn!.assistant.id, content: "Saved long ago.", finishReason: "stop", model: "gpt-4o" });
    const replay = await read(await fetch(`${app.url}/api/chat/${conversation.id}/stream`, { headers: { cookie } }));
    expect(replay.text).toBe("Saved long ago.");
    expect(replay.events.find((e) => e.ui?.type === "start")?.ui?.messageId).toBe(turn!.assistant.id);
    expect(replay.done).toBe(true);
  });
});

describe("stop", () => {
  it("from another request aborts this reply's upstream sequence and keeps it as aborted", async () => {
    type SimRequest = { id: string; model: string; status: string };
    const simRequests = async () => ((await (await fetch(`${sim.url}/sim/stats`)).json()) as { requests: SimRequest[] }).requests;
    const before = new Set((await simRequests()).map((r) => r.id));
    const { user, cookie } = await signedIn();
    const { id, res } = await startSlow(cookie, "Write an essay about tides");
    const reading = read(res);
    await waitFor(async () => (await simRequests()).some((r) => !before.has(r.id) && r.model === "sim-large" && r.status === "running"));
    const ours = (await simRequests()).filter((r) => !before.has(r.id) && r.model === "sim-large" && r.status === "running");
    expect(ours).toHaveLength(1);
    expect((await post(`/api/chat/${id}/stop`, cookie)).status).toBe(204);
    // 204 means the stop is on record.
    const { getLeafReply } = await import("@/db/queries/messages");
    expect((await getLeafReply({ conversationId: id, userId: user.id }))?.finishReason).toBe("aborted");
    const stream = await reading;
    expect(stream.events.find((e) => e.ui?.type === "message-metadata")?.ui?.messageMetadata?.finishReason).toBe("aborted");
    const record = await waitFor(async () => (await simRequests()).find((r) => r.id === ours[0].id && r.status !== "running"));
    expect(record.status).toBe("aborted");
  });
});

describe("another user", () => {
  it("gets 404 from attach, stop and the conversation API, and the reply goes on", async () => {
    const owner = await signedIn();
    const { id, res } = await startSlow(owner.cookie);
    const other = await signedIn();
    expect((await fetch(`${app.url}/api/chat/${id}/stream`, { headers: { cookie: other.cookie } })).status).toBe(404);
    expect((await fetch(`${app.url}/v1/conversations/${id}/messages`, { headers: { cookie: other.cookie } })).status).toBe(404);
    expect((await post(`/api/chat/${id}/stop`, other.cookie)).status).toBe(404);
    const stream = await read(res);
    expect(stream.events.find((e) => e.ui?.type === "message-metadata")?.ui?.messageMetadata?.finishReason).toBe("stop");
  });
});

describe("bad input", () => {
  it("a reused message id is 409, and the first message stays as it was", async () => {
    const { user, cookie } = await signedIn();
    const messageId = randomUUID();
    const id = randomUUID();
    const ok = await post("/api/chat", cookie, { id, model: "gpt-3.5-turbo", message: { id: messageId, text: "first" } });
    await read(ok);
    await savedReply(id, user.id);
    const again = await post("/api/chat", cookie, { id: randomUUID(), model: "gpt-3.5-turbo", message: { id: messageId, text: "second" } });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("message_exists");
    const { getMessageById } = await import("@/db/queries/messages");
    expect((await getMessageById({ id: messageId, userId: user.id }))?.content).toBe("first");
  });

  it("a malformed % escape in a path segment is a 400 in the OpenAI shape", async () => {
    const { cookie } = await signedIn();
    const res = await fetch(`${app.url}/api/chat/%E0%A4%A/stream`, { headers: { cookie } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string; type: string } }).error).toMatchObject({ code: "invalid_path", type: "invalid_request_error" });
  });

  it("a failing request does not free a stream slot it did not take (free tier: 2 replies at once)", async () => {
    const { cookie } = await signedIn();
    const messageId = randomUUID();
    const a = await post("/api/chat", cookie, { id: randomUUID(), model: "gpt-4", message: { id: messageId, text: "Write a long story about owls" } });
    expect(a.status).toBe(200);
    // Reuses the live reply's message id: refused, and must give back only its own slot.
    const reused = await post("/api/chat", cookie, { id: randomUUID(), model: "gpt-4", message: { id: messageId, text: "again" } });
    expect(reused.status).toBe(409);
    const b = await startSlow(cookie);
    const c = await post("/api/chat", cookie, { id: randomUUID(), model: "gpt-4", message: { id: randomUUID(), text: "one too many" } });
    expect(c.status).toBe(429);
    await Promise.all([post(`/api/chat/${b.id}/stop`, cookie), a.body!.cancel(), b.res.body!.cancel()]);
  });
});
