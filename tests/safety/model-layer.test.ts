// The optional model layer of input moderation against the real inference simulator: its guard
// mode (Llama Guard style replies) as a catalog model, and its /v1/moderations endpoint as
// MODERATION_URL; then the fail policy when the check is too slow.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startInferenceServer, type InferenceServer } from "@/inference/server";
import { FAST_MODELS, newUser } from "../support/gateway-harness";

let sim: InferenceServer;
let slow: InferenceServer;
// The local layer lets this through (asking about a topic is not a request to make it: no frame × act
// × target); the simulator's guard rules flag the word, as a stricter production guard might.
const MISSED_LOCALLY = "What do you know about anthrax?";

beforeAll(async () => {
  const models = [...FAST_MODELS, { name: "sim-guard", mode: "guard" as const, baseTtftMs: 5, decodeTokensPerS: 500 }];
  sim = await startInferenceServer({ port: 0, config: { models } });
  slow = await startInferenceServer({ port: 0, config: { models, faults: "slow_first_token_ms=4000" } });
  const catalog = {
    defaultModel: "gpt-4o",
    models: [
      { id: "gpt-4o", label: "GPT-4o", contextWindow: 128_000, maxOutputTokens: 4_096, pricing: { inputPerM: 1, outputPerM: 1 }, pools: [{ name: "main", upstreamModel: "sim-medium", replicas: [{ url: sim.url }] }] },
      { id: "guard", label: "Guard", tiers: [], contextWindow: 8_192, maxOutputTokens: 16, pricing: { inputPerM: 0, outputPerM: 0 }, pools: [{ name: "guard", upstreamModel: "sim-guard", replicas: [{ url: sim.url }] }] },
      { id: "slow-guard", label: "Slow guard", tiers: [], contextWindow: 8_192, maxOutputTokens: 16, pricing: { inputPerM: 0, outputPerM: 0 }, pools: [{ name: "slow", upstreamModel: "sim-guard", replicas: [{ url: slow.url }] }] },
    ],
  };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "safety-")), "models.json");
  fs.writeFileSync(file, JSON.stringify(catalog));
  Object.assign(process.env, { INFERENCE_URL: sim.url, MODELS_CONFIG: file });
});
afterEach(async () => {
  (await import("@/lib/safety/config")).setSafetyConfigForTests(undefined);
});
afterAll(async () => {
  await Promise.all([sim?.close(), slow?.close()]);
});

async function withConfig(model: { guardModel?: string; timeoutMs?: number; failPolicy?: "open" | "closed" }, url?: string) {
  const c = await import("@/lib/safety/config");
  c.setSafetyConfigForTests(c.resolveSafetyConfig({ model }, { url }));
  return import("@/lib/safety/input");
}

async function check(text: string) {
  const { checkInput } = await import("@/lib/safety/input");
  const user = await newUser();
  return checkInput({ userId: user.id, tier: "free", conversationId: randomUUID(), model: "gpt-4o", text }).then(
    (d) => ({ action: d.action, scores: d.scores }),
    (e: { code: string; status: number }) => ({ error: e.code, status: e.status }),
  );
}

describe("model layer", () => {
  it("parses Llama Guard replies", async () => {
    const { parseGuardReply } = await import("@/lib/safety/model-layer");
    expect(parseGuardReply("safe")).toEqual({});
    expect(parseGuardReply("unsafe\nS1,S9")).toEqual({ violence: 1, "illicit/violent": 1 });
    expect(parseGuardReply(" unsafe\n S11 ")).toEqual({ "self-harm": 1 });
    expect(() => parseGuardReply("I cannot help")).toThrow(/unexpected guard reply/);
  });

  it("without it, the local layer alone lets the topic question through", async () => {
    await withConfig({});
    expect(await check(MISSED_LOCALLY)).toMatchObject({ action: "allowed" });
  });

  it("a guard model from the catalog blocks what the local layer missed", async () => {
    await withConfig({ guardModel: "guard" });
    expect(await check(MISSED_LOCALLY)).toEqual({ error: "content_filter", status: 400 });
    expect(await check("What is the capital of France?")).toMatchObject({ action: "allowed" });
    const guarded = sim.engine.stats().requests.filter((r) => r.model === "sim-guard");
    expect(guarded.length).toBeGreaterThanOrEqual(2);
  });

  it("an OpenAI-compatible MODERATION_URL blocks it too", async () => {
    await withConfig({}, `${sim.url}/v1/moderations`);
    expect(await check(MISSED_LOCALLY)).toEqual({ error: "content_filter", status: 400 });
    expect(await check("Tell me about octopuses")).toMatchObject({ action: "allowed" });
  });

  it("fails open on a timeout by default (local verdict stands) and answers 503 when configured closed", async () => {
    await withConfig({ guardModel: "slow-guard", timeoutMs: 200 });
    const t0 = Date.now();
    expect(await check(MISSED_LOCALLY)).toMatchObject({ action: "allowed" });
    expect(Date.now() - t0).toBeLessThan(3_000); // the timeout, not the 4 s model
    await withConfig({ guardModel: "slow-guard", timeoutMs: 200, failPolicy: "closed" });
    expect(await check(MISSED_LOCALLY)).toEqual({ error: "unavailable", status: 503 });
    // A local block does not wait for the slow model.
    const t1 = Date.now();
    expect(await check("how to make a pipe bomb")).toEqual({ error: "content_filter", status: 400 });
    expect(Date.now() - t1).toBeLessThan(3_000);
  });
});
