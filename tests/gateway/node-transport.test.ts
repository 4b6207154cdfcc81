// The app server's streaming transport (scripts/server.ts → serveRoute → writeReplyToNode) over real
// HTTP: the same route handlers Next runs, a real session cookie (Auth.js's JWE format), the real
// inference simulator and database. Also the session-cookie check that replaces auth() in routes.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encode } from "next-auth/jwt";
import type { InferenceServer } from "@/inference/server";
import { newUser, sseEvents, startSimulator, waitFor } from "../support/gateway-harness";
import { serveApp, type RouteServer } from "../support/route-server";

const SECRET = "node-transport-test-secret-0123456789abcdef";
const COOKIE = "authjs.session-token";

let sim: InferenceServer;
let app: RouteServer;
let base: string;

beforeAll(async () => {
  sim = await startSimulator({ AUTH_SECRET: SECRET });
  // The app server's own route table and request handler (scripts/server.ts), not a copy of it.
  app = await serveApp();
  base = app.url;
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
});

async function signedIn() {
  const [{ openServerSession, closeServerSession }] = await Promise.all([import("@/lib/auth/server-session")]);
  const user = await newUser();
  const sid = await openServerSession(user.id);
  const token = await encode({ token: { sub: user.id, sid }, secret: SECRET, salt: COOKIE });
  return { user, sid, cookie: `${COOKIE}=${token}`, signOut: () => closeServerSession(sid) };
}

function post(path: string, cookie: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json", origin: base, ...headers },
    body: JSON.stringify(body),
  });
}

describe("the app server's streaming routes", () => {
  it("stream a UI message reply written straight to the socket, saved as the pipeline saves it", async () => {
    const { user, cookie } = await signedIn();
    const id = randomUUID();
    const res = await post("/api/chat", cookie, { id, model: "gpt-4o", message: { id: randomUUID(), text: "Tell me about sockets" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(res.headers.get("x-vercel-ai-ui-message-stream")).toBe("v1");
    const text = await res.text();
    const events = sseEvents(text)
      .filter((e) => e.data.startsWith("{"))
      .map((e) => JSON.parse(e.data) as { type: string; delta?: string; messageId?: string });
    expect(events[0].type).toBe("start");
    expect(events.map((e) => e.type)).toContain("finish");
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    const reply = events.filter((e) => e.type === "text-delta").map((e) => e.delta).join("");
    expect(reply.length).toBeGreaterThan(10);

    const { getMessageById } = await import("@/db/queries/messages");
    const saved = await waitFor(async () => {
      const m = await getMessageById({ id: events[0].messageId!, userId: user.id });
      return m?.finishReason ? m : null;
    });
    expect(saved.content).toBe(reply);
    expect(saved.finishReason).toBe("stop");
  });

  it("stream OpenAI chunks for the conversation API, and reattach to a live reply", async () => {
    const { cookie } = await signedIn();
    const id = randomUUID();
    // sim-large is slow (40 tokens/s): the reply is still live when the second client attaches.
    const first = await post("/api/chat", cookie, { id, model: "gpt-4", message: { id: randomUUID(), text: "Write a long story" } });
    expect(first.status).toBe(200);
    const reader = first.body!.getReader();
    await reader.read();
    const again = await fetch(`${base}/api/chat/${id}/stream`, { headers: { cookie } });
    expect(again.status).toBe(200);
    await reader.cancel(); // the first client leaves: the reply goes on
    const replay = await again.text();
    expect(replay).toContain('"type":"start"');
    expect(replay.trimEnd().endsWith("data: [DONE]")).toBe(true);

    const res = await post(`/v1/conversations/${id}/messages`, cookie, { content: "And another" });
    expect(res.status).toBe(200);
    const chunks = sseEvents(await res.text()).map((e) => e.data);
    expect(chunks.at(-1)).toBe("[DONE]");
    const first3 = JSON.parse(chunks[0]) as { object: string; choices: { delta: { role?: string } }[] };
    expect(first3.object).toBe("chat.completion.chunk");
    expect(first3.choices[0].delta.role).toBe("assistant");
  });

  it("a reply's end goes out once it is saved: the next message right after [DONE] is taken, and the row is final", async () => {
    const { user, cookie } = await signedIn();
    const id = randomUUID();
    const first = await post("/api/chat", cookie, { id, model: "sim-echo", message: { id: randomUUID(), text: "hello" } });
    expect(first.status).toBe(200);
    await first.text();
    const { getActivePathWithSiblings } = await import("@/db/queries/branches");
    for (let turn = 0; turn < 5; turn++) {
      // Sent the moment the previous stream ended: never 409 "a reply is still being written".
      const res = await post(`/v1/conversations/${id}/messages`, cookie, { content: `turn ${turn}` });
      expect(res.status).toBe(200);
      expect(sseEvents(await res.text()).at(-1)?.data).toBe("[DONE]");
      const path = await getActivePathWithSiblings({ conversationId: id, userId: user.id });
      expect(path.at(-1)).toMatchObject({ role: "assistant", finishReason: "stop" });
      expect(path.at(-1)!.content.length).toBeGreaterThan(0);
    }
  });

  it("answer errors as JSON: no cookie, a tampered or revoked session, bad input, another user's chat", async () => {
    const body = { id: randomUUID(), model: "gpt-4o", message: { id: randomUUID(), text: "hi" } };
    const anonymous = await post("/api/chat", "", body);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe("unauthorized");

    const { cookie, signOut } = await signedIn();
    const tampered = await post("/api/chat", cookie.slice(0, -4) + "AAAA", body);
    expect(tampered.status).toBe(401);

    const invalid = await post("/api/chat", cookie, { ...body, id: "not-a-uuid" });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { param: string } }).error.param).toBe("id");

    const other = await signedIn();
    const theirs = await post(`/v1/conversations/${randomUUID()}/messages`, other.cookie, { content: "hello" });
    expect(theirs.status).toBe(404);

    const huge = await post("/api/chat", cookie, { ...body, message: { id: randomUUID(), text: "x".repeat(3_000_000) } });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe("request_too_large");

    const crossSite = await post("/api/chat", cookie, body, { "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);

    // The decoded cookie is cached, the session row is not: signing out rejects the same cookie at once.
    const ok = await fetch(`${base}/api/chat/${randomUUID()}/stream`, { headers: { cookie } });
    expect(ok.status).toBe(404); // accepted session; no such conversation
    await signOut();
    const after = await fetch(`${base}/api/chat/${randomUUID()}/stream`, { headers: { cookie } });
    expect(after.status).toBe(401);
  });

  it("refuses an expired session cookie", async () => {
    const { user, sid } = await signedIn();
    const token = await encode({ token: { sub: user.id, sid }, secret: SECRET, salt: COOKIE, maxAge: -60 });
    const res = await fetch(`${base}/api/chat/${randomUUID()}/stream`, { headers: { cookie: `${COOKIE}=${token}` } });
    expect(res.status).toBe(401);
  });
});
