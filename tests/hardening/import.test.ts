// Imports (issue 17 items 2, 9, 13): wild timestamps, built-in property names as ids, NULs, counts
// capped per file, large files as a background job with progress, imports limited per user; and a
// message of ~1 MB of distinct words indexed for search (the trigger indexes a bounded prefix).
// Over real HTTP against the import routes; runs on PGlite, and on PostgreSQL with DATABASE_URL.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hardeningEnv, startApp, type TestApp } from "./app";

hardeningEnv();

const { closeDb } = await import("@/db");
const { listConversationsByUserId } = await import("@/db/queries/conversations");
const { listMessagesByConversationId } = await import("@/db/queries/messages");
const { searchConversationsByUserId } = await import("@/db/queries/search");
const { issueApiKey } = await import("@/lib/auth/api-keys");
const { resetLimitersForTests } = await import("@/lib/limits/limiters");
const { newUser } = await import("../support/gateway-harness");

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app.close();
  await closeDb();
});
beforeEach(() => resetLimitersForTests());

const msg = (id: string, parent: string | null, role: string, text: string, create_time: number | null = 1_700_000_000) => ({
  id,
  parent,
  children: [],
  message: { id, author: { role }, create_time, content: { content_type: "text", parts: [text] } },
});

function chatgpt(mapping: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return [{ title: "t", create_time: 1_700_000_000, mapping, ...extra }];
}

async function importAs(key: string, body: unknown): Promise<Response> {
  return fetch(`${app.url}/v1/conversations/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function userWithKey() {
  const user = await newUser();
  return { user, key: (await issueApiKey(user.id, "import")).key };
}

describe("ChatGPT import", () => {
  it("create_time 1e20, hugely negative or year 0000 is handled per message (clamped to the conversation's time), never a 500", async () => {
    const { user, key } = await userWithKey();
    const file = chatgpt({
      u: msg("u", null, "user", "hi", 1e20),
      a: msg("a", "u", "assistant", "hello", -1e20),
      b: msg("b", "a", "user", "again", -62167219200), // 0000-01-01
    });
    const wild = [{ ...file[0], create_time: 1e20, update_time: -62167219200 }];
    for (const body of [file, wild]) {
      const res = await importAs(key, body);
      expect(res.status).toBe(201);
    }
    const [first] = (await listConversationsByUserId({ userId: user.id, limit: 10, archived: false })).items.slice(-1);
    const messages = await listMessagesByConversationId({ conversationId: first.id, userId: user.id });
    expect(messages.map((m) => m.createdAt.toISOString())).toEqual(Array(3).fill(new Date(1_700_000_000_000).toISOString()));
  });

  it("ids named __proto__, constructor or toString are data: a missing one is refused, a present one imports", async () => {
    const { key } = await userWithKey();
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      const asParent = await importAs(key, chatgpt({ u: msg("u", name, "user", "hi") }));
      expect([name, asParent.status]).toEqual([name, 400]);
      const asCurrent = await importAs(key, chatgpt({ u: msg("u", null, "user", "hi") }, { current_node: name }));
      expect([name, asCurrent.status]).toEqual([name, 400]);
    }
    // JSON.parse keeps "__proto__" as a real key: a node by that name is a node like any other.
    const text = `[{"title":"p","create_time":1700000000,"current_node":"__proto__","mapping":{"__proto__":${JSON.stringify(msg("__proto__", null, "user", "proto hi"))},"constructor":${JSON.stringify(msg("constructor", "__proto__", "assistant", "ctor reply"))}}}]`;
    const ok = await importAs(key, text);
    expect(ok.status).toBe(201);
    expect((await ok.json()).imported).toBe(1);
  });
});

describe("NUL characters in imported content", () => {
  it("are stripped and the content stored", async () => {
    const { user, key } = await userWithKey();
    const res = await importAs(key, chatgpt({ u: msg("u", null, "user", "a\u0000b"), a: msg("a", "u", "assistant", "c\u0000d") }, { title: "ti\u0000tle" }));
    expect(res.status).toBe(201);
    const [id] = (await res.json()).conversation_ids as string[];
    const messages = await listMessagesByConversationId({ conversationId: id, userId: user.id });
    expect(messages.map((m) => m.content)).toEqual(["ab", "cd"]);
  });
});

describe("large imports", () => {
  it("are capped per file", async () => {
    const { key } = await userWithKey();
    const many = Array.from({ length: 10_001 }, () => ({ title: null, create_time: 1_700_000_000, mapping: {} }));
    const res = await importAs(key, many);
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/at most 10000/);
  });

  it("run as a background job whose progress any request can read, owner-only; other requests are served meanwhile", async () => {
    const { user, key } = await userWithKey();
    const file = Array.from({ length: 3_000 }, (_, i) => ({ title: `c${i}`, create_time: 1_700_000_000 + i, mapping: { u: msg("u", null, "user", `hi ${i}`) } }));
    const res = await importAs(key, file);
    expect(res.status).toBe(202);
    const job = (await res.json()) as { id: string; status: string; total: number };
    expect(job).toMatchObject({ status: "running", total: 3_000 });
    // While it runs, another user's request is answered promptly.
    const other = await userWithKey();
    const t0 = Date.now();
    expect((await fetch(`${app.url}/v1/conversations`, { headers: { authorization: `Bearer ${other.key}` } })).status).toBe(200);
    const servedMs = Date.now() - t0;
    expect((await fetch(`${app.url}/v1/conversations/import/${job.id}`, { headers: { authorization: `Bearer ${other.key}` } })).status).toBe(404);
    let state = job;
    for (let i = 0; i < 300 && state.status === "running"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = await (await fetch(`${app.url}/v1/conversations/import/${job.id}`, { headers: { authorization: `Bearer ${key}` } })).json();
    }
    expect(state).toMatchObject({ status: "done", imported: 3_000 });
    expect((await listConversationsByUserId({ userId: user.id, limit: 100, archived: false })).items).toHaveLength(100);
    expect(servedMs).toBeLessThan(2_000);
  });

  it("are limited per user", async () => {
    const { key } = await userWithKey();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await importAs(key, chatgpt({ u: msg("u", null, "user", `n${i}`) }))).status);
    expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});

describe("search index", () => {
  it("a ~1 MB message of distinct words is stored and searchable (a bounded prefix is indexed)", async () => {
    const { user, key } = await userWithKey();
    const words: string[] = [];
    let n = 0;
    for (let len = 0; len < 1_000_000; n++) {
      const w = `w${n.toString(36)}q`;
      words.push(w);
      len += w.length + 1;
    }
    const text = `zymurgy ${words.join(" ")}`;
    const doc = {
      format: "chatgate.export",
      version: 1,
      conversations: [
        {
          title: "big",
          model: "gpt-4o",
          created_at: "2024-01-01T00:00:00Z",
          updated_at: "2024-01-01T00:00:00Z",
          current_message_id: "m",
          messages: [{ id: "m", parent_id: null, role: "user", content: text.slice(0, 1_000_000), created_at: "2024-01-01T00:00:00Z" }],
        },
      ],
    };
    const res = await importAs(key, doc);
    expect(res.status).toBe(201);
    const hits = await searchConversationsByUserId({ userId: user.id, query: "zymurgy" });
    expect(hits).toHaveLength(1);
  });
});
