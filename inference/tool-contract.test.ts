// The tools contract of DESIGN §3 over real HTTP: fixed phrasings call the built-in tools on every
// text model, streamed in vLLM's delta format; a tool result gets a reply that quotes it; the
// images endpoint draws deterministic PNGs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "./server";
import { contentOf, postChat, startTestServer, streamChat, user, type SseEvent } from "./test-helpers";

let server: InferenceServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const fn = (name: string, props: Record<string, unknown>) => ({
  type: "function",
  function: { name, description: name, parameters: { type: "object", properties: props, required: Object.keys(props) } },
});
const TOOLS = [
  fn("python", { code: { type: "string" } }),
  fn("web_search", { query: { type: "string" } }),
  fn("fetch_url", { url: { type: "string" } }),
  fn("generate_image", { prompt: { type: "string" } }),
];

function toolDeltas(events: SseEvent[]) {
  return events.flatMap((e) => e.json?.choices?.[0]?.delta?.tool_calls ?? []);
}

async function call(text: string, tools: unknown[] = TOOLS) {
  const out = await streamChat(server.url, { model: "fast", messages: [user(text)], tools });
  expect(out.status).toBe(200);
  const deltas = toolDeltas(out.events);
  const finish = out.events.map((e) => e.json?.choices?.[0]?.finish_reason).find(Boolean);
  return { deltas, finish, text: contentOf(out.events), args: deltas.map((d) => d.function?.arguments ?? "").join("") };
}

describe("tool calls in vLLM's delta format", () => {
  it("a fenced python block calls python with exactly that code", async () => {
    const code = 'for i in range(3):\n    print("row", i)';
    const r = await call(`Please run this:\n\`\`\`python\n${code}\n\`\`\`\nthanks`);
    expect(r.finish).toBe("tool_calls");
    expect(r.deltas[0]).toMatchObject({ index: 0, type: "function", function: { name: "python", arguments: "" } });
    expect(r.deltas[0].id).toMatch(/^chatcmpl-tool-/);
    const argDeltas = r.deltas.slice(1);
    expect(argDeltas.length).toBeGreaterThan(2); // arguments split across several deltas
    expect(argDeltas.every((d) => d.index === 0 && d.id === undefined && d.function.name === undefined)).toBe(true);
    expect(JSON.parse(r.args)).toEqual({ code });
  });

  it.each([
    ["search the web for best hiking trails near Lyon", "web_search", { query: "best hiking trails near Lyon" }],
    ["read https://example.com/docs/page?x=1 and summarise it", "fetch_url", { url: "https://example.com/docs/page?x=1" }],
    ["draw a red fox in the snow", "generate_image", { prompt: "a red fox in the snow" }],
  ])("%s", async (text, name, args) => {
    const r = await call(text);
    expect(r.finish).toBe("tool_calls");
    expect(r.deltas[0].function.name).toBe(name);
    expect(JSON.parse(r.args)).toEqual(args);
  });

  it("only calls a tool the request offers", async () => {
    const r = await call("draw a red fox", [TOOLS[0]]);
    expect(r.deltas).toEqual([]);
    expect(r.finish).toBe("stop");
    expect(r.text.length).toBeGreaterThan(0);
    const none = await call("```python\nprint(1)\n```", []);
    expect(none.deltas).toEqual([]);
    const notUrl = await call("read the manual please");
    expect(notUrl.deltas).toEqual([]);
  });

  it("answers a tool result with a reply that quotes it", async () => {
    const messages = [
      user("```python\nprint(6*7)\n```"),
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "python", arguments: '{"code":"print(6*7)"}' } }] },
      { role: "tool", tool_call_id: "c1", content: "stdout:\n42" },
    ];
    const out = await streamChat(server.url, { model: "fast", messages, tools: TOOLS });
    expect(toolDeltas(out.events)).toEqual([]);
    expect(contentOf(out.events)).toMatch(/^The tool returned: stdout: 42/);
  });

  it("non-streamed calls carry the whole call", async () => {
    const res = await postChat(server.url, { model: "fast", messages: [user("search the web for otters")], tools: TOOLS });
    const json = await res.json();
    expect(json.choices[0].finish_reason).toBe("tool_calls");
    expect(json.choices[0].message.tool_calls[0].function).toEqual({ name: "web_search", arguments: '{"query":"otters"}' });
  });
});

describe("POST /v1/images/generations", () => {
  const gen = (body: unknown) =>
    fetch(`${server.url}/v1/images/generations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("returns deterministic PNGs in OpenAI's shape", async () => {
    const a = await (await gen({ model: "sim-image", prompt: "a red fox", size: "256x256", response_format: "b64_json" })).json();
    const b = await (await gen({ prompt: "a red fox", size: "256x256" })).json();
    const c = await (await gen({ prompt: "a blue whale", size: "256x256" })).json();
    const png = Buffer.from(a.data[0].b64_json, "base64");
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(256); // IHDR width
    expect(a.data[0].b64_json).toBe(b.data[0].b64_json);
    expect(c.data[0].b64_json).not.toBe(a.data[0].b64_json);
    expect(typeof a.created).toBe("number");
  });

  it("refuses bad requests with a 400 in OpenAI's error shape", async () => {
    for (const body of [{}, { prompt: "" }, { prompt: "x", size: "7x7" }, { prompt: "x", n: 9 }]) {
      const res = await gen(body);
      expect(res.status).toBe(400);
      expect((await res.json()).error.type).toBe("invalid_request_error");
    }
    const bad = await fetch(`${server.url}/v1/images/generations`, { method: "POST", body: "{not json" });
    expect(bad.status).toBe(400);
  });
});
