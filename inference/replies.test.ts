// Reply modes over real HTTP: echo round trip, text determinism, stop strings, max_tokens, tool calls.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "./server";
import { contentOf, postChat, startTestServer, streamChat, tokenEvents, user } from "./test-helpers";
import { tokenize } from "./text-reply";

let server: InferenceServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather for a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } },
      required: ["city", "unit"],
    },
  },
};

describe("echo mode", () => {
  it("streams exactly the JSON description of what it received", async () => {
    const messages = [
      { role: "system", content: "You are terse." },
      user("What is 2+2? «ünïcödé» 🎉 \"quotes\" \\ back"),
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "calc", arguments: '{"x":2}' } }] },
      { role: "tool", content: "4", tool_call_id: "call_1" },
      { role: "user", content: [{ type: "text", text: "thanks" }] },
    ];
    const { events } = await streamChat(server.url, {
      model: "echo",
      messages,
      temperature: 0.3,
      max_tokens: 5,
      seed: 42,
      stop: ["\n\nUser:"],
      tools: [weatherTool],
    });
    const pieces = tokenEvents(events).map((e) => e.json.choices[0].delta.content as string);
    expect(pieces.length).toBeGreaterThan(5); // max_tokens never cuts an echo
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(9);
    expect(JSON.parse(contentOf(events))).toEqual({
      model: "echo",
      params: { temperature: 0.3, max_tokens: 5, seed: 42, stop: ["\n\nUser:"], tools: ["get_weather"] },
      messages,
    });
    expect(events.at(-2)!.json.choices[0].finish_reason).toBe("stop");
  });

  it("reports absent params as null, non-streamed too", async () => {
    const res = await postChat(server.url, { model: "echo", messages: [user("hi")] });
    const body = await res.json();
    expect(JSON.parse(body.choices[0].message.content)).toEqual({
      model: "echo",
      params: { temperature: null, max_tokens: null, seed: null, stop: null },
      messages: [{ role: "user", content: "hi" }],
    });
  });
});

describe("text mode", () => {
  it("is deterministic for a seed and varies with it", async () => {
    const ask = (seed?: number) => streamChat(server.url, { model: "fast", messages: [user("Explain compound interest")], seed });
    const [a, b, c] = await Promise.all([ask(1), ask(1), ask(2)]);
    expect(contentOf(a.events)).toBe(contentOf(b.events));
    expect(contentOf(a.events)).not.toBe(contentOf(c.events));
    const [d, e] = await Promise.all([ask(), ask()]);
    expect(contentOf(d.events)).toBe(contentOf(e.events)); // default seed comes from the prompt
  });

  it("streams word-sized pieces of readable markdown, 60–250ish tokens", async () => {
    for (let seed = 0; seed < 5; seed++) {
      const { events } = await streamChat(server.url, { model: "fast", messages: [user("Tips for learning piano")], seed });
      const tokens = tokenEvents(events).length;
      expect(tokens).toBeGreaterThanOrEqual(60);
      expect(tokens).toBeLessThanOrEqual(330);
      expect(contentOf(events)).toMatch(/^[A-Z][^\n]+\.( |$)/);
    }
  });

  it("adds a fenced code block with a language tag when asked for code", async () => {
    const { events } = await streamChat(server.url, { model: "fast", messages: [user("Write a rust function that adds numbers")] });
    expect(contentOf(events)).toMatch(/```rust\n[\s\S]+\n```/);
  });

  it("tokenizes losslessly into word-ish pieces", () => {
    const text = "Hello, world!\n\n```py\nx = 1\n```\n- **Bold** café 🎉";
    const pieces = tokenize(text);
    expect(pieces.join("")).toBe(text);
    expect(pieces.slice(0, 3)).toEqual(["Hello", ",", " world"]);
  });

  it("cuts at max_tokens with finish_reason length", async () => {
    const { events } = await streamChat(server.url, {
      model: "fast",
      messages: [user("Tell me a story")],
      max_tokens: 7,
      stream_options: { include_usage: true },
    });
    expect(tokenEvents(events)).toHaveLength(7);
    expect(events.at(-3)!.json.choices[0].finish_reason).toBe("length");
    expect(events.at(-2)!.json.usage.completion_tokens).toBe(7);
  });

  it("ends before a stop string with finish_reason stop", async () => {
    const full = contentOf((await streamChat(server.url, { model: "fast", messages: [user("Tell me a story")], seed: 3 })).events);
    const stop = full.slice(40, 48);
    const { events } = await streamChat(server.url, { model: "fast", messages: [user("Tell me a story")], seed: 3, stop: [stop, "zzz"] });
    expect(contentOf(events)).toBe(full.slice(0, full.indexOf(stop)));
    expect(events.at(-2)!.json.choices[0].finish_reason).toBe("stop");
  });

  it("follows a safety instruction in the system message with a caring answer, not filler from the user's words", async () => {
    const { SELF_HARM_INSTRUCTION } = await import("@/lib/safety/safe-completion");
    const messages = [{ role: "system", content: `You are helpful.\n\n${SELF_HARM_INSTRUCTION}` }, user("i want to end my life tonight")];
    const reply = contentOf((await streamChat(server.url, { model: "fast", messages })).events);
    expect(reply).toMatch(/988/);
    expect(reply).toMatch(/Are you safe right now\?/);
    expect(reply).not.toMatch(/end my life/);
    const plain = contentOf((await streamChat(server.url, { model: "fast", messages: [user("i want to end my life tonight")] })).events);
    expect(plain).not.toMatch(/988/);
  });
});

describe("tools mode", () => {
  it("streams a tool call when the user asks for an offered tool", async () => {
    const { events } = await streamChat(server.url, {
      model: "tools",
      messages: [user("Use the get_weather tool for Paris")],
      tools: [weatherTool],
    });
    const deltas = events.slice(1, -2).map((e) => e.json.choices[0].delta);
    expect(deltas[0].tool_calls[0]).toEqual({
      index: 0,
      id: expect.stringMatching(/^chatcmpl-tool-/),
      type: "function",
      function: { name: "get_weather", arguments: "" },
    });
    expect(deltas.length).toBeGreaterThan(2);
    const args = deltas.slice(1).map((d) => {
      expect(d.tool_calls[0].index).toBe(0);
      return d.tool_calls[0].function.arguments as string;
    });
    expect(JSON.parse(args.join(""))).toEqual({ city: "Paris", unit: "celsius" });
    expect(events.at(-2)!.json.choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: "tool_calls" });
  });

  it("returns the tool call in a non-streamed message", async () => {
    const res = await postChat(server.url, {
      model: "tools",
      messages: [user("what's the weather in Oslo? use the weather tool")],
      tools: [weatherTool],
    });
    const choice = (await res.json()).choices[0];
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls[0].function.name).toBe("get_weather");
    expect(JSON.parse(choice.message.tool_calls[0].function.arguments).city).toBe("Oslo");
  });

  it("answers in text when no tool is asked for, or after the tool result", async () => {
    const plain = await streamChat(server.url, { model: "tools", messages: [user("Hello there")], tools: [weatherTool] });
    expect(plain.events.at(-2)!.json.choices[0].finish_reason).toBe("stop");
    expect(contentOf(plain.events).length).toBeGreaterThan(50);
    const after = await streamChat(server.url, {
      model: "tools",
      tools: [weatherTool],
      messages: [
        user("Use the get_weather tool for Paris"),
        { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "get_weather", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "c1", content: "18°C and sunny" },
      ],
    });
    expect(contentOf(after.events)).toMatch(/^The tool returned: 18°C and sunny/);
  });
});
