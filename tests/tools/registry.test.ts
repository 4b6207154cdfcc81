// The loop's entry point: OpenAI definitions from the zod schemas, and every bad call (unknown
// tool, broken JSON, wrong arguments, unavailable tool) answered as an error result, never a throw.
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { runToolCall, toOpenAITool, toolDefinitions, toolStatus, TOOLS } from "@/lib/tools/registry";

const ctx = () => ({ userId: "u1", signal: new AbortController().signal });

afterEach(() => {
  delete process.env.SEARCH_PROVIDER;
  resetEnvForTests();
});

describe("tool definitions", () => {
  it("are OpenAI function tools generated from the zod schemas", () => {
    const defs = Object.fromEntries(TOOLS.map((t) => [t.name, toOpenAITool(t)]));
    expect(Object.keys(defs)).toEqual(["python", "web_search", "fetch_url", "generate_image"]);
    expect(defs.python).toMatchObject({
      type: "function",
      function: { name: "python", parameters: { type: "object", properties: { code: { type: "string" } }, required: ["code"] } },
    });
    expect(defs.python.function.description).toMatch(/numpy.*NOT available/);
    expect(defs.generate_image.function.parameters).toMatchObject({ required: ["prompt"], properties: { size: { enum: ["256x256", "512x512", "1024x1024"] } } });
    expect(JSON.stringify(defs)).not.toContain("$schema");
  });

  it("offer only available tools the user has not turned off; web search is off without a provider", () => {
    const status = Object.fromEntries(toolStatus().map((s) => [s.name, s.availability]));
    expect(status.web_search).toEqual({ ok: false, reason: expect.stringMatching(/no search provider/) });
    expect(toolDefinitions().map((d) => d.function.name)).not.toContain("web_search");
    expect(toolDefinitions({ disabled: ["fetch_url"] }).map((d) => d.function.name)).not.toContain("fetch_url");
  });
});

describe("runToolCall", () => {
  it("answers bad calls with an error result for the model", async () => {
    const unknown = await runToolCall("rm_rf", "{}", ctx());
    expect(unknown).toMatchObject({ isError: true, content: expect.stringMatching(/no tool named/) });
    const broken = await runToolCall("fetch_url", '{"url": "http', ctx());
    expect(broken).toMatchObject({ isError: true, content: expect.stringMatching(/not valid JSON/) });
    const wrong = await runToolCall("fetch_url", '{"url": 42}', ctx());
    expect(wrong).toMatchObject({ isError: true, content: expect.stringMatching(/Invalid arguments for fetch_url: url/) });
    // Empty arguments mean {} — which still lacks the required field.
    const empty = await runToolCall("python", "", ctx());
    expect(empty).toMatchObject({ isError: true, content: expect.stringMatching(/code/) });
    expect(empty.display).toMatchObject({ kind: "error", tool: "python" });
  });

  it("reports an unavailable tool with the reason", async () => {
    const r = await runToolCall("web_search", '{"query":"otters"}', ctx());
    expect(r).toMatchObject({ isError: true, content: expect.stringMatching(/not available: no search provider/) });
  });

  it("does not start a tool once stopped", async () => {
    const stop = new AbortController();
    stop.abort();
    const r = await runToolCall("fetch_url", '{"url":"https://example.com/"}', { userId: "u1", signal: stop.signal });
    expect(r).toMatchObject({ isError: true, content: expect.stringMatching(/Stopped/) });
  });

  it("a refused URL comes back as an error result, not a throw", async () => {
    const r = await runToolCall("fetch_url", '{"url":"http://169.254.169.254/latest/meta-data/"}', ctx());
    expect(r).toMatchObject({ isError: true, content: expect.stringMatching(/not a public address/) });
  });
});

describe("artifact names", () => {
  it("are reduced to a safe alphabet, never hidden, never a path, unique", async () => {
    const { sanitizeName, mimeFor } = await import("@/lib/tools/artifacts");
    const taken = new Set<string>();
    expect(sanitizeName("../../etc/passwd", taken)).toBe("etc_passwd");
    expect(sanitizeName(".bashrc", taken)).toBe("bashrc");
    expect(sanitizeName("résumé <1>.txt", taken)).toBe("r_sum___1_.txt");
    expect(sanitizeName("..", taken)).toBe("file");
    expect(sanitizeName("out.csv", taken)).toBe("out.csv");
    expect(sanitizeName("OUT.csv", taken)).toBe("OUT-2.csv");
    expect(sanitizeName("a".repeat(300) + ".json", taken)).toHaveLength(100);
    expect(mimeFor("chart.svg")).toBe("image/svg+xml");
    expect(mimeFor("x.exe")).toBe("application/octet-stream");
  });
});
