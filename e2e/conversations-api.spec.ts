// The conversation REST API (DESIGN §5) over real HTTP: shapes, pagination edges, validation, and
// that another user's conversation is a 404 on every route.
import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { register } from "./fixtures";

const json = { "content-type": "application/json" };

async function create(api: APIRequestContext, title: string) {
  const res = await api.post("/v1/conversations", { headers: json, data: { title, model: "sim-echo" } });
  expect(res.status()).toBe(201);
  return (await res.json()) as { id: string; title: string };
}

/** Reads an OpenAI chat.completion.chunk stream into its chunks. */
function chunks(body: string) {
  const frames = body.split("\n\n").filter((f) => f.startsWith("data: "));
  expect(frames.at(-1)).toBe("data: [DONE]");
  // Each event's data line (the conversation API's events also carry `id:` lines, for Last-Event-ID).
  return frames.slice(0, -1).map((f) => JSON.parse(f.split("\n")[0].slice(6)));
}

test("create, list with cursor pagination, read, rename, archive and delete", async ({ page }) => {
  await register(page);
  const api = page.context().request;
  const empty = await (await api.get("/v1/conversations?limit=2")).json();
  expect(empty).toEqual({ object: "list", data: [], has_more: false, next_cursor: null });

  const made = [];
  for (const t of ["one", "two", "three", "four"]) made.push(await create(api, t));
  const first = await (await api.get("/v1/conversations?limit=2")).json();
  expect(first.data.map((c: { title: string }) => c.title)).toEqual(["four", "three"]);
  expect(first.has_more).toBe(true);
  // A conversation created between pages does not shift the next page.
  await create(api, "five");
  const second = await (await api.get(`/v1/conversations?limit=2&before=${first.next_cursor}`)).json();
  expect(second.data.map((c: { title: string }) => c.title)).toEqual(["two", "one"]);
  expect(second).toMatchObject({ has_more: false, next_cursor: null });

  for (const bad of ["limit=0", "limit=101", "limit=abc", "before=not-a-cursor"]) {
    const res = await api.get(`/v1/conversations?${bad}`);
    expect(res.status(), bad).toBe(400);
    expect((await res.json()).error.type).toBe("invalid_request_error");
  }

  const id = made[0].id;
  const renamed = await api.patch(`/v1/conversations/${id}`, { headers: json, data: { title: "renamed" } });
  expect(await renamed.json()).toMatchObject({ id, title: "renamed" });
  expect((await api.patch(`/v1/conversations/${id}`, { headers: json, data: { title: "" } })).status()).toBe(400);
  expect((await api.patch(`/v1/conversations/${id}`, { headers: json, data: { colour: "red" } })).status()).toBe(400);

  await api.patch(`/v1/conversations/${id}`, { headers: json, data: { archived: true } });
  const active = await (await api.get("/v1/conversations?limit=100")).json();
  expect(active.data.map((c: { id: string }) => c.id)).not.toContain(id);
  const archived = await (await api.get("/v1/conversations?archived=true")).json();
  expect(archived.data.map((c: { id: string }) => c.id)).toEqual([id]);

  const deleted = await api.delete(`/v1/conversations/${id}`, { headers: json });
  expect(await deleted.json()).toEqual({ id, object: "conversation.deleted", deleted: true });
  expect((await api.get(`/v1/conversations/${id}`)).status()).toBe(404);
  expect((await api.delete(`/v1/conversations/${id}`, { headers: json })).status()).toBe(404);
});

test("messages stream back in the OpenAI chunk format and the tree is readable", async ({ page }) => {
  await register(page);
  const api = page.context().request;
  const conv = await create(api, "api chat");
  const res = await api.post(`/v1/conversations/${conv.id}/messages`, { headers: json, data: { content: "hello over the API" } });
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("text/event-stream");
  const parsed = chunks(await res.text());
  expect(parsed[0]).toMatchObject({ object: "chat.completion.chunk", model: "sim-echo", choices: [{ delta: { role: "assistant" } }] });
  const replyId = parsed[0].id;
  expect(parsed.every((c) => c.id === replyId)).toBe(true);
  expect(parsed.at(-1).choices[0].finish_reason).toBe("stop");
  const text = parsed.map((c) => c.choices[0]?.delta?.content ?? "").join("");
  expect(JSON.parse(text).messages.at(-1)).toEqual({ role: "user", content: "hello over the API" });

  const conversation = await (await api.get(`/v1/conversations/${conv.id}`)).json();
  expect(conversation.messages.map((m: { role: string }) => m.role)).toEqual(["user", "assistant"]);
  expect(conversation.messages[1]).toMatchObject({ id: replyId, finish_reason: "stop", parent_id: conversation.messages[0].id });
  expect(conversation.current_message_id).toBe(replyId);

  // A follow-up, then another follow-up to the first reply (parent_id): two branches in the tree.
  await (await api.post(`/v1/conversations/${conv.id}/messages`, { headers: json, data: { content: "follow-up" } })).text();
  await (await api.post(`/v1/conversations/${conv.id}/messages`, { headers: json, data: { content: "another branch", parent_id: replyId } })).text();
  const tree = await (await api.get(`/v1/conversations/${conv.id}?tree=1`)).json();
  expect(tree.messages).toHaveLength(6);
  const path = await (await api.get(`/v1/conversations/${conv.id}`)).json();
  expect(path.messages.map((m: { content: string; role: string }) => (m.role === "user" ? m.content : m.role))).toEqual([
    "hello over the API",
    "assistant",
    "another branch",
    "assistant",
  ]);

  const invalid = await api.post(`/v1/conversations/${conv.id}/messages`, { headers: json, data: { content: "" } });
  expect(invalid.status()).toBe(400);
  expect((await invalid.json()).error.param).toBe("content");
});

test("another user's conversation is 404 on every route", async ({ page, browser }) => {
  await register(page);
  const owner = page.context().request;
  const conv = await create(owner, "private");
  const other = await browser.newContext();
  await register(await other.newPage());
  const api = other.request;
  const url = `/v1/conversations/${conv.id}`;
  const attempts = [
    api.get(url),
    api.get(`${url}?tree=1`),
    api.patch(url, { headers: json, data: { title: "mine" } }),
    api.delete(url, { headers: json }),
    api.post(`${url}/messages`, { headers: json, data: { content: "hi" } }),
    api.get(`/v1/conversations/${randomUUID()}`),
    api.get("/v1/conversations/not-a-uuid"),
  ];
  for (const res of await Promise.all(attempts)) {
    expect(res.status()).toBe(404);
    expect((await res.json()).error.type).toBe("not_found_error");
  }
  expect((await (await owner.get(url)).json()).title).toBe("private");
  await other.close();
});
