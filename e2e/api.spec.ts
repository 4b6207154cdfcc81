// The gateway's HTTP contract over real HTTP against the production build.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { register } from "./fixtures";

const json = { "content-type": "application/json" };

test("unauthenticated calls get 401 in the OpenAI error shape", async ({ request }) => {
  const res = await request.post("/api/chat", { headers: json, data: { id: randomUUID(), model: "gpt-4o", message: { id: randomUUID(), text: "hi" } } });
  expect(res.status()).toBe(401);
  const body = await res.json();
  expect(body.error).toMatchObject({ type: "authentication_error", code: "unauthorized" });
  expect(typeof body.error.message).toBe("string");
  expect((await request.get("/v1/conversations")).status()).toBe(401);
});

test("input is validated, cross-site writes are refused, others' conversations are 404", async ({ page, browser }) => {
  await register(page);
  const api = page.context().request;

  const bad = await api.post("/api/chat", { headers: json, data: { id: "not-a-uuid", model: "gpt-4o" } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toMatchObject({ type: "invalid_request_error", param: "id" });

  const unknownModel = await api.post("/api/chat", { headers: json, data: { id: randomUUID(), model: "nope", message: { id: randomUUID(), text: "hi" } } });
  expect(unknownModel.status()).toBe(400);
  expect((await unknownModel.json()).error.code).toBe("model_not_found");

  const form = await api.post("/api/chat", { headers: { "content-type": "text/plain" }, data: "{}" });
  expect(form.status()).toBe(415);

  const crossSite = await api.post("/api/chat", {
    headers: { ...json, origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    data: { id: randomUUID(), model: "gpt-4o", message: { id: randomUUID(), text: "hi" } },
  });
  expect(crossSite.status()).toBe(403);

  // A reply in a new conversation: SSE headers, then the conversation is listed and readable.
  const id = randomUUID();
  const res = await api.post("/api/chat", { headers: json, data: { id, model: "gpt-3.5-turbo", message: { id: randomUUID(), text: "hello api" } } });
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("text/event-stream");
  expect(res.headers()["cache-control"]).toContain("no-cache");
  expect(res.headers()["x-accel-buffering"]).toBe("no");
  const stream = await res.text();
  expect(stream).toContain('"type":"text-delta"');
  expect(stream.trimEnd().endsWith("data: [DONE]")).toBe(true);

  const list = await (await api.get("/v1/conversations?limit=5")).json();
  expect(list.object).toBe("list");
  // The provisional title (the first words) or the utility model's title for it.
  expect(list.data[0]).toMatchObject({ id, object: "conversation", title: expect.stringMatching(/^hello api$/i) });
  const conv = await (await api.get(`/v1/conversations/${id}`)).json();
  expect(conv.messages.map((m: { role: string }) => m.role)).toEqual(["user", "assistant"]);
  expect(conv.messages[1].finish_reason).toBe("stop");

  // Another user sees nothing of it, and cannot write into it.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await register(otherPage);
  const otherApi = other.request;
  expect((await otherApi.get(`/v1/conversations/${id}`)).status()).toBe(404);
  const hijack = await otherApi.post("/api/chat", { headers: json, data: { id, model: "gpt-4o", message: { id: randomUUID(), text: "mine now" } } });
  expect(hijack.status()).toBe(404);
  expect((await otherApi.get("/v1/conversations")).ok()).toBe(true);
  expect(((await (await otherApi.get("/v1/conversations")).json()).data as unknown[]).length).toBe(0);
  await other.close();
});

test("a signed-out session cookie is rejected even if copied", async ({ page, browser }) => {
  await register(page);
  const cookies = await page.context().cookies();
  expect((await page.context().request.get("/v1/conversations")).status()).toBe(200);
  const session = cookies.find((c) => c.name.includes("session-token"));
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");

  await page.getByRole("button", { name: "Account" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);

  const thief = await browser.newContext();
  await thief.addCookies(cookies);
  expect((await thief.request.get("/v1/conversations")).status()).toBe(401);
  await thief.close();
});
