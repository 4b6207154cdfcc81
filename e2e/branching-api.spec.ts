// Branch and share over real HTTP (DESIGN §5): shapes, snapshots, revocation, and that nobody but
// the owner can branch, share, revoke or switch a conversation.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { JSON_HEADERS as json, register } from "./fixtures";

interface PathMessage {
  id: string;
  parent_id: string | null;
  role: string;
  content: string;
  finish_reason: string | null;
  sibling_ids: string[];
}

/** Echo replies repeat the whole prompt (system prompt included), so the share test uses a text model. */
async function create(api: APIRequestContext, title: string, model = "sim-echo") {
  const res = await api.post("/v1/conversations", { headers: json, data: { title, model } });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** Sends a message and waits until its reply is saved; returns the active path. */
async function say(api: APIRequestContext, id: string, content: string, parentId?: string): Promise<PathMessage[]> {
  const res = await api.post(`/v1/conversations/${id}/messages`, { headers: json, data: { content, ...(parentId ? { parent_id: parentId } : {}) } });
  expect(res.status()).toBe(200);
  await res.text();
  let path: PathMessage[] = [];
  await expect
    .poll(async () => {
      path = ((await (await api.get(`/v1/conversations/${id}`)).json()) as { messages: PathMessage[] }).messages;
      return path.at(-1)?.finish_reason ?? null;
    })
    .not.toBeNull();
  return path;
}

test("branch: a new conversation with a copy of the path; only the owner may branch or switch", async ({ page, browser }) => {
  await register(page);
  const api = page.context().request;
  const id = await create(api, "Original");
  await say(api, id, "first question");
  const path = await say(api, id, "second question");
  expect(path.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);

  // An edit of the second question: versions are listed on the active path, and switching back works.
  const edited = await say(api, id, "second, edited", path[1].id);
  expect(edited[2].sibling_ids).toEqual([path[2].id, edited[2].id]);
  const switched = await api.post(`/v1/conversations/${id}/switch`, { headers: json, data: { message_id: path[2].id } });
  expect(switched.status()).toBe(200);
  const switchedBody = (await switched.json()) as { current_message_id: string; messages: PathMessage[] };
  expect(switchedBody.messages.map((m) => m.id)).toEqual(path.map((m) => m.id));
  expect(switchedBody.current_message_id).toBe(path[3].id);
  expect(((await (await api.get(`/v1/conversations/${id}`)).json()) as { current_message_id: string }).current_message_id).toBe(path[3].id);

  const res = await api.post(`/v1/conversations/${id}/branch`, { headers: json, data: { from_message_id: path[1].id } });
  expect(res.status()).toBe(201);
  const fork = (await res.json()) as { id: string; title: string; parent_id: string; branch_point: string; messages: PathMessage[] };
  expect(fork).toMatchObject({ object: "conversation", title: "Branch · Original", parent_id: id, branch_point: path[1].id });
  expect(fork.messages.map((m) => [m.role, m.content])).toEqual(path.slice(0, 2).map((m) => [m.role, m.content]));
  expect(fork.messages.map((m) => m.id).some((mid) => path.some((p) => p.id === mid))).toBe(false);

  expect((await api.post(`/v1/conversations/${id}/branch`, { headers: json, data: {} })).status()).toBe(400);
  expect((await api.post(`/v1/conversations/${id}/branch`, { headers: json, data: { from_message_id: fork.messages[0].id } })).status()).toBe(404);

  const other = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  const otherPage = await other.newPage();
  await register(otherPage);
  const stranger = other.request;
  for (const [method, url, data] of [
    ["post", `/v1/conversations/${id}/branch`, { from_message_id: path[1].id }],
    ["post", `/v1/conversations/${id}/switch`, { message_id: path[2].id }],
  ] as const) {
    const r = await stranger[method](url, { headers: json, data });
    expect(r.status(), url).toBe(404);
    expect((await r.json()).error.type).toBe("not_found_error");
  }

  // Deleting the source does not damage the fork.
  expect((await api.delete(`/v1/conversations/${id}`, { headers: json })).status()).toBe(200);
  const kept = (await (await api.get(`/v1/conversations/${fork.id}`)).json()) as { messages: PathMessage[] };
  expect(kept.messages.map((m) => m.content)).toEqual(fork.messages.map((m) => m.content));
  await other.close();
});

test("share: a snapshot link, moved on re-share, revoked to 404; owner-only; continue copies it", async ({ page, browser }) => {
  const ownerEmail = await register(page);
  const api = page.context().request;
  const id = await create(api, "Shared plans", "gpt-4o");
  expect((await api.post(`/v1/conversations/${id}/share`, { headers: json })).status()).toBe(400); // nothing to share yet
  await api.patch(`/v1/conversations/${id}`, { headers: json, data: { system_prompt: "TOP SECRET SYSTEM PROMPT" } });
  await say(api, id, "visible **question**");

  const shared = (await (await api.post(`/v1/conversations/${id}/share`, { headers: json })).json()) as { share_url: string; up_to_date: boolean };
  expect(shared.share_url).toMatch(/\/share\/[A-Za-z0-9_-]{32}$/);
  expect(shared.up_to_date).toBe(true);
  const sharePath = new URL(shared.share_url).pathname;

  const anonymous = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  const anon = anonymous.request;
  let html = await (await anon.get(sharePath)).text();
  expect(html).toContain("Shared plans");
  expect(html).toContain("visible **question**");
  expect(html).toMatch(/<meta name="robots" content="noindex, nofollow"/);
  expect(html).toMatch(/<meta property="og:title" content="Shared plans"/);
  expect(html).not.toContain(ownerEmail);
  expect(html).not.toContain("TOP SECRET SYSTEM PROMPT");

  await say(api, id, "later message");
  expect((await (await anon.get(sharePath)).text())).not.toContain("later message");
  expect(((await (await api.get(`/v1/conversations/${id}/share`)).json()) as { up_to_date: boolean }).up_to_date).toBe(false);
  const again = (await (await api.post(`/v1/conversations/${id}/share`, { headers: json })).json()) as { share_url: string };
  expect(again.share_url).toBe(shared.share_url);
  expect(await (await anon.get(sharePath)).text()).toContain("later message");

  // A second conversation's link opens that conversation only.
  const otherId = await create(api, "Unrelated");
  await say(api, otherId, "unrelated words");
  const otherShare = (await (await api.post(`/v1/conversations/${otherId}/share`, { headers: json })).json()) as { share_url: string };
  expect(otherShare.share_url).not.toBe(shared.share_url);
  html = await (await anon.get(new URL(otherShare.share_url).pathname)).text();
  expect(html).toContain("unrelated words");
  expect(html).not.toContain("visible **question**");

  // Another user can neither read the share state nor share or revoke.
  const strangerCtx = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  const strangerPage = await strangerCtx.newPage();
  await register(strangerPage);
  const stranger = strangerCtx.request;
  expect((await stranger.get(`/v1/conversations/${id}/share`)).status()).toBe(404);
  expect((await stranger.post(`/v1/conversations/${id}/share`, { headers: json })).status()).toBe(404);
  expect((await stranger.delete(`/v1/conversations/${id}/share`, { headers: json })).status()).toBe(404);
  expect((await anon.get(sharePath)).status()).toBe(200);

  // ...but with the link they can continue it in their own account, without the owner's prompt.
  const token = sharePath.split("/").at(-1)!;
  const cont = await stranger.post(`/api/share/${token}/continue`, { headers: json });
  expect(cont.status()).toBe(201);
  const copy = (await (await stranger.get(`/v1/conversations/${((await cont.json()) as { id: string }).id}`)).json()) as {
    system_prompt: string | null;
    messages: PathMessage[];
  };
  expect(copy.system_prompt).toBeNull();
  expect(copy.messages.filter((m) => m.role === "user").map((m) => m.content)).toEqual(["visible **question**", "later message"]);
  expect(copy.messages).toHaveLength(4);
  expect((await anon.post(`/api/share/${token}/continue`, { headers: json })).status()).toBe(401);

  const revoked = await api.delete(`/v1/conversations/${id}/share`, { headers: json });
  expect(await revoked.json()).toMatchObject({ share_url: null });
  expect((await anon.get(sharePath)).status()).toBe(404);
  expect((await stranger.post(`/api/share/${token}/continue`, { headers: json })).status()).toBe(404);
  expect((await anon.get(new URL(otherShare.share_url).pathname)).status()).toBe(200);
  expect((await anon.get("/share/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).status()).toBe(404);
  await anonymous.close();
  await strangerCtx.close();
});
