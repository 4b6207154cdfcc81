// Fault injection and client aborts over real HTTP, plus the fault-spec parser.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFaultSpec, resolveFaults } from "./faults";
import type { InferenceServer } from "./server";
import { contentOf, eventually, getStats, postChat, startTestServer, streamChat, tokenEvents, user, type Json } from "./test-helpers";

let server: InferenceServer;
let directives: InferenceServer;
beforeAll(async () => {
  [server, directives] = await Promise.all([startTestServer(), startTestServer({ faultDirectives: true })]);
});
afterAll(async () => {
  await Promise.all([server.close(), directives.close()]);
});

const ask = (content = "Tell me about faults") => ({ model: "fast", messages: [user(content)] });
const fault = (spec: string) => ({ "x-sim-fault": spec });
const record = async (url: string, id: string) => (await getStats(url)).requests.find((r: Json) => r.id === id);

describe("fault spec", () => {
  it("parses key=value pairs and merges sources, later ones winning", () => {
    expect(parseFaultSpec("fail_after=5; error_code=string;no_finish=1")).toEqual({ failAfter: 5, errorCode: "string", noFinish: true });
    expect(resolveFaults("fail_after=5;slow_first_token_ms=10", "fail_after=7", null)).toMatchObject({ failAfter: 7, slowFirstTokenMs: 10 });
    expect(() => parseFaultSpec("explode=1")).toThrow(/unknown fault key/);
    expect(() => parseFaultSpec("status=200")).toThrow(/400–599/);
    expect(() => parseFaultSpec("fail_after=x")).toThrow(/non-negative integer/);
  });

  it("answers a malformed x-sim-fault header with 400", async () => {
    const res = await postChat(server.url, ask(), { headers: fault("fail_after=soon") });
    expect(res.status).toBe(400);
  });
});

describe("faults by header", () => {
  it("status=N answers that status with a vLLM error body and records a failure", async () => {
    const res = await postChat(server.url, { ...ask(), stream: true }, { headers: { ...fault("status=503;retry_after=2"), "x-request-id": "st1" } });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("2");
    expect((await res.json()).error).toMatchObject({ type: "ServiceUnavailableError", code: 503 });
    expect(await record(server.url, "chatcmpl-st1")).toMatchObject({ status: "failed", completion_tokens: 0 });
  });

  it("fail_after=N sends N tokens, then vLLM's error frame, and ends without finish_reason or [DONE]", async () => {
    const r = await streamChat(server.url, ask(), { ...fault("fail_after=5"), "x-request-id": "fa1" });
    expect(r.error).toBeNull();
    expect(tokenEvents(r.events)).toHaveLength(5);
    expect(r.events.at(-1)!.json).toEqual({
      error: { message: expect.stringContaining("after 5 tokens"), type: "InternalServerError", param: null, code: 500 },
    });
    expect(r.events.some((e) => e.data === "[DONE]" || e.json?.choices?.[0]?.finish_reason)).toBe(false);
    expect(await record(server.url, "chatcmpl-fa1")).toMatchObject({ status: "failed", completion_tokens: 5 });
  });

  it("error_code=string switches the frame to a string code", async () => {
    const r = await streamChat(server.url, ask(), fault("fail_after=2;error_code=string"));
    expect(r.events.at(-1)!.json.error.code).toBe("internal_error");
  });

  it("fail_after without streaming is a 500 error body", async () => {
    const res = await postChat(server.url, ask(), { headers: fault("fail_after=3") });
    expect(res.status).toBe(500);
    expect((await res.json()).error).toMatchObject({ type: "InternalServerError", code: 500 });
  });

  it("reset_after=N drops the connection after N tokens", async () => {
    const r = await streamChat(server.url, ask(), { ...fault("reset_after=4"), "x-request-id": "rs1" });
    expect(r.error).not.toBeNull();
    expect(tokenEvents(r.events)).toHaveLength(4);
    expect(await record(server.url, "chatcmpl-rs1")).toMatchObject({ status: "failed" });
  });

  it("stall_after=N goes silent but keeps the slot until the client leaves (then: aborted)", async () => {
    const r = await streamChat(server.url, ask(), { ...fault("stall_after=3"), "x-request-id": "sl1" }, { idleMs: 500 });
    expect(r.idle).toBe(true);
    expect(tokenEvents(r.events)).toHaveLength(3);
    const rec = await eventually(() => record(server.url, "chatcmpl-sl1"), (x) => x?.status === "aborted");
    expect(rec).toMatchObject({ status: "aborted", completion_tokens: 3 });
  });

  it("no_finish=1 ends with usage and [DONE] but no finish_reason", async () => {
    const r = await streamChat(server.url, { ...ask(), stream_options: { include_usage: true } }, fault("no_finish=1"));
    expect(r.events.at(-1)!.data).toBe("[DONE]");
    expect(r.events.at(-2)!.json.usage).toBeDefined();
    expect(r.events.every((e) => !e.json?.choices?.[0]?.finish_reason)).toBe(true);
    expect(contentOf(r.events).length).toBeGreaterThan(50);
  });

  it("slow_first_token_ms=N delays the first token", async () => {
    const r = await streamChat(server.url, ask(), fault("slow_first_token_ms=300"));
    expect(tokenEvents(r.events)[0].at).toBeGreaterThanOrEqual(290);
  });
});

describe("fault directives in the last user message", () => {
  it("are ignored unless faultDirectives is on", async () => {
    const res = await postChat(server.url, ask("hello [[sim:status=503]]"));
    expect(res.status).toBe(200);
  });

  it("apply when faultDirectives is on, and echo mode shows them as received", async () => {
    const res = await postChat(directives.url, ask("hello [[sim:status=429]]"));
    expect(res.status).toBe(429);
    const r = await streamChat(directives.url, { model: "echo", messages: [user("hi [[sim:fail_after=1000]]")] });
    expect(JSON.parse(contentOf(r.events)).messages[0].content).toBe("hi [[sim:fail_after=1000]]");
  });

  it("only the last user message counts", async () => {
    const res = await postChat(directives.url, {
      model: "fast",
      messages: [user("[[sim:status=500]]"), { role: "assistant", content: "ok" }, user("and now?")],
    });
    expect(res.status).toBe(200);
  });
});

describe("config-level faults and client aborts", () => {
  it("config faults apply to every request; the header overrides them", async () => {
    const flaky = await startTestServer({ faults: "fail_after=2" });
    try {
      expect(tokenEvents((await streamChat(flaky.url, ask())).events)).toHaveLength(2);
      const overridden = await streamChat(flaky.url, ask(), fault("fail_after=100000"));
      expect(overridden.events.at(-1)!.data).toBe("[DONE]");
    } finally {
      await flaky.close();
    }
  });

  it("a client disconnect aborts the sequence and frees its slot for the next in line", async () => {
    const single = await startTestServer({
      maxNumSeqs: 1,
      models: [{ name: "slow", baseTtftMs: 5, prefillTokensPerS: 1_000_000, decodeTokensPerS: 20 }],
    });
    try {
      const body = { model: "slow", messages: [user("Tell me a long story")], max_tokens: 200 };
      const first = streamChat(single.url, body, { "x-request-id": "ab1" }, { stopWhen: (ev) => tokenEvents(ev).length >= 2 });
      const second = streamChat(single.url, body, { "x-request-id": "ab2" }, { stopWhen: (ev) => tokenEvents(ev).length >= 1 });
      const [a, b] = await Promise.all([first, second]);
      // The first would have run ~10 s at 20 tok/s; the second only started because the first was aborted.
      expect(tokenEvents(b.events)[0].at).toBeLessThan(2_000);
      expect(tokenEvents(a.events).length).toBeGreaterThanOrEqual(2);
      const stats = await eventually(() => getStats(single.url), (s) => s.aborted === 2);
      expect(stats).toMatchObject({ running: 0, waiting: 0, aborted: 2 });
      expect(stats.requests.find((r: Json) => r.id === "chatcmpl-ab1").status).toBe("aborted");
    } finally {
      await single.close();
    }
  });
});
