// The public API through the official `openai` package, over real HTTP, against the real inference
// simulator and a real database (PGlite, or PostgreSQL when DATABASE_URL is set); limits on Redis
// when REDIS_URL is set, in-process otherwise. The API goes through the chat's pipeline: moderation,
// PII redaction, the "auto" cascade, experiments and the retry before the first token are tested here.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInferenceServer, type InferenceServer } from "@/inference/server";
import { FAST_MODELS, newUser, waitFor } from "../support/gateway-harness";
import { serveApp, type RouteServer } from "../support/route-server";

let sim: InferenceServer;
/** A replica that answers every request 500 (before any token). */
let bad: InferenceServer;
let app: RouteServer;
const limits = { free: { apiRequestsPerMinute: 5 } };

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openai-compat-"));
  const limitsFile = path.join(dir, "limits.json");
  const { DEFAULT_LIMITS } = await import("@/lib/limits/config");
  // Plus accounts get one gpt-4o message per 3 h: the API counts against the chat's per-model cap.
  const plus = { ...DEFAULT_LIMITS.plus, messages: { "gpt-4o": { limit: 1, window: "3h" } } };
  fs.writeFileSync(limitsFile, JSON.stringify({ ...DEFAULT_LIMITS, free: { ...DEFAULT_LIMITS.free, ...limits.free }, plus }));
  // Echo slowed down so a long reply is still streaming when the output filter blocks it.
  const models = FAST_MODELS.map((m) => (m.name === "sim-echo" ? { ...m, decodeTokensPerS: 300 } : m));
  [sim, bad] = await Promise.all([
    startInferenceServer({ port: 0, config: { faultDirectives: true, models } }),
    startInferenceServer({ port: 0, config: { models: FAST_MODELS, faults: "status=500" } }),
  ]);
  const model = (id: string, upstreamModel: string, replicas: string[], extra: Record<string, unknown> = {}) => ({
    id,
    label: id,
    contextWindow: 16_000,
    maxOutputTokens: 4_096,
    pricing: { inputPerM: 1, outputPerM: 2 },
    pools: [{ name: `${id}-pool`, upstreamModel, replicas: replicas.map((url) => ({ url })) }],
    ...extra,
  });
  const catalog = {
    defaultModel: "gpt-4o",
    utilityModel: "gpt-3.5-turbo",
    models: [
      model("gpt-4o", "sim-medium", [sim.url], { pricing: { inputPerM: 2.5, outputPerM: 10 } }),
      model("gpt-3.5-turbo", "sim-small", [sim.url]),
      model("sim-echo", "sim-echo", [sim.url], { pricing: { inputPerM: 0, outputPerM: 0 } }),
      { ...model("auto", "", []), pools: [], cascade: { cheap: "gpt-3.5-turbo", strong: "gpt-4o" } },
      model("pair", "sim-echo", [bad.url, sim.url]),
      model("exp", "sim-echo", [sim.url]),
    ],
    experiments: [{ name: "api-test", model: "exp", share: 1, variants: [{ name: "a", temperature: 0.2 }, { name: "b", temperature: 0.4 }] }],
  };
  const catalogFile = path.join(dir, "models.json");
  fs.writeFileSync(catalogFile, JSON.stringify(catalog));
  Object.assign(process.env, {
    INFERENCE_URL: sim.url,
    INFERENCE_LOCAL: "1",
    LIMITS_CONFIG: limitsFile,
    UPSTASH_REDIS_REST_URL: "",
    MODELS_CONFIG: catalogFile,
    ROUTER_POLL_MS: "0",
  });
  // /v1/chat/completions through the app server's own route table and adapter (scripts/server.ts);
  // /v1/models, which Next serves in production, through the same adapter.
  const models_ = await import("@/app/v1/models/route");
  app = await serveApp({ "/v1/models": { GET: models_.GET } });
});
afterAll(async () => {
  await app?.close();
  await Promise.all([sim?.close(), bad?.close()]);
});

async function clientForNewUser() {
  const user = await newUser();
  const { issueApiKey } = await import("@/lib/auth/api-keys");
  const key = await issueApiKey(user.id, "test");
  return { user, key, client: new OpenAI({ apiKey: key.key, baseURL: `${app.url}/v1`, maxRetries: 0 }) };
}

describe("OpenAI-compatible API with the official client", () => {
  it("lists the models", async () => {
    const { client } = await clientForNewUser();
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(expect.arrayContaining(["gpt-4o", "gpt-3.5-turbo", "sim-echo"]));
  });

  it("answers a non-streaming completion with usage, and records a usage event", async () => {
    const { client, user } = await clientForNewUser();
    const res = await client.chat.completions.create({
      model: "sim-echo",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "ping" },
      ],
      max_tokens: 200,
    });
    expect(res.object).toBe("chat.completion");
    expect(res.id).toMatch(/^chatcmpl-/);
    expect(res.model).toBe("sim-echo");
    expect(res.choices[0].finish_reason).toMatch(/stop|length/);
    const echoed = JSON.parse(res.choices[0].message.content ?? "") as { messages: { role: string; content: string }[] };
    expect(echoed.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "ping" },
    ]);
    expect(res.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(res.usage?.total_tokens).toBe((res.usage?.prompt_tokens ?? 0) + (res.usage?.completion_tokens ?? 0));

    const [{ getDb }, { usageEvents }] = await Promise.all([import("@/db"), import("@/db/schema")]);
    const db = await getDb();
    const events = await waitFor(async () => {
      const rows = await db.select().from(usageEvents).where(eq(usageEvents.userId, user.id));
      return rows.length ? rows : null;
    });
    expect(events[0]).toMatchObject({ model: "sim-echo", promptTokens: res.usage?.prompt_tokens, completionTokens: res.usage?.completion_tokens });
    expect(events[0].ttftMs).toBeGreaterThanOrEqual(0);
  });

  it("streams chat.completion.chunk events, with a usage chunk when asked", async () => {
    const { client } = await clientForNewUser();
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Tell me about databases" }],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 40,
    });
    let text = "";
    let chunks = 0;
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      chunks++;
      expect(chunk.object).toBe("chat.completion.chunk");
      text += chunk.choices[0]?.delta?.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBeGreaterThan(3);
    expect(text.length).toBeGreaterThan(10);
    expect(finish).toMatch(/stop|length/);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("rejects a bad request with a 400 in OpenAI's shape", async () => {
    const { client } = await clientForNewUser();
    const err = await client.chat.completions.create({ model: "gpt-4o", messages: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ type: "invalid_request_error" });
  });

  it("answers 429 as RateLimitError with Retry-After and x-ratelimit-* headers past requests per minute", async () => {
    const { client } = await clientForNewUser();
    for (let i = 0; i < limits.free.apiRequestsPerMinute; i++) {
      await client.chat.completions.create({ model: "sim-echo", messages: [{ role: "user", content: `hi ${i}` }], max_tokens: 5 });
    }
    const err = await client.chat.completions
      .create({ model: "sim-echo", messages: [{ role: "user", content: "one too many" }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const e = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.status).toBe(429);
    expect(e.error).toMatchObject({ type: "rate_limit_error", code: "rate_limit_exceeded" });
    expect(Number(e.headers?.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(e.headers?.get("x-ratelimit-limit-requests")).toBe(String(limits.free.apiRequestsPerMinute));
    expect(e.headers?.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(e.headers?.get("x-ratelimit-reset-requests")).toMatch(/^\d+(m\d+)?s$/);
    expect(e.headers?.get("x-ratelimit-limit-tokens")).toBeTruthy();
  });

  it("counts a capped model against the same per-model cap as the chat: 429 at the cap, and auto answers with the cheap model", async () => {
    const { client, user } = await clientForNewUser();
    const [{ getDb }, { users }] = await Promise.all([import("@/db"), import("@/db/schema")]);
    await (await getDb()).update(users).set({ tier: "plus" }).where(eq(users.id, user.id));
    const first = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "one" }], max_tokens: 5 });
    expect(first.model).toBe("gpt-4o");
    const err = await client.chat.completions
      .create({ model: "gpt-4o", messages: [{ role: "user", content: "two" }], max_tokens: 5 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).message).toMatch(/gpt-4o limit/i);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).headers?.get("x-ratelimit-remaining-requests")).toBe("0");
    const hard = "Prove that the square root of 2 is irrational, step by step, then write a Python function that checks it numerically.";
    const auto = await client.chat.completions.create({ model: "auto", messages: [{ role: "user", content: hard }], max_tokens: 5 });
    expect(auto.model).toBe("gpt-3.5-turbo");
  });

  it("refuses an unknown key, and a revoked key at once (401 AuthenticationError)", async () => {
    const { client, key, user } = await clientForNewUser();
    await client.models.list();
    const { revokeApiKey } = await import("@/db/queries/api-keys");
    expect(await revokeApiKey({ id: key.id, userId: user.id })).toBe(true);
    const revoked = await client.models.list().catch((e: unknown) => e);
    expect(revoked).toBeInstanceOf(OpenAI.AuthenticationError);
    const bogus = new OpenAI({ apiKey: "sk-not-a-real-key", baseURL: `${app.url}/v1`, maxRetries: 0 });
    const err = await bogus.models.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((err as InstanceType<typeof OpenAI.AuthenticationError>).error).toMatchObject({ code: "invalid_api_key" });
  });
});

async function db() {
  const [{ getDb }, schema] = await Promise.all([import("@/db"), import("@/db/schema")]);
  return { db: await getDb(), schema };
}

async function moderationEventsOf(userId: string, direction: "input" | "output") {
  const { db: d, schema } = await db();
  const t = schema.moderationEvents;
  return d.select().from(t).where(and(eq(t.userId, userId), eq(t.direction, direction)));
}

async function usageEventOf(userId: string) {
  const { db: d, schema } = await db();
  return waitFor(async () => {
    const [row] = await d.select().from(schema.usageEvents).where(eq(schema.usageEvents.userId, userId));
    return row ?? null;
  });
}

async function collect(stream: AsyncIterable<OpenAI.ChatCompletionChunk>) {
  let text = "";
  let finish: string | null = null;
  const models = new Set<string>();
  for await (const chunk of stream) {
    models.add(chunk.model);
    text += chunk.choices[0]?.delta?.content ?? "";
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  return { text, finish, models };
}

describe("the API goes through the chat's pipeline", () => {
  it("answers a blocked input 400 content_filter (BadRequestError), sends nothing upstream and logs it", async () => {
    const { client, user } = await clientForNewUser();
    const text = "Tell me how to make a b0mb at home";
    const before = sim.engine.stats().requests.length;
    const err = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: text }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const e = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.status).toBe(400);
    expect(e.code).toBe("content_filter");
    expect(e.error).toMatchObject({ type: "invalid_request_error", code: "content_filter", param: "content" });
    // Streamed or not, and in a system message too: what the caller instructs is checked.
    const streamed = await client.chat.completions
      .create({ model: "gpt-4o", stream: true, messages: [{ role: "system", content: text }, { role: "user", content: "go on" }] })
      .catch((x: unknown) => x);
    expect(streamed).toBeInstanceOf(OpenAI.BadRequestError);
    expect(sim.engine.stats().requests.length).toBe(before);
    const events = await moderationEventsOf(user.id, "input");
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ action: "blocked", flagged: true, model: "gpt-4o", messageId: null, conversationId: null });
    expect(events.map((x) => x.content)).toContain(text);
    expect(events[0].categories?.["illicit/violent"]).toBeGreaterThanOrEqual(0.8);
  });

  it("redacts PII before it goes upstream (seen in the echo reply) and logs the redaction", async () => {
    const { client, user } = await clientForNewUser();
    const res = await client.chat.completions.create({
      model: "sim-echo",
      messages: [{ role: "user", content: "Mail jane.doe@example.com or call +1 415 555 0100, card 4111 1111 1111 1111." }],
    });
    const echoed = JSON.parse(res.choices[0].message.content ?? "") as { messages: { role: string; content: string }[] };
    expect(echoed.messages).toEqual([{ role: "user", content: "Mail [EMAIL] or call [PHONE], card [CARD]." }]);
    const [event] = await waitFor(async () => {
      const rows = await moderationEventsOf(user.id, "input");
      return rows.length ? rows : null;
    });
    expect(event).toMatchObject({ action: "redacted", model: "sim-echo", messageId: null, conversationId: null });
    expect(event.detail?.pii).toEqual(["email", "phone", "card"]);
  });

  describe("output moderation (illicit/violent blocks on output only, so the phrase passes input with a warning)", () => {
    let restore: () => void = () => {};
    beforeAll(async () => {
      const { resolveSafetyConfig, setSafetyConfigForTests } = await import("@/lib/safety/config");
      setSafetyConfigForTests(
        resolveSafetyConfig({ categories: { "illicit/violent": { block: null } }, output: { categories: { "illicit/violent": { block: 0.8 } } } }),
      );
      restore = () => setSafetyConfigForTests(undefined);
    });
    afterAll(() => restore());

    const filler = Array.from({ length: 120 }, (_, i) => `line ${i} of harmless filler text.`).join(" ");
    const harmful = `Explain step by step how to make a bomb. ${filler}`;
    const SAFETY = "This reply was stopped because it broke the content policy.";

    it("stops a streamed reply mid-stream: finish_reason content_filter, upstream cancelled, event logged", async () => {
      const { client, user } = await clientForNewUser();
      const stream = await client.chat.completions.create({ model: "sim-echo", stream: true, messages: [{ role: "user", content: harmful }] });
      const { text, finish } = await collect(stream);
      expect(finish).toBe("content_filter");
      expect(text).toContain(SAFETY);
      expect(text).not.toMatch(/make a bomb/);
      expect(text).not.toContain("filler");
      const [event] = await waitFor(async () => {
        const rows = await moderationEventsOf(user.id, "output");
        return rows.length ? rows : null;
      });
      expect(event).toMatchObject({ action: "blocked", model: "sim-echo", messageId: null, conversationId: null });
      expect(event.content).toContain("how to make a bomb");
      // The simulator saw the gateway leave before the reply was complete.
      await waitFor(async () => sim.engine.stats().requests.find((r) => r.model === "sim-echo" && r.status === "aborted"));
      expect(await usageEventOf(user.id)).toMatchObject({ finishReason: "content_filter", model: "sim-echo" });
    });

    it("answers a non-streamed blocked reply with finish_reason content_filter and the safety message", async () => {
      const { client } = await clientForNewUser();
      const res = await client.chat.completions.create({ model: "sim-echo", messages: [{ role: "user", content: harmful }] });
      expect(res.choices[0].finish_reason).toBe("content_filter");
      expect(res.choices[0].message.content).toBe(SAFETY);
    });
  });

  it('routes "auto" by the cascade; the response and the usage event name the model that answered', async () => {
    const simple = await clientForNewUser();
    const res = await simple.client.chat.completions.create({ model: "auto", messages: [{ role: "user", content: "hi, what's the capital of France?" }], max_tokens: 20 });
    expect(res.model).toBe("gpt-3.5-turbo");
    expect(await usageEventOf(simple.user.id)).toMatchObject({ model: "gpt-3.5-turbo", pool: "gpt-3.5-turbo-pool" });

    const hard = await clientForNewUser();
    const stream = await hard.client.chat.completions.create({
      model: "auto",
      stream: true,
      max_tokens: 20,
      messages: [
        {
          role: "user",
          content:
            "Design a fault-tolerant job scheduler in TypeScript: compare leader election approaches, analyze the trade-offs, and write the core function step by step.",
        },
      ],
    });
    const { models, finish } = await collect(stream);
    expect([...models]).toEqual(["gpt-4o"]);
    expect(finish).toMatch(/stop|length/);
    const usage = await usageEventOf(hard.user.id);
    expect(usage).toMatchObject({ model: "gpt-4o", pool: "gpt-4o-pool" });
    expect(Number(usage.costUsd)).toBeGreaterThan(0);
  });

  it("retries a failure before the first token on another replica", async () => {
    const { client, user } = await clientForNewUser();
    const [{ apiAffinityKey }, { preferenceOrder }] = await Promise.all([import("@/lib/gateway/pipeline"), import("@/lib/routing/balancer")]);
    const pool = [bad.url, sim.url].map((url) => ({ url, weight: 1 }));
    // A message whose session hashes to the failing replica first.
    let content = "";
    for (let i = 0; !content; i++) {
      const candidate = `Tell me a fact (${i})`;
      if (preferenceOrder(apiAffinityKey(user.id, [{ role: "user", content: candidate }]), pool)[0] === bad.url) content = candidate;
    }
    const failedBefore = ((await (await fetch(`${bad.url}/sim/stats`)).json()) as { failed: number }).failed;
    const res = await client.chat.completions.create({ model: "pair", messages: [{ role: "user", content }] });
    expect(res.choices[0].finish_reason).toMatch(/stop|length/);
    expect(JSON.parse(res.choices[0].message.content ?? "").messages).toEqual([{ role: "user", content }]);
    expect(((await (await fetch(`${bad.url}/sim/stats`)).json()) as { failed: number }).failed).toBe(failedBefore + 1);
    expect(await usageEventOf(user.id)).toMatchObject({ model: "pair", replica: sim.url, finishReason: res.choices[0].finish_reason });
  });

  it("assigns an experiment variant and records it on the usage event; the caller's temperature wins over the variant's", async () => {
    const { client, user } = await clientForNewUser();
    const res = await client.chat.completions.create({ model: "exp", messages: [{ role: "user", content: "Which variant?" }] });
    const echo = JSON.parse(res.choices[0].message.content ?? "") as { params: { temperature?: number } };
    const usage = await usageEventOf(user.id);
    expect(usage.experiment).toBe("api-test");
    expect(["a", "b"]).toContain(usage.variant);
    expect(echo.params.temperature).toBe(usage.variant === "a" ? 0.2 : 0.4);
    const own = await client.chat.completions.create({ model: "exp", temperature: 1.5, messages: [{ role: "user", content: "Mine" }] });
    expect((JSON.parse(own.choices[0].message.content ?? "") as { params: { temperature?: number } }).params.temperature).toBe(1.5);
  });
});
