// Boundary checks over real HTTP (issue 17 items 9, 12, 16): body-less deletes, NUL characters,
// far-future cursors, and who may read /api/metrics.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hardeningEnv, sessionCookie, startApp, type TestApp } from "./app";

hardeningEnv();

const { closeDb } = await import("@/db");
const { finishAssistantMessage, startTurn } = await import("@/db/queries/messages");
const { issueApiKey } = await import("@/lib/auth/api-keys");
const { resetEnvForTests } = await import("@/lib/env");
const { resetClientIpForTests, CLIENT_IP_HEADER } = await import("@/lib/http/client-ip");
const { newUser } = await import("../support/gateway-harness");

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app.close();
  await closeDb();
});

function setEnv(vars: Record<string, string>) {
  Object.assign(process.env, vars);
  resetEnvForTests();
  resetClientIpForTests();
}

async function conversationWithReply(userId: string): Promise<string> {
  const { createConversation } = await import("@/db/queries/conversations");
  const c = await createConversation({ userId, model: "gpt-4o", title: "t", systemPrompt: null });
  const turn = (await startTurn({ userId, conversationId: c.id, model: "gpt-4o", parentId: null, user: { content: "hello" } }))!;
  await finishAssistantMessage({ id: turn.assistant.id, content: "hi", finishReason: "stop", model: "gpt-4o" });
  return c.id;
}

describe("routing, as the app server routes", () => {
  it("serves every route handler without a table of the test's own: its live-reply table first, then the rest as Next does", async () => {
    // Routes no test table names: served from the route files.
    expect((await fetch(`${app.url}/api/health/live`)).status).toBe(200);
    const models = await fetch(`${app.url}/v1/models`, { method: "PUT" });
    expect(models.status).toBe(405);
    expect(models.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect((await fetch(`${app.url}/v1/no-such-route`)).status).toBe(404);
    // A static segment wins over a parameter, as in Next: /import is the import route, not a conversation id.
    const user = await newUser();
    const key = (await issueApiKey(user.id, "cli")).key;
    const latest = await fetch(`${app.url}/v1/conversations/import`, { headers: { authorization: `Bearer ${key}` } });
    expect([latest.status, await latest.json()]).toEqual([200, null]); // no import yet (a conversation id would be a 404)
    // The app server's own table answers a malformed escape in its paths itself, with its security headers.
    const malformed = await fetch(`${app.url}/api/chat/%E0%A4%A/stream`);
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe("invalid_path");
    expect(malformed.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("a request without a body needs no content type", () => {
  it("DELETE /v1/conversations/:id and a share revoke work body-less, with a key or a same-origin cookie", async () => {
    const user = await newUser();
    const key = (await issueApiKey(user.id, "cli")).key;
    const cookie = await sessionCookie(user.id, user.email);
    const a = await conversationWithReply(user.id);
    const b = await conversationWithReply(user.id);
    expect((await fetch(`${app.url}/v1/conversations/${a}/share`, { method: "POST", headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    // As curl -X DELETE sends it: no body, no content type.
    expect((await fetch(`${app.url}/v1/conversations/${a}/share`, { method: "DELETE", headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    expect((await fetch(`${app.url}/v1/conversations/${a}`, { method: "DELETE", headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    const same = { cookie, origin: app.url, "sec-fetch-site": "same-origin" };
    expect((await fetch(`${app.url}/v1/conversations/${b}`, { method: "DELETE", headers: same })).status).toBe(200);
  });

  it("keeps cross-site protection for cookie sessions, and the JSON content type for bodies", async () => {
    const user = await newUser();
    const cookie = await sessionCookie(user.id, user.email);
    const id = await conversationWithReply(user.id);
    const cross = await fetch(`${app.url}/v1/conversations/${id}`, { method: "DELETE", headers: { cookie, "sec-fetch-site": "cross-site" } });
    expect(cross.status).toBe(403);
    const foreign = await fetch(`${app.url}/v1/conversations/${id}`, { method: "DELETE", headers: { cookie, origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
    const form = await fetch(`${app.url}/v1/conversations`, { method: "POST", headers: { cookie, "content-type": "text/plain" }, body: "{}" });
    expect(form.status).toBe(415);
  });
});

describe("NUL characters", () => {
  it("in any JSON text field are a clear 400, not a database 500", async () => {
    const user = await newUser();
    const key = (await issueApiKey(user.id, "cli")).key;
    const cookie = await sessionCookie(user.id, user.email);
    const json = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const create = await fetch(`${app.url}/v1/conversations`, { method: "POST", headers: json, body: JSON.stringify({ title: "a\u0000b" }) });
    expect(create.status).toBe(400);
    expect((await create.json()).error).toMatchObject({ code: "invalid_text", param: "title", type: "invalid_request_error" });
    const id = await conversationWithReply(user.id);
    const patch = await fetch(`${app.url}/v1/conversations/${id}`, { method: "PATCH", headers: json, body: JSON.stringify({ system_prompt: "x\u0000" }) });
    expect(patch.status).toBe(400);
    const keyName = await fetch(`${app.url}/api/settings/api-keys`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json", "sec-fetch-site": "same-origin" },
      body: JSON.stringify({ name: "k\u0000" }),
    });
    expect(keyName.status).toBe(400);
    const instructions = await fetch(`${app.url}/api/settings/custom-instructions`, {
      method: "PUT",
      headers: { cookie, "content-type": "application/json", "sec-fetch-site": "same-origin" },
      body: JSON.stringify({ about_me: "me\u0000", response_style: "", enabled: true }),
    });
    expect(instructions.status).toBe(400);
    const chat = await fetch(`${app.url}/v1/chat/completions`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: [{ type: "text", text: "hi\u0000" }] }] }),
    });
    expect(chat.status).toBe(400);
    expect((await chat.json()).error).toMatchObject({ code: "invalid_text", param: "messages.0.content.0.text" });
    // An escaped backslash before "u0000" is the text \u0000, not a NUL: accepted.
    const literal = await fetch(`${app.url}/v1/conversations`, { method: "POST", headers: json, body: '{"title":"a\\\\u0000b"}' });
    expect(literal.status).toBe(201);
    expect((await literal.json()).title).toBe("a\\u0000b");
  });
});

describe("list cursors", () => {
  it("with a far-future or year-10000 date are a 400", async () => {
    const user = await newUser();
    const key = (await issueApiKey(user.id, "cli")).key;
    const id = "00000000-0000-4000-8000-000000000000";
    for (const ms of [Date.UTC(10000, 0, 1), 8.64e15, 99999999999999999]) {
      const cursor = Buffer.from(`${ms}.${id}`).toString("base64url");
      const res = await fetch(`${app.url}/v1/conversations?before=${cursor}`, { headers: { authorization: `Bearer ${key}` } });
      expect([ms, res.status]).toEqual([ms, 400]);
      expect((await res.json()).error.code).toBe("invalid_cursor");
    }
    const ok = Buffer.from(`${Date.UTC(9999, 11, 31)}.${id}`).toString("base64url");
    expect((await fetch(`${app.url}/v1/conversations?before=${ok}`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
  });
});

describe("/api/metrics", () => {
  it("does not trust the Host header: the socket's address decides, X-Forwarded-For only through a trusted proxy", async () => {
    setEnv({ METRICS_TOKEN: "", TRUSTED_PROXIES: "" });
    // This test's client is on loopback: allowed whatever the Host says …
    expect((await fetch(`${app.url}/api/metrics`, { headers: { host: "metrics.example" } })).status).toBe(200);
    // … behind a trusted proxy on loopback, the forwarded client is remote: refused even with Host: localhost.
    setEnv({ TRUSTED_PROXIES: "loopback" });
    const proxied = await fetch(`${app.url}/api/metrics`, { headers: { host: "localhost", "x-forwarded-for": "203.0.113.7" } });
    expect(proxied.status).toBe(404);
    setEnv({ TRUSTED_PROXIES: "" });
  });

  it("ignores a client's own copy of the internal client-address header, and requires METRICS_TOKEN when set", async () => {
    const { clientIp } = await import("@/lib/http/client-ip");
    // Forged (unsigned) values are not believed by anything that reads the header.
    expect(clientIp(new Headers({ [CLIENT_IP_HEADER]: "127.0.0.1 forged" }))).toBe("unknown");
    expect(clientIp(new Headers({ [CLIENT_IP_HEADER]: "127.0.0.1" }))).toBe("unknown");
    setEnv({ METRICS_TOKEN: "m-token" });
    expect((await fetch(`${app.url}/api/metrics`)).status).toBe(404);
    expect((await fetch(`${app.url}/api/metrics`, { headers: { authorization: "Bearer m-token" } })).status).toBe(200);
    setEnv({ METRICS_TOKEN: "" });
  });
});
