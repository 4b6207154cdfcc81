// The tool definitions a turn sends count against the model's window like messages (step 6): over
// real HTTP through the app server's routes, against the simulator's echo mode (what went upstream),
// with a small-window catalog model that offers the built-in tools. The same user with every tool
// turned off is the control: same system text, same history, no definitions.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { readSseText, sseEvents, startSimulator } from "../support/gateway-harness";
import { serveApp, type RouteServer } from "../support/route-server";
import { signedIn, TEST_AUTH_SECRET } from "../support/session-cookie";

const WINDOW = 3_000;
const RESERVED = 100;
let sim: InferenceServer;
let app: RouteServer;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tool-budget-"));
  const models = path.join(dir, "models.json");
  sim = await startSimulator({ AUTH_SECRET: TEST_AUTH_SECRET, UPSTASH_REDIS_REST_URL: "", MODELS_CONFIG: models, PYTHON_POOL_SIZE: "1" });
  const echo = (id: string, extra: Record<string, unknown>) => ({
    id,
    label: id,
    contextWindow: WINDOW,
    // Above the window, so max_tokens is exactly what the prompt leaves.
    maxOutputTokens: 100_000,
    reservedOutputTokens: RESERVED,
    encoding: "o200k_base",
    pricing: { inputPerM: 0, outputPerM: 0 },
    simulated: true,
    pools: [{ name: id, upstreamModel: "sim-echo", replicas: [{ url: sim.url }] }],
    ...extra,
  });
  fs.writeFileSync(
    models,
    JSON.stringify({
      defaultModel: "small",
      utilityModel: "small",
      imageModel: { url: sim.url, model: "sim-image" },
      models: [echo("small", { tools: true })],
    }),
  );
  app = await serveApp();
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
  const { closePythonPoolForTests } = await import("@/lib/tools/python");
  closePythonPoolForTests();
});

type Echo = { params: { max_tokens: number; tools?: string[] }; messages: { role: string; content: string }[] };
type Start = { messageMetadata: { context: { omitted: number; promptTokens: number } } };

async function user(toolsOff: boolean) {
  const s = await signedIn();
  if (toolsOff) {
    const { setDisabledTools } = await import("@/db/queries/users");
    const { TOOLS } = await import("@/lib/tools/registry");
    await setDisabledTools({ userId: s.user.id, disabledTools: TOOLS.map((t) => t.name) });
  }
  return s;
}

function chat(cookie: string, conversationId: string, text: string) {
  return fetch(`${app.url}/api/chat`, {
    method: "POST",
    headers: { cookie, origin: app.url, "content-type": "application/json" },
    body: JSON.stringify({ id: conversationId, model: "small", message: { id: randomUUID(), text } }),
  });
}

/** One turn to its end: what the echo model received, and the reply's context info. */
async function ask(cookie: string, conversationId: string, text: string) {
  const res = await chat(cookie, conversationId, text);
  expect(res.status).toBe(200);
  const events = sseEvents(await readSseText(res)).filter((e) => e.data.startsWith("{")).map((e) => JSON.parse(e.data) as { type: string; delta?: string });
  const echo = JSON.parse(events.filter((e) => e.type === "text-delta").map((e) => e.delta).join("")) as Echo;
  const start = events.find((e) => e.type === "start") as unknown as Start;
  return { echo, context: start.messageMetadata.context };
}

/** What the definitions the echo saw cost, counted independently of the gateway's code: JSON as sent + the framing allowance. */
async function expectedToolTokens(names: string[]): Promise<number> {
  const { toolDefinitions } = await import("@/lib/tools/registry");
  const { tokenCounter } = await import("@/lib/tokens/count");
  const { TOOLS_OVERHEAD_TOKENS, TOOL_OVERHEAD_TOKENS } = await import("@/lib/gateway/pipeline/tools");
  const count = await tokenCounter("o200k_base");
  const defs = toolDefinitions().filter((d) => names.includes(d.function.name));
  expect(defs.map((d) => d.function.name)).toEqual(names);
  return TOOLS_OVERHEAD_TOKENS + defs.reduce((sum, d) => sum + count(JSON.stringify(d)) + TOOL_OVERHEAD_TOKENS, 0);
}

/** Writes finished exchanges into the conversation until they take about `tokens` of the prompt. */
async function seedHistory(userId: string, conversationId: string, tokens: number): Promise<void> {
  const { createConversation } = await import("@/db/queries/conversations");
  const { startTurn, finishAssistantMessage } = await import("@/db/queries/messages");
  const { countForEncodings, MESSAGE_OVERHEAD_TOKENS } = await import("@/lib/tokens/count");
  await createConversation({ id: conversationId, userId, model: "small" });
  let used = 0;
  for (let i = 1; used < tokens; i++) {
    const question = `Question ${i} about topic-${i}: ${"detail ".repeat(40)}`;
    const answer = `Answer ${i}: ${"words ".repeat(40)}`;
    const [q, a] = await Promise.all([countForEncodings(question, ["o200k_base"]), countForEncodings(answer, ["o200k_base"])]);
    const turn = await startTurn({ userId, conversationId, model: "small", parentId: null, user: { content: question, contentTokens: q } });
    await finishAssistantMessage({ id: turn!.assistant.id, content: answer, finishReason: "stop", model: "small", contentTokens: a });
    used += q.o200k_base + a.o200k_base + 2 * MESSAGE_OVERHEAD_TOKENS;
  }
}

describe("tool definitions in the token budget", () => {
  it("are counted in the prompt: max_tokens and the estimate differ by exactly the definitions' tokens", async () => {
    const on = await user(false);
    const off = await user(true);
    const [withTools, without] = await Promise.all([ask(on.cookie, randomUUID(), "hello"), ask(off.cookie, randomUUID(), "hello")]);
    const names = withTools.echo.params.tools ?? [];
    expect(names.length).toBeGreaterThan(0); // fetch_url and generate_image at least (python where the host can sandbox it)
    expect(without.echo.params.tools).toBeUndefined();
    const tools = await expectedToolTokens(names);
    expect(withTools.context.promptTokens - without.context.promptTokens).toBe(tools);
    expect(without.echo.params.max_tokens - withTools.echo.params.max_tokens).toBe(tools);
    expect(withTools.echo.params.max_tokens).toBe(WINDOW - withTools.context.promptTokens);
  }, 60_000);

  it("leave out history that would fit without them", async () => {
    const on = await user(false);
    const off = await user(true);
    // The room for history beside "hello" without tools, from a first turn of the control user.
    const probe = await ask(off.cookie, randomUUID(), "hello");
    const room = WINDOW - RESERVED - probe.context.promptTokens;
    const tools = await expectedToolTokens((await ask(on.cookie, randomUUID(), "hello")).echo.params.tools ?? []);
    // History that fits without the definitions (half their size to spare), not with them.
    const target = room - Math.ceil(tools / 2) - 150; // one seeded exchange is ~100 tokens: stay under
    const [a, b] = [randomUUID(), randomUUID()];
    await Promise.all([seedHistory(on.user.id, a, target), seedHistory(off.user.id, b, target)]);

    const [withTools, without] = await Promise.all([ask(on.cookie, a, "hello"), ask(off.cookie, b, "hello")]);
    expect(without.context.omitted).toBe(0);
    expect(without.echo.messages.map((m) => m.content).join("\n")).toContain("topic-1:");
    expect(withTools.context.omitted).toBeGreaterThan(0);
    expect(withTools.echo.messages.map((m) => m.content).join("\n")).not.toContain("topic-1:");
    expect(withTools.echo.messages.at(-1)?.content).toBe("hello");
    // What was sent, definitions included, stays within the window minus the reply's reserve.
    expect(withTools.context.promptTokens).toBeLessThanOrEqual(WINDOW - RESERVED);
  }, 120_000);

  it("a message that fits only without them is refused with 413 before anything is saved", async () => {
    const on = await user(false);
    const off = await user(true);
    const { tokenCounter } = await import("@/lib/tokens/count");
    const count = await tokenCounter("o200k_base");
    const probe = await ask(off.cookie, randomUUID(), "hello");
    const tools = await expectedToolTokens((await ask(on.cookie, randomUUID(), "hello")).echo.params.tools ?? []);
    // The largest message the control accepts is the room beside the fixed part; aim between the two limits.
    const limitOff = WINDOW - RESERVED - probe.context.promptTokens + count("hello");
    let text = "";
    while (count(text) < limitOff - Math.floor(tools / 2)) text += "stone ";
    const conversationId = randomUUID();
    const refused = await chat(on.cookie, conversationId, text);
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("context_length_exceeded");
    const { getConversationById } = await import("@/db/queries/conversations");
    expect(await getConversationById({ id: conversationId, userId: on.user.id })).toBeNull();
    const accepted = await chat(off.cookie, randomUUID(), text);
    expect(accepted.status).toBe(200);
    await readSseText(accepted);
  }, 60_000);

  it("/v1/chat/completions counts the caller's own tools: max_tokens shrinks by them, too many is a 400", async () => {
    const { cookie } = await signedIn();
    const completions = (body: Record<string, unknown>) =>
      fetch(`${app.url}/v1/chat/completions`, {
        method: "POST",
        headers: { cookie, origin: app.url, "content-type": "application/json" },
        body: JSON.stringify({ model: "small", messages: [{ role: "user", content: "hello" }], ...body }),
      });
    const echoOf = async (res: Response) => {
      expect(res.status).toBe(200);
      return JSON.parse(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0].message.content) as Echo;
    };
    const tool = (name: string, words: number) => ({
      type: "function",
      function: { name, description: "lorem ".repeat(words), parameters: { type: "object", properties: { q: { type: "string" } } } },
    });
    const tools = [tool("first", 50), tool("second", 80)];
    const [plain, withTools] = [await echoOf(await completions({})), await echoOf(await completions({ tools }))];
    const { toolDefinitionTokens } = await import("@/lib/gateway/pipeline/tools");
    const { tokenCounter } = await import("@/lib/tokens/count");
    const count = await tokenCounter("o200k_base");
    const expected = 12 + tools.reduce((s, t) => s + count(JSON.stringify(t)) + 4, 0);
    expect(await toolDefinitionTokens(tools, "o200k_base")).toBe(expected);
    expect(plain.params.max_tokens - withTools.params.max_tokens).toBe(expected);

    // Each within the schema's 10,000-character description, together past the window.
    const tooMany = await completions({ tools: [1, 2, 3].map((i) => tool(`huge_${i}`, 1_600)) });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { error: { code: string } }).error.code).toBe("context_length_exceeded");
  }, 60_000);
});
