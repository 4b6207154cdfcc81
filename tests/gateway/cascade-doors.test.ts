// The "auto" cascade counts the same way through every front door (they share one pipeline): the
// strong pick against its own cap, then the cheap model — counted too — once it is used up, then
// 429. Run over real HTTP through the app server's route table: the browser's POST /api/chat
// (session cookie) and the public POST /v1/chat/completions (API key), same limits, same prompts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { newUser, sseEvents, startSimulator } from "../support/gateway-harness";
import { serveApp, type RouteServer } from "../support/route-server";
import { signedIn, TEST_AUTH_SECRET } from "../support/session-cookie";

let sim: InferenceServer;
let app: RouteServer;
const HARD = "Prove that the square root of 2 is irrational, step by step, then write a Python function that checks it numerically.";

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cascade-doors-"));
  const { DEFAULT_LIMITS } = await import("@/lib/limits/config");
  const limits = {
    ...DEFAULT_LIMITS,
    // No tier fallback: at the strong pick's cap the cascade's cheap model answers, until its own cap.
    free: { ...DEFAULT_LIMITS.free, messages: { "gpt-4o": { limit: 1, window: "3h" }, "gpt-3.5-turbo": { limit: 1, window: "3h" } }, fallbackModel: null },
  };
  fs.writeFileSync(path.join(dir, "limits.json"), JSON.stringify(limits));
  sim = await startSimulator({ AUTH_SECRET: TEST_AUTH_SECRET, LIMITS_CONFIG: path.join(dir, "limits.json"), UPSTASH_REDIS_REST_URL: "" });
  const model = (id: string, upstream: string) => ({
    id,
    label: id,
    contextWindow: 16_000,
    maxOutputTokens: 200,
    pricing: { inputPerM: 1, outputPerM: 2 },
    pools: [{ name: `${id}-pool`, upstreamModel: upstream, replicas: [{ url: sim.url }] }],
  });
  const catalog = {
    defaultModel: "gpt-4o",
    utilityModel: "gpt-3.5-turbo",
    models: [model("gpt-4o", "sim-small"), model("gpt-3.5-turbo", "sim-small"), { ...model("auto", ""), pools: [], cascade: { cheap: "gpt-3.5-turbo", strong: "gpt-4o" } }],
  };
  fs.writeFileSync(path.join(dir, "models.json"), JSON.stringify(catalog));
  process.env.MODELS_CONFIG = path.join(dir, "models.json");
  app = await serveApp();
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
});

/** One "auto" turn through a door: the model that answered, or the HTTP status when refused. */
type Door = () => Promise<{ send(): Promise<string | number> }>;

const chatDoor: Door = async () => {
  const { cookie } = await signedIn();
  return {
    async send() {
      const res = await fetch(`${app.url}/api/chat`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", origin: app.url },
        body: JSON.stringify({ id: randomUUID(), model: "auto", message: { id: randomUUID(), text: HARD } }),
      });
      if (res.status !== 200) return res.status;
      const events = sseEvents(await res.text()).filter((e) => e.data.startsWith("{")).map((e) => JSON.parse(e.data) as { type: string; messageMetadata?: { model?: string } });
      return events.find((e) => e.type === "message-metadata")?.messageMetadata?.model ?? "none";
    },
  };
};

const apiDoor: Door = async () => {
  const user = await newUser();
  const { issueApiKey } = await import("@/lib/auth/api-keys");
  const { key } = await issueApiKey(user.id, "cascade");
  return {
    async send() {
      const res = await fetch(`${app.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "auto", messages: [{ role: "user", content: HARD }] }),
      });
      if (res.status !== 200) return res.status;
      return ((await res.json()) as { model: string }).model;
    },
  };
};

describe.each([
  ["POST /api/chat", chatDoor],
  ["POST /v1/chat/completions", apiDoor],
])("auto through %s", (_name, door) => {
  it("counts the strong pick, then the cheap model, then refuses", async () => {
    const d = await door();
    const answered: (string | number)[] = [];
    for (let i = 0; i < 3; i++) answered.push(await d.send());
    expect(answered).toEqual(["gpt-4o", "gpt-3.5-turbo", 429]);
  });
});
