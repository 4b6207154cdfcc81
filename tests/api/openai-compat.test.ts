// The public API through the official `openai` package, over real HTTP, against the real inference
// simulator and a real database (PGlite, or PostgreSQL when DATABASE_URL is set); limits on Redis
// when REDIS_URL is set, in-process otherwise.
import { eq } from "drizzle-orm";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { newUser, startSimulator, waitFor } from "../support/gateway-harness";
import { serveRoutes, type RouteServer } from "../support/route-server";

let sim: InferenceServer;
let app: RouteServer;
const limits = { free: { apiRequestsPerMinute: 5 } };

beforeAll(async () => {
  const fs = await import("node:fs");
  const os = await import("node:os");
  const path = await import("node:path");
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "limits-")), "limits.json");
  const { DEFAULT_LIMITS } = await import("@/lib/limits/config");
  fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_LIMITS, free: { ...DEFAULT_LIMITS.free, ...limits.free } }));
  sim = await startSimulator({ LIMITS_CONFIG: file, UPSTASH_REDIS_REST_URL: "" });
  const [completions, models] = await Promise.all([import("@/app/v1/chat/completions/route"), import("@/app/v1/models/route")]);
  app = await serveRoutes({ "/v1/chat/completions": { POST: completions.POST }, "/v1/models": { GET: models.GET } });
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
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
