// Usage limits in the chat pipeline (on Redis when REDIS_URL is set, else in-process): the
// fallback model at a model's cap, 429 with the reset time when there is no fallback, tokens per day,
// concurrent streams, and free traffic held behind paid traffic while a pool is saturated — against
// the real inference simulator and a real database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInferenceServer, type InferenceServer } from "@/inference/server";
import type { SessionUser } from "@/lib/auth/session-user";
import { AppError } from "@/lib/errors";
import type { LimitsConfig } from "@/lib/limits/config";
import { FAST_MODELS, newUser, readUiStream } from "../support/gateway-harness";

let sim: InferenceServer;
let busy: InferenceServer;

beforeAll(async () => {
  const { DEFAULT_LIMITS } = await import("@/lib/limits/config");
  const config: LimitsConfig = {
    free: { ...DEFAULT_LIMITS.free, messages: { "gpt-4o": { limit: 2, window: "3h" } }, fallbackModel: "gpt-3.5-turbo" },
    plus: { ...DEFAULT_LIMITS.plus, messages: { "gpt-4o": { limit: 1, window: "3h" } }, fallbackModel: null },
    team: { ...DEFAULT_LIMITS.team, concurrentStreams: 1 },
    enterprise: { ...DEFAULT_LIMITS.enterprise, tokensPerDay: 60 },
  };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "limits-")), "limits.json");
  fs.writeFileSync(file, JSON.stringify(config));
  sim = await startInferenceServer({ port: 0, config: { faultDirectives: true, models: FAST_MODELS } });
  // gpt-4's pool is a replica of its own that runs one sequence at a time, so a few requests
  // saturate it (vllm:num_requests_waiting > 0) while the other pools stay free.
  busy = await startInferenceServer({ port: 0, config: { maxNumSeqs: 1, models: [{ name: "sim-large", baseTtftMs: 5, decodeTokensPerS: 20 }] } });
  const model = (id: string, url: string, upstream: string) => ({
    id,
    label: id === "gpt-4o" ? "GPT-4o" : id.toUpperCase(),
    contextWindow: 16_000,
    maxOutputTokens: 1_000,
    encoding: "o200k_base",
    pricing: { inputPerM: 1, outputPerM: 2 },
    pools: [{ name: `${id}-main`, upstreamModel: upstream, replicas: [{ url }] }],
  });
  const catalog = path.join(path.dirname(file), "models.json");
  fs.writeFileSync(
    catalog,
    JSON.stringify({
      defaultModel: "gpt-4o",
      models: [
        model("gpt-4o", sim.url, "sim-medium"),
        model("gpt-3.5-turbo", sim.url, "sim-small"),
        model("gpt-4", busy.url, "sim-large"),
        { ...model("auto", sim.url, ""), pools: [], cascade: { cheap: "gpt-3.5-turbo", strong: "gpt-4o" } },
      ],
    }),
  );
  Object.assign(process.env, {
    INFERENCE_URL: sim.url,
    MODELS_CONFIG: catalog,
    LIMITS_CONFIG: file,
    UPSTASH_REDIS_REST_URL: "",
    PRIORITY_MAX_WAIT_MS: "400",
  });
});
afterAll(async () => {
  await sim?.close();
  await busy?.close();
});

async function turn(user: SessionUser, model: string, text = "hello", conversationId = randomUUID()) {
  const { startReply } = await import("../support/turns");
  return startReply(user, { conversationId, model, message: { id: randomUUID(), text } });
}

const asTier = async (tier: SessionUser["tier"]): Promise<SessionUser> => ({ ...(await newUser()), tier });
const ended = (run: { done: boolean; onEnd(f: () => void): void }) => new Promise<void>((r) => (run.done ? r() : run.onEnd(() => r())));

const HARD = "Prove that the square root of 2 is irrational, step by step, then write a Python function that checks it numerically.";

describe("message caps per model", () => {
  it("counts the auto model's strong pick against that model's cap, and falls back when it is used up", async () => {
    const user = await asTier("free");
    for (let i = 0; i < 2; i++) {
      const { run } = await turn(user, "auto", HARD);
      expect(run.model).toBe("gpt-4o");
      expect(run.limitNotice).toBeNull();
      await ended(run);
    }
    const third = await turn(user, "auto", HARD);
    expect(third.run.model).toBe("gpt-3.5-turbo");
    expect(third.run.limitNotice).toMatchObject({ model: "gpt-4o", fallbackModel: "gpt-3.5-turbo" });
    await ended(third.run);
    // The cap auto used up is the same one gpt-4o itself counts against.
    const direct = await turn(user, "gpt-4o");
    expect(direct.run.model).toBe("gpt-3.5-turbo");
    await ended(direct.run);
  });

  it("sends the turn to the tier's fallback model at the cap, and the UI stream says so", async () => {
    const user = await asTier("free");
    for (let i = 0; i < 2; i++) {
      const { run } = await turn(user, "gpt-4o");
      expect(run.model).toBe("gpt-4o");
      expect(run.limitNotice).toBeNull();
      await ended(run);
    }
    const { run, userMessageId } = await turn(user, "gpt-4o");
    expect(run.model).toBe("gpt-3.5-turbo");
    expect(run.limitNotice).toMatchObject({ model: "gpt-4o", modelLabel: "GPT-4o", fallbackModel: "gpt-3.5-turbo" });
    expect(run.replica).toBe(sim.url);
    expect(Date.parse(run.limitNotice!.resetAt)).toBeGreaterThan(Date.now());

    const { uiMessageStream } = await import("../support/turns");
    const stream = await readUiStream(uiMessageStream(run, userMessageId));
    expect(stream.events[0]).toMatchObject({ type: "start", messageMetadata: { model: "gpt-3.5-turbo", limitNotice: { model: "gpt-4o" } } });
    expect(stream.text.length).toBeGreaterThan(0);
  });

  it("refuses with 429, Retry-After and the reset time when the tier has no fallback", async () => {
    const user = await asTier("plus");
    await ended((await turn(user, "gpt-4o")).run);
    const err = await turn(user, "gpt-4o").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.status).toBe(429);
    expect(e.message).toMatch(/^You've reached the GPT-4o limit until \d\d:\d\d UTC/);
    expect(Number(e.headers["Retry-After"])).toBeGreaterThan(0);
    // Other models are not capped.
    expect((await turn(user, "gpt-3.5-turbo")).run.model).toBe("gpt-3.5-turbo");
  });
});

describe("tokens per day", () => {
  it("counts each reply's upstream tokens and refuses once the day's allowance is used", async () => {
    const user = await asTier("enterprise");
    const { run } = await turn(user, "gpt-3.5-turbo", "Tell me a long story about databases");
    await ended(run);
    expect((run.result?.usage?.promptTokens ?? 0) + (run.result?.usage?.completionTokens ?? 0)).toBeGreaterThan(60);
    const { waitFor } = await import("../support/gateway-harness");
    const err = await waitFor(async () => turn(user, "gpt-3.5-turbo").then(() => null, (e: unknown) => e));
    expect(err).toMatchObject({ status: 429, message: expect.stringMatching(/today's 60 tokens/) });
  });
});

describe("concurrent streams", () => {
  it("allows the tier's number of replies at once and frees the slot when a reply ends", async () => {
    const user = await asTier("team");
    const first = await turn(user, "gpt-3.5-turbo", "one");
    const err = await turn(user, "gpt-3.5-turbo", "two").catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, message: expect.stringMatching(/already being written/) });
    await ended(first.run);
    expect((await turn(user, "gpt-3.5-turbo", "three")).run.model).toBe("gpt-3.5-turbo");
  });
});

describe("priority under load", () => {
  it("holds free turns while the pool is saturated and sheds them past the deadline; paid turns go straight on", async () => {
    await ended((await turn(await asTier("plus"), "gpt-3.5-turbo", "warm up")).run); // modules, tokenizer, database
    // Saturate sim-large (one sequence at a time) with direct upstream requests.
    const body = JSON.stringify({ model: "sim-large", messages: [{ role: "user", content: "busy" }], max_tokens: 60 });
    const stopHogs = new AbortController();
    const hogs = Array.from({ length: 3 }, () =>
      fetch(`${busy.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body, signal: stopHogs.signal })
        .then((r) => r.text())
        .catch(() => ""),
    );
    // The gate reads the router's view of the pool (its replica metrics poll, forced here).
    const { modelPoolWaiting } = await import("@/lib/routing/router");
    const { pollReplicas } = await import("@/lib/routing/replicas");
    const { waitFor } = await import("../support/gateway-harness");
    await waitFor(async () => {
      await pollReplicas();
      return modelPoolWaiting("gpt-4", "free") > 0;
    });

    const paidStarted = Date.now();
    const paid = await turn(await asTier("plus"), "gpt-4");
    expect(Date.now() - paidStarted).toBeLessThan(300);
    expect(paid.run.result?.error ?? null).toBeNull();

    const freeStarted = Date.now();
    const free = await turn(await asTier("free"), "gpt-4");
    expect(Date.now() - freeStarted).toBeGreaterThanOrEqual(380);
    expect(free.run.result).toMatchObject({ finishReason: "error", error: expect.stringMatching(/busy/) });

    paid.run.stop();
    stopHogs.abort();
    await Promise.all(hogs);
  });
});
