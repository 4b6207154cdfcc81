// The OpenAI / vLLM wire format over real HTTP, chunk by chunk, and the side endpoints.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "./server";
import { contentOf, postChat, startTestServer, streamChat, tokenEvents, user } from "./test-helpers";

let server: InferenceServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe("streaming chat completion", () => {
  it("sends the role chunk, content deltas, a finish chunk, a usage chunk and [DONE]", async () => {
    const { status, events, error } = await streamChat(server.url, {
      model: "fast",
      messages: [user("Tell me about tea")],
      stream_options: { include_usage: true },
    });
    expect(status).toBe(200);
    expect(error).toBeNull();
    const [first, ...rest] = events;
    const id = first.json.id;
    expect(id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    expect(first.json).toEqual({
      id,
      object: "chat.completion.chunk",
      created: expect.any(Number),
      model: "fast",
      choices: [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }],
    });

    const done = rest.pop()!;
    const usageChunk = rest.pop()!;
    const finish = rest.pop()!;
    expect(done.data).toBe("[DONE]");
    expect(finish.json.choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }]);
    expect(usageChunk.json.choices).toEqual([]);
    expect(rest.length).toBeGreaterThanOrEqual(50);
    for (const chunk of rest) {
      expect(chunk.json.id).toBe(id);
      expect(chunk.json.object).toBe("chat.completion.chunk");
      expect(Object.keys(chunk.json.choices[0].delta)).toEqual(["content"]);
      expect(chunk.json.choices[0].finish_reason).toBeNull();
    }
    expect(usageChunk.json.usage).toEqual({
      prompt_tokens: expect.any(Number),
      completion_tokens: rest.length,
      total_tokens: usageChunk.json.usage.prompt_tokens + rest.length,
    });
    expect(contentOf(events).length).toBeGreaterThan(100);
  });

  it("omits the usage chunk without stream_options.include_usage", async () => {
    const { events } = await streamChat(server.url, { model: "fast", messages: [user("hi")] });
    expect(events.at(-1)!.data).toBe("[DONE]");
    expect(events.at(-2)!.json.choices[0].finish_reason).toBe("stop");
    expect(events.some((e) => e.json?.usage)).toBe(false);
  });

  it("uses the x-request-id header for the completion id", async () => {
    const { events } = await streamChat(server.url, { model: "fast", messages: [user("hi")] }, { "x-request-id": "abc123" });
    expect(events[0].json.id).toBe("chatcmpl-abc123");
  });
});

describe("non-streaming chat completion", () => {
  it("returns one chat.completion object with message, finish_reason and usage", async () => {
    const res = await postChat(server.url, { model: "fast", messages: [user("Tell me about tea")], seed: 7 });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({
      id: expect.stringMatching(/^chatcmpl-/),
      object: "chat.completion",
      created: expect.any(Number),
      model: "fast",
      choices: [
        { index: 0, message: { role: "assistant", content: expect.any(String) }, logprobs: null, finish_reason: "stop" },
      ],
      usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) },
    });
    const streamed = await streamChat(server.url, { model: "fast", messages: [user("Tell me about tea")], seed: 7 });
    expect(body.choices[0].message.content).toBe(contentOf(streamed.events));
    expect(body.usage.completion_tokens).toBe(tokenEvents(streamed.events).length);
  });
});

describe("errors", () => {
  it("answers an unknown model with vLLM's 404 shape", async () => {
    const res = await postChat(server.url, { model: "nope", messages: [user("hi")] });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { message: "The model `nope` does not exist.", type: "NotFoundError", param: null, code: 404 },
    });
  });

  it("answers an invalid body with 400 naming the field", async () => {
    const res = await postChat(server.url, { model: "fast", messages: [{ role: "wizard", content: "hi" }] });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toMatchObject({ type: "BadRequestError", code: 400 });
    expect(body.error.message).toContain("messages.0.role");
    const bad = await postChat(server.url, "{not json");
    expect(bad.status).toBe(400);
  });

  it("rejects prompt + max_tokens beyond max_model_len as vLLM does", async () => {
    const res = await postChat(server.url, { model: "fast", messages: [user("hi")], max_tokens: 40_000 });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/maximum context length is 32768 tokens/);
  });
});

describe("side endpoints", () => {
  it("GET /health is 200 with an empty body", async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });

  it("GET /v1/models lists the served models", async () => {
    const body = await (await fetch(`${server.url}/v1/models`)).json();
    expect(body.object).toBe("list");
    expect(body.data.map((m: { id: string }) => m.id)).toEqual(["fast", "echo", "tools"]);
    expect(body.data[0]).toMatchObject({ object: "model", owned_by: "vllm-sim", max_model_len: 32768 });
  });

  it("GET /v1/models of the default config lists the four sim models", async () => {
    const { startInferenceServer } = await import("./server");
    const defaults = await startInferenceServer();
    try {
      const body = await (await fetch(`${defaults.url}/v1/models`)).json();
      expect(body.data.map((m: { id: string; max_model_len: number }) => [m.id, m.max_model_len])).toEqual([
        ["sim-large", 8192],
        ["sim-medium", 131072],
        ["sim-small", 16384],
        ["sim-echo", 32768],
      ]);
    } finally {
      await defaults.close();
    }
  });

  it("GET /metrics exposes vLLM's metric names with a model_name label", async () => {
    await streamChat(server.url, { model: "fast", messages: [user("hi")] });
    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    for (const name of [
      'vllm:num_requests_running{model_name="fast"}',
      'vllm:num_requests_waiting{model_name="fast"}',
      'vllm:gpu_cache_usage_perc{model_name="fast"}',
      'vllm:prompt_tokens_total{model_name="fast"}',
      'vllm:generation_tokens_total{model_name="fast"}',
      'vllm:time_to_first_token_seconds_bucket{le="0.001",model_name="fast"}',
      'vllm:time_per_output_token_seconds_count{model_name="fast"}',
      'vllm:e2e_request_latency_seconds_sum{model_name="fast"}',
      'vllm:request_success_total{finished_reason="stop",model_name="fast"}',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toContain("# TYPE vllm:time_to_first_token_seconds histogram");
    expect(text).toMatch(/^vllm:request_success_total\{finished_reason="stop",model_name="fast"\} [1-9]/m);
  });

  it("unknown paths are 404", async () => {
    expect((await fetch(`${server.url}/v2/nothing`)).status).toBe(404);
  });
});
