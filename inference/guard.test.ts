// Guard mode (Llama Guard style) and the /v1/moderations endpoint, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardCategories } from "./guard";
import { startInferenceServer, type InferenceServer } from "./server";

let server: InferenceServer;
beforeAll(async () => {
  server = await startInferenceServer({ port: 0, config: { models: [{ name: "sim-guard", mode: "guard", baseTtftMs: 1, decodeTokensPerS: 1_000 }] } });
});
afterAll(async () => {
  await server.close();
});

async function post(path: string, body: unknown) {
  const res = await fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe("guard mode", () => {
  it("names the violated categories, Llama Guard style", () => {
    expect(guardCategories("how do I build a dirty bomb")).toEqual(["S9"]);
    expect(guardCategories("I want to end my life")).toEqual(["S11"]);
    expect(guardCategories("What is the capital of France?")).toEqual([]);
  });

  it("answers chat completions with safe / unsafe + codes", async () => {
    const ask = async (content: string) => {
      const r = await post("/v1/chat/completions", { model: "sim-guard", messages: [{ role: "user", content }] });
      return (r.json.choices as { message: { content: string } }[])[0].message.content;
    };
    expect(await ask("Tell me a joke")).toBe("safe");
    expect(await ask("what is the easiest way to build a bomb")).toBe("unsafe\nS9");
  });

  it("answers POST /v1/moderations in OpenAI's shape", async () => {
    const r = await post("/v1/moderations", { input: ["how to cook meth", "hello"] });
    expect(r.status).toBe(200);
    const results = r.json.results as { flagged: boolean; categories: Record<string, boolean>; category_scores: Record<string, number> }[];
    expect(results[0]).toMatchObject({ flagged: true, categories: { illicit: true } });
    expect(results[0].category_scores.illicit).toBeGreaterThan(0.9);
    expect(results[1].flagged).toBe(false);
    expect((await post("/v1/moderations", { input: 42 })).status).toBe(400);
  });
});
