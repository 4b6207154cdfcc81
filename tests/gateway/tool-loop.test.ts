// The tool-calling loop over real HTTP through the app server's route table (scripts/server.ts):
// the simulator's tools contract (a ```python block calls `python`) drives a real sandboxed run whose
// result reaches the model's next turn; the reply is saved as assistant(tool_calls) → tool →
// assistant; Stop during the run stops it; a resumed stream replays the steps. A scripted upstream
// (tests/support/tool-upstream.ts) covers what the contract cannot: broken arguments, a model that
// never stops calling tools (the tier's step limit). Caller-defined tools on /v1/chat/completions
// come back to the caller (the official openai client) and nothing runs here. The conversation API
// streams the steps as OpenAI tool_calls deltas and tool_result chunks, which the openai client reads.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "@/inference/server";
import { DEFAULT_LIMITS } from "@/lib/limits/config";
import { probeIsolation } from "@/lib/tools/python/isolation";
import { readSseText, sseEvents, startSimulator, waitFor } from "../support/gateway-harness";
import { serveApp, type RouteServer } from "../support/route-server";
import { signedIn, TEST_AUTH_SECRET } from "../support/session-cookie";
import { scriptedUpstream } from "../support/tool-upstream";

let sim: InferenceServer;
let app: RouteServer;
let scripted: Awaited<ReturnType<typeof scriptedUpstream>>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tool-loop-"));

beforeAll(async () => {
  scripted = await scriptedUpstream((req) => {
    const user = req.messages.findLast((m) => m.role === "user")?.content ?? "";
    const last = req.messages.at(-1)!;
    if (!req.tools?.length) return { text: "answered: no tools" };
    if (last.role === "tool" && user.startsWith("BAD")) return { text: `answered: ${last.content}` };
    if (user.startsWith("BAD")) return { call: { name: "python", arguments: '{"code": 12' } };
    return { call: { name: "python", arguments: JSON.stringify({ code: `print(${req.messages.length})` }) } };
  });
  const catalog = (url: string) => ({
    defaultModel: "gpt-4o",
    utilityModel: "gpt-4o",
    imageModel: { url, model: "sim-image" },
    models: [
      { id: "gpt-4o", label: "GPT-4o", contextWindow: 32_000, maxOutputTokens: 1_000, pricing: { inputPerM: 1, outputPerM: 1 }, simulated: true, tools: true, pools: [{ name: "main", upstreamModel: "sim-medium", replicas: [{ url }] }] },
      { id: "plain", label: "Plain", contextWindow: 32_000, maxOutputTokens: 1_000, pricing: { inputPerM: 1, outputPerM: 1 }, simulated: true, pools: [{ name: "plain", upstreamModel: "sim-medium", replicas: [{ url }] }] },
      { id: "scripted", label: "Scripted", contextWindow: 32_000, maxOutputTokens: 1_000, pricing: { inputPerM: 0, outputPerM: 0 }, tools: true, pools: [{ name: "s", upstreamModel: "scripted", replicas: [{ url: scripted.url }] }] },
    ],
  });
  const models = path.join(dir, "models.json");
  const limits = path.join(dir, "limits.json");
  fs.writeFileSync(limits, JSON.stringify({ ...DEFAULT_LIMITS, free: { ...DEFAULT_LIMITS.free, messages: {}, toolSteps: 2 } }));
  // The simulator's URL is known once it runs; env() is read after this (startSimulator sets the rest).
  sim = await startSimulator({ AUTH_SECRET: TEST_AUTH_SECRET, UPSTASH_REDIS_REST_URL: "", MODELS_CONFIG: models, LIMITS_CONFIG: limits, PYTHON_POOL_SIZE: "1", CHECKPOINT_MS: "100" });
  fs.writeFileSync(models, JSON.stringify(catalog(sim.url)));
  app = await serveApp();
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
  await scripted?.close();
  const { closePythonPoolForTests } = await import("@/lib/tools/python");
  closePythonPoolForTests();
});

type Ui = { type: string; delta?: string; toolName?: string; toolCallId?: string; input?: unknown; output?: { display: Record<string, unknown>; isError: boolean } };

function chat(cookie: string, text: string, model = "gpt-4o") {
  const id = randomUUID();
  const res = fetch(`${app.url}/api/chat`, {
    method: "POST",
    headers: { cookie, origin: app.url, "content-type": "application/json" },
    body: JSON.stringify({ id, model, message: { id: randomUUID(), text } }),
  });
  return { id, res };
}

/** Reads a UI stream, optionally only until `enough` (then the connection drops). */
async function read(res: Response, enough?: (ui: Ui[]) => boolean) {
  const text = await readSseText(res, enough && ((complete) => enough(parse(complete).map((e) => e.ui))));
  const events = parse(text);
  return { ui: events.map((e) => e.ui), ids: events.map((e) => e.id).filter((n): n is number => n !== null), done: text.includes("data: [DONE]") };
}
const parse = (text: string) => sseEvents(text).filter((e) => e.data.startsWith("{")).map((e) => ({ id: e.id, ui: JSON.parse(e.data) as Ui }));
const textOf = (ui: Ui[]) => ui.filter((e) => e.type === "text-delta").map((e) => e.delta).join("");

async function savedPath(conversationId: string, userId: string) {
  const { getActivePath } = await import("@/db/queries/messages");
  return waitFor(async () => {
    const path = await getActivePath({ conversationId, userId });
    return path.at(-1)?.finishReason ? path : null;
  }, 30_000);
}

const pythonBlock = (code: string) => `Run this:\n\`\`\`python\n${code}\n\`\`\``;

describe.runIf(probeIsolation().ok)("the loop with the code interpreter", () => {
  it("runs the call, hands the result to the model's next turn, saves assistant(tool_calls) → tool → assistant", async () => {
    const { user, cookie } = await signedIn();
    const code = 'print("forty-two", 6 * 7)\nopen("page.html", "w").write("<script>alert(1)</script>")';
    const { id, res } = chat(cookie, pythonBlock(code));
    const r = await read(await res);
    expect(r.done).toBe(true);
    const call = r.ui.find((e) => e.type === "tool-input-available")!;
    expect(call).toMatchObject({ toolName: "python", input: { code } });
    const result = r.ui.find((e) => e.type === "tool-output-available")!;
    expect(result.toolCallId).toBe(call.toolCallId);
    expect(result.output).toMatchObject({ isError: false, display: { kind: "python", stdout: "forty-two 42\n", status: "ok" } });
    // The file the code wrote is stored for its owner and served as a download, never inline.
    const [file] = (result.output as unknown as { files: { id: string; name: string }[] }).files;
    expect(file.name).toBe("page.html");
    const { getFileById } = await import("@/db/queries/files");
    const { fileResponse } = await import("@/lib/files/serve");
    const row = await getFileById({ id: file.id, userId: user.id });
    const served = await fileResponse(row!, { cache: "private" });
    expect(served.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(await served.text()).toBe("<script>alert(1)</script>");
    const other = await signedIn();
    expect(await getFileById({ id: file.id, userId: other.user.id })).toBeNull();
    // The simulator's next turn quotes the tool message it was given.
    expect(textOf(r.ui)).toContain("The tool returned:");
    expect(textOf(r.ui)).toContain("forty-two 42");

    const path = await savedPath(id, user.id);
    expect(path.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    const [, withCalls, tool, final] = path;
    expect(withCalls).toMatchObject({ finishReason: "tool_calls", toolCalls: [{ id: call.toolCallId, type: "function", function: { name: "python" } }] });
    expect(tool).toMatchObject({ toolCallId: call.toolCallId, parentId: withCalls.id });
    expect(tool.content).toContain("forty-two 42");
    expect(final).toMatchObject({ finishReason: "stop", parentId: tool.id });
    expect(path.map((m) => m.sequenceNum)).toEqual([0, 1, 2, 3]);
    expect(final.content).toContain("forty-two 42");

    // The conversation API's active path shows the chain; the chat folds it into one reply.
    const { getActivePathWithSiblings } = await import("@/db/queries/branches");
    const { pathMessageJson } = await import("@/lib/api/conversation-json");
    const api = JSON.parse(JSON.stringify({ messages: (await getActivePathWithSiblings({ conversationId: id, userId: user.id })).map(pathMessageJson) })) as {
      messages: { role: string; tool_calls?: unknown[]; tool_call_id?: string }[];
    };
    expect(api.messages.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    expect(api.messages[2].tool_call_id).toBe(call.toolCallId);
    const { apiMessagesToChatUIMessages } = await import("@/lib/chat/ui-messages");
    const shown = apiMessagesToChatUIMessages(api.messages as never);
    expect(shown.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(shown[1].id).toBe(final.id);
    expect(shown[1].parts.map((p) => p.type)).toEqual(["dynamic-tool", "text"]);
    expect(shown[1].metadata).toMatchObject({ parentId: path[0].id, versionId: withCalls.id });

    // A share snapshot carries the steps; the export carries the chain with its calls and results.
    const { shareConversation, getSharedConversationByToken } = await import("@/db/queries/shares");
    const share = await shareConversation({ conversationId: id, userId: user.id });
    const snapshot = await getSharedConversationByToken({ token: share!.token! });
    expect(snapshot!.messages.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    const { exportStream } = await import("@/lib/transfer/export");
    const exported = JSON.parse(await new Response(exportStream(user.id)).text()) as { conversations: { messages: { role: string; tool_calls?: unknown[]; tool_call_id?: string }[] }[] };
    const chain = exported.conversations[0].messages;
    expect(chain.find((m) => m.role === "assistant" && m.tool_calls)?.tool_calls).toMatchObject([{ id: call.toolCallId }]);
    expect(chain.find((m) => m.role === "tool")?.tool_call_id).toBe(call.toolCallId);
  }, 60_000);

  it("Stop during the run stops the tool; the step is kept", async () => {
    const { user, cookie } = await signedIn();
    const { id, res } = chat(cookie, pythonBlock("while True:\n    pass"));
    const before = await read(await res, (ui) => ui.some((e) => e.type === "tool-input-available"));
    expect(before.done).toBe(false);
    const t0 = Date.now();
    const stop = await fetch(`${app.url}/api/chat/${id}/stop`, { method: "POST", headers: { cookie, origin: app.url } });
    expect(stop.status).toBe(204);
    const path = await savedPath(id, user.id);
    expect(Date.now() - t0).toBeLessThan(8_000); // far below the interpreter's own time limit
    expect(path.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    expect(path[3].finishReason).toBe("aborted");
    const part = path[2].contentParts?.[0] as { display: { kind: string; status?: string } };
    expect(part.display).toMatchObject({ kind: "python", status: "stopped" });
  }, 60_000);

  it("a stream resumed mid-loop with Last-Event-ID replays the steps after it, exactly once", async () => {
    const { cookie } = await signedIn();
    const { id, res } = chat(cookie, pythonBlock('import time\ntime.sleep(1.5)\nprint("slept")'));
    const first = await read(await res, (ui) => ui.some((e) => e.type === "tool-input-available"));
    expect(first.ui.some((e) => e.type === "tool-output-available")).toBe(false);
    const last = first.ids.at(-1)!;
    const [resumed, fresh] = await Promise.all([
      fetch(`${app.url}/api/chat/${id}/stream`, { headers: { cookie, "last-event-id": String(last) } }).then((r) => read(r)),
      fetch(`${app.url}/api/chat/${id}/stream?after=0`, { headers: { cookie } }).then((r) => read(r)),
    ]);
    expect(resumed.done).toBe(true);
    expect(resumed.ids[0]).toBe(last + 1);
    expect(resumed.ui.some((e) => e.type === "tool-input-available")).toBe(false);
    expect(resumed.ui.find((e) => e.type === "tool-output-available")?.output?.display).toMatchObject({ stdout: "slept\n" });
    expect(textOf(resumed.ui)).toContain("slept");
    expect(fresh.ui.filter((e) => e.type === "tool-input-available")).toHaveLength(1);
    expect(fresh.ui.filter((e) => e.type === "tool-output-available")).toHaveLength(1);
  }, 60_000);
});

describe("the loop's edges (scripted upstream)", () => {
  it("broken arguments become an error result for the model, not a failed reply", async () => {
    const { user, cookie } = await signedIn();
    const { id, res } = chat(cookie, "BAD arguments please", "scripted");
    const r = await read(await res);
    const result = r.ui.find((e) => e.type === "tool-output-available")!;
    expect(result.output).toMatchObject({ isError: true, display: { kind: "error", message: "The arguments are not valid JSON." } });
    expect(textOf(r.ui)).toBe("answered: Error: The arguments are not valid JSON.");
    const path = await savedPath(id, user.id);
    expect(path.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    expect(path[1].toolCalls).toMatchObject([{ function: { name: "python", arguments: '{"code": 12' } }]);
    expect(path[3].finishReason).toBe("stop");
  }, 30_000);

  it("stops offering tools after the tier's toolSteps (2 here): the model must answer", async () => {
    const { user, cookie } = await signedIn();
    const seen = scripted.requests.length;
    const { id, res } = chat(cookie, "LOOP forever", "scripted");
    const r = await read(await res);
    expect(r.ui.filter((e) => e.type === "tool-input-available")).toHaveLength(2);
    const mine = scripted.requests.slice(seen);
    expect(mine.map((q) => Boolean(q.tools?.length))).toEqual([true, true, false]);
    // Each later request carries the calls and results so far, in order.
    expect(mine[2].messages.slice(-4).map((m) => m.role)).toEqual(["assistant", "tool", "assistant", "tool"]);
    expect(textOf(r.ui)).toBe("answered: no tools");
    const path = await savedPath(id, user.id);
    expect(path.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant", "tool", "assistant"]);
  }, 60_000);

  it("a model without the catalog's tools flag is offered none", async () => {
    const { cookie } = await signedIn();
    const { res } = chat(cookie, pythonBlock("print(1)"), "plain");
    const r = await read(await res);
    expect(r.ui.some((e) => e.type === "tool-input-available")).toBe(false);
  }, 30_000);
});

describe("/v1/chat/completions with the caller's own tools", () => {
  const tools = [{ type: "function" as const, function: { name: "python", description: "the caller's", parameters: { type: "object", properties: { code: { type: "string" } } } } }];
  const prompt = pythonBlock("print('theirs')");

  it("returns the model's tool_calls (stream and not), runs nothing", async () => {
    const { user } = await signedIn();
    const { issueApiKey } = await import("@/lib/auth/api-keys");
    const key = await issueApiKey(user.id, "test");
    const client = new OpenAI({ apiKey: key.key, baseURL: `${app.url}/v1`, maxRetries: 0 });
    const done = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: prompt }], tools });
    expect(done.choices[0].finish_reason).toBe("tool_calls");
    const [call] = done.choices[0].message.tool_calls!;
    expect(call.type === "function" && call.function.name).toBe("python");
    expect(call.type === "function" && JSON.parse(call.function.arguments)).toEqual({ code: "print('theirs')" });

    const stream = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: prompt }], tools, stream: true });
    let args = "";
    let finish: string | null = null;
    for await (const chunk of stream) {
      for (const d of chunk.choices[0]?.delta.tool_calls ?? []) args += d.function?.arguments ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(finish).toBe("tool_calls");
    expect(JSON.parse(args)).toEqual({ code: "print('theirs')" });

    // The caller answers with its result; the model's next turn uses it.
    const next = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: prompt }, { role: "assistant", content: null, tool_calls: [call] }, { role: "tool", tool_call_id: call.id, content: "theirs-ran" }],
      tools,
    });
    expect(next.choices[0].finish_reason).toBe("stop");
    expect(next.choices[0].message.content).toContain("theirs-ran");
  }, 30_000);

  it("a tool message without tool_call_id is a 400 naming the field", async () => {
    const { cookie } = await signedIn();
    const res = await fetch(`${app.url}/v1/chat/completions`, {
      method: "POST",
      headers: { cookie, origin: app.url, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "tool", content: "x" }] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/tool_call_id/);
  });
});

describe("the conversation API's stream of a reply with tool steps", () => {
  type Chunk = {
    id: string;
    object: string;
    choices: { index: number; delta: { content?: string; tool_calls?: { index: number; id: string; type: string; function: { name: string; arguments: string } }[] }; finish_reason: string | null }[];
    tool_result?: { tool_call_id: string; name: string; is_error: boolean; duration_ms: number; display: { kind: string }; files: unknown[] };
  };
  const chunksOf = (text: string) => sseEvents(text).filter((e) => e.data.startsWith("{")).map((e) => ({ id: e.id, chunk: JSON.parse(e.data) as Chunk }));

  async function apiUser() {
    const { user } = await signedIn();
    const { issueApiKey } = await import("@/lib/auth/api-keys");
    const { createConversation } = await import("@/db/queries/conversations");
    const key = (await issueApiKey(user.id, "test")).key;
    const conversation = await createConversation({ userId: user.id, model: "scripted", title: "api" });
    return { user, key, conversationId: conversation.id };
  }

  it("encodes each call as an OpenAI tool_calls delta numbered across the steps, each result as a tool_result chunk", async () => {
    const { user, key, conversationId } = await apiUser();
    const res = await fetch(`${app.url}/v1/conversations/${conversationId}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ content: "LOOP twice", model: "scripted" }),
    });
    expect(res.status).toBe(200);
    const text = await readSseText(res);
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    const chunks = chunksOf(text);
    const replyId = chunks[0].chunk.id;
    expect(chunks.every((c) => c.chunk.id === replyId && c.chunk.object === "chat.completion.chunk" && c.id !== null)).toBe(true);

    // Calls and results alternate, step by step, in the order the loop ran them.
    const kinds = chunks.map(({ chunk }) => (chunk.choices[0]?.delta.tool_calls ? "call" : chunk.tool_result ? "result" : chunk.choices[0]?.finish_reason ? "finish" : "text"));
    expect(kinds.filter((k) => k !== "text")).toEqual(["call", "result", "call", "result", "finish"]);
    const calls = chunks.flatMap((c) => c.chunk.choices[0]?.delta.tool_calls ?? []);
    expect(calls.map((c) => c.index)).toEqual([0, 1]);
    expect(calls.every((c) => c.type === "function" && c.function.name === "python" && JSON.parse(c.function.arguments).code)).toBe(true);
    const results = chunks.flatMap((c) => (c.chunk.tool_result ? [c.chunk] : []));
    expect(results.map((r) => r.tool_result!.tool_call_id)).toEqual(calls.map((c) => c.id));
    for (const r of results) {
      expect(r.choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: null }]);
      expect(r.tool_result).toMatchObject({ name: "python", display: { kind: expect.any(String) }, files: [] });
      expect(typeof r.tool_result!.duration_ms).toBe("number");
    }
    expect(chunks.at(-1)!.chunk.choices[0].finish_reason).toBe("stop");
    expect(chunks.map((c) => c.chunk.choices[0]?.delta.content ?? "").join("")).toBe("answered: no tools");

    // The stream and the saved chain agree: the same call ids, the same results.
    const path = await savedPath(conversationId, user.id);
    expect(path.filter((m) => m.role === "assistant" && m.toolCalls).flatMap((m) => (m.toolCalls as { id: string }[]).map((c) => c.id))).toEqual(calls.map((c) => c.id));
    expect(path.filter((m) => m.role === "tool").map((m) => (m.contentParts?.[0] as { display: unknown }).display)).toEqual(results.map((r) => r.tool_result!.display));

    // A client resuming after the first call gets the second with the same index as a reader from the start.
    const firstCall = chunks.find((c) => c.chunk.choices[0]?.delta.tool_calls)!.id!;
    const resumed = chunksOf(await readSseText(await fetch(`${app.url}/v1/conversations/${conversationId}/messages`, { headers: { authorization: `Bearer ${key}`, "last-event-id": String(firstCall) } })));
    expect(resumed.flatMap((c) => c.chunk.choices[0]?.delta.tool_calls ?? []).map((c) => [c.index, c.id])).toEqual([[1, calls[1].id]]);
  }, 60_000);

  it("the official openai client reads it: the accumulated message has every call and the final text", async () => {
    const { key, conversationId } = await apiUser();
    const client = new OpenAI({ apiKey: key, baseURL: `${app.url}/v1`, maxRetries: 0 });
    const stream = await client.post<OpenAI.Chat.Completions.ChatCompletionChunk>(`/conversations/${conversationId}/messages`, {
      body: { content: "LOOP please", model: "scripted" },
      stream: true,
    });
    const { ChatCompletionStream } = await import("openai/lib/ChatCompletionStream");
    const completion = await ChatCompletionStream.fromReadableStream((stream as unknown as { toReadableStream(): ReadableStream }).toReadableStream()).finalChatCompletion();
    const [choice] = completion.choices;
    expect(choice.finish_reason).toBe("stop");
    expect(choice.message.content).toBe("answered: no tools");
    const calls = choice.message.tool_calls ?? [];
    expect(calls).toHaveLength(2);
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
    for (const c of calls) expect(c.type === "function" && JSON.parse(c.function.arguments)).toMatchObject({ code: expect.stringMatching(/^print\(/) });
  }, 60_000);
});
