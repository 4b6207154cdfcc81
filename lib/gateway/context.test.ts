// Context assembly within the token budget, with the real tokenizer.
import { beforeAll, describe, expect, it } from "vitest";
import type { CatalogModel } from "@/lib/models/catalog";
import { MESSAGE_OVERHEAD_TOKENS, REPLY_PRIMING_TOKENS, tokenCounter, type TokenCounter } from "@/lib/tokens/count";
import { assembleContext, type ContextMessage, customInstructionsText, SUMMARY_PREFIX, systemText } from "./context";

let count: TokenCounter;
beforeAll(async () => {
  count = await tokenCounter("o200k_base");
});

const model = (contextWindow: number, reserved = 20): CatalogModel => ({
  id: "m",
  label: "Test model",
  description: "",
  contextWindow,
  maxOutputTokens: 100,
  reservedOutputTokens: reserved,
  encoding: "o200k_base",
  pricing: { inputPerM: 0, outputPerM: 0 },
  tiers: ["free"],
  simulated: true,
  pools: [{ name: "p", replicas: [{ url: "http://127.0.0.1:1", weight: 1 }] }],
});

let n = 0;
function msg(role: ContextMessage["role"], content: string, extra: Partial<ContextMessage> = {}): ContextMessage {
  const id = `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;
  return { id, role, content, toolCalls: null, toolCallId: null, contentTokens: { o200k_base: count(content) }, sequenceNum: 0, ...extra };
}
/** Depths as the database gives them: a chain from the root. */
const chain = (...ms: ContextMessage[]) => ms.map((m, i) => ({ ...m, sequenceNum: i }));
const size = (m: ContextMessage) => m.contentTokens!.o200k_base + MESSAGE_OVERHEAD_TOKENS;
const SYSTEM = "You are terse.";
const fixed = () => count(SYSTEM) + MESSAGE_OVERHEAD_TOKENS + REPLY_PRIMING_TOKENS;

describe("assembleContext", () => {
  const history = () =>
    chain(
      msg("user", "first question about apples"),
      msg("assistant", "first answer about apples and pears"),
      msg("user", "second question about oranges"),
      msg("assistant", "second answer about oranges"),
      msg("user", "the newest question"),
    );

  it("sends everything when it fits exactly, and leaves out the oldest message when one token over", () => {
    const path = history();
    const all = fixed() + path.reduce((s, m) => s + size(m), 0);
    const exact = assembleContext({ model: model(all + 20), system: SYSTEM, summary: null, path, count });
    expect(exact.messages.map((m) => m.content)).toEqual([SYSTEM, ...path.map((m) => m.content)]);
    expect(exact.info).toEqual({ omitted: 0, summarized: false, promptTokens: all });
    expect(exact.unsummarized).toBeNull();

    const over = assembleContext({ model: model(all + 20 - 1), system: SYSTEM, summary: null, path, count });
    expect(over.messages.map((m) => m.content)).toEqual([SYSTEM, ...path.slice(1).map((m) => m.content)]);
    expect(over.info.omitted).toBe(1);
    expect(over.unsummarized).toEqual({ fromDepth: 0, toDepth: 0 });

    // Only the newest rows came from the database: the ones above still count as omitted.
    const suffix = assembleContext({ model: model(all + 20), system: SYSTEM, summary: null, path: path.slice(2), count });
    expect(suffix.info.omitted).toBe(2);
    expect(suffix.unsummarized).toEqual({ fromDepth: 0, toDepth: 1 });
    expect(over.maxTokens).toBeLessThanOrEqual(100);
  });

  it("always keeps the system part first and the newest message, and refuses one that alone overflows (413)", () => {
    const path = history();
    const tight = assembleContext({ model: model(fixed() + size(path[4]) + 20), system: SYSTEM, summary: null, path, count });
    expect(tight.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(tight.messages[1].content).toBe("the newest question");
    expect(() => assembleContext({ model: model(fixed() + size(path[4]) + 20 - 1), system: SYSTEM, summary: null, path, count })).toThrow(
      expect.objectContaining({ status: 413, code: "context_length_exceeded" }),
    );
  });

  it("keeps an assistant tool call together with its tool results", () => {
    const call = msg("assistant", "", { toolCalls: [{ id: "c1", type: "function", function: { name: "search", arguments: "{}" } }] });
    const result = msg("tool", "tool output with several words in it", { toolCallId: "c1" });
    const path = chain(msg("user", "old"), msg("user", "use the search tool"), call, result, msg("assistant", "done searching"), msg("user", "thanks"));
    const toolsSize = size(call) + count(JSON.stringify(call.toolCalls)) + size(result);
    // Room for the last two and the tool result, but not for its call: both must be left out.
    const room = fixed() + size(path[5]) + size(path[4]) + size(result) + 20;
    const ctx = assembleContext({ model: model(room), system: SYSTEM, summary: null, path, count });
    expect(ctx.messages.map((m) => m.role)).toEqual(["system", "assistant", "user"]);
    const roomy = assembleContext({ model: model(fixed() + size(path[5]) + size(path[4]) + toolsSize + 20), system: SYSTEM, summary: null, path, count });
    expect(roomy.messages.map((m) => m.role)).toEqual(["system", "assistant", "tool", "assistant", "user"]);
    expect(roomy.messages[1].tool_calls).toEqual(call.toolCalls);
    expect(roomy.messages[2].tool_call_id).toBe("c1");
  });

  it("puts a summary of left-out messages right after the system prompt", () => {
    const long = "apples and pears and plums ".repeat(12);
    const path = chain(msg("user", long), msg("assistant", long), ...history().slice(2));
    const summary = { text: "They discussed apples.", untilMessageId: path[1].id };
    const summaryTokens = count(SUMMARY_PREFIX + summary.text) + MESSAGE_OVERHEAD_TOKENS;
    const room = fixed() + summaryTokens + size(path[2]) + size(path[3]) + size(path[4]) + 20;
    const ctx = assembleContext({ model: model(room), system: SYSTEM, summary, path, count });
    expect(ctx.messages.map((m) => m.content)).toEqual([SYSTEM, SUMMARY_PREFIX + summary.text, ...path.slice(2).map((m) => m.content)]);
    expect(ctx.info).toMatchObject({ omitted: 2, summarized: true });
    expect(ctx.unsummarized).toBeNull();

    // A summary from another branch (its last message is not on this path) is not used.
    const foreign = assembleContext({ model: model(room), system: SYSTEM, summary: { ...summary, untilMessageId: msg("user", "x").id }, path, count });
    expect(foreign.info.summarized).toBe(false);
    expect(foreign.unsummarized).toEqual({ fromDepth: 0, toDepth: foreign.info.omitted - 1 });
  });

  it("skips failed replies that said nothing", () => {
    const path = chain(msg("user", "q1"), msg("assistant", ""), msg("user", "q2"));
    const ctx = assembleContext({ model: model(10_000), system: SYSTEM, summary: null, path, count });
    expect(ctx.messages.map((m) => m.role)).toEqual(["system", "user", "user"]);
  });
});

describe("system part", () => {
  it("includes custom instructions only when enabled, and the chat's system prompt last", () => {
    const m = model(1000);
    const now = new Date("2026-11-27T10:00:00Z");
    const ci = { aboutMe: "I am a chemist.", responseStyle: "Be brief.", enabled: true };
    const text = systemText({ model: m, now, customInstructions: ci, conversationSystemPrompt: "Speak like a pirate." });
    expect(text).toContain("Current date: 2026-11-27");
    expect(text.indexOf("I am a chemist.")).toBeLessThan(text.indexOf("Speak like a pirate."));
    expect(customInstructionsText({ ...ci, enabled: false })).toBeNull();
    expect(systemText({ model: m, now, customInstructions: { ...ci, enabled: false }, conversationSystemPrompt: null })).not.toContain("chemist");
  });
});
