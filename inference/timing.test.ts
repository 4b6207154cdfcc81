// The timing model over real HTTP, asserted as ratios with wide margins (machines are noisy):
// prefill cost, queueing behind maxNumSeqs, and decode slowdown with batch size.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceServer } from "./server";
import { eventually, metric, startTestServer, streamChat, tokenEvents, user, type SseResult } from "./test-helpers";

let server: InferenceServer;
beforeAll(async () => {
  server = await startTestServer({
    maxNumSeqs: 2,
    models: [
      { name: "prefill", baseTtftMs: 10, prefillTokensPerS: 10_000, decodeTokensPerS: 2_000 },
      { name: "paced", baseTtftMs: 10, prefillTokensPerS: 1_000_000, decodeTokensPerS: 200 },
      { name: "crowded", baseTtftMs: 5, prefillTokensPerS: 1_000_000, decodeTokensPerS: 400, batchSlowdown: 1 },
    ],
  });
});
afterAll(() => server.close());

const ttft = (r: SseResult) => tokenEvents(r.events)[0].at;
const decodeMs = (r: SseResult) => {
  const tokens = tokenEvents(r.events);
  return tokens.at(-1)!.at - tokens[0].at;
};

describe("timing model", () => {
  it("time to first token grows with prompt length (prefill)", async () => {
    const ask = (chars: number) =>
      streamChat(server.url, { model: "prefill", messages: [user("x".repeat(chars))], max_tokens: 5 });
    await ask(20); // warm-up: connection and JIT
    const short = Math.min(ttft(await ask(20)), ttft(await ask(20)));
    const long = ttft(await ask(20_000));
    // ~5,000 prompt tokens at 10,000 tok/s ≈ +500 ms
    expect(long).toBeGreaterThan(short + 250);
    expect(long).toBeGreaterThan(400);
  });

  it("with maxNumSeqs=2 a third concurrent request waits for a slot", async () => {
    const body = { model: "paced", messages: [user("Tell me about queues")], max_tokens: 40 };
    const runs = [0, 1, 2].map(() => streamChat(server.url, body));
    const waiting = await eventually(
      async () => metric(await (await fetch(`${server.url}/metrics`)).text(), "vllm:num_requests_waiting", "paced"),
      (v) => v === 1,
    );
    expect(waiting).toBe(1);
    const results = (await Promise.all(runs)).sort((a, b) => ttft(a) - ttft(b));
    const [first, second, third] = results;
    // 40 tokens at 200 tok/s ≈ 200 ms each; the third starts only when one of the first two ends.
    expect(ttft(third)).toBeGreaterThan(0.8 * Math.min(first.events.at(-1)!.at, second.events.at(-1)!.at));
    expect(ttft(third)).toBeGreaterThan(ttft(second) + 100);
    expect(metric(await (await fetch(`${server.url}/metrics`)).text(), "vllm:num_requests_waiting", "paced")).toBe(0);
  });

  it("decode slows down as the batch grows when batchSlowdown is set", async () => {
    const body = { model: "crowded", messages: [user("Tell me about crowds")], max_tokens: 61 };
    const solo = await streamChat(server.url, body);
    const pair = await Promise.all([streamChat(server.url, body), streamChat(server.url, body)]);
    // alone: 400 tok/s → ~150 ms for 60 tokens; two at once: 400 / (1 + 1) = 200 tok/s each → ~300 ms
    for (const r of pair) expect(decodeMs(r)).toBeGreaterThan(1.5 * decodeMs(solo));
    expect(decodeMs(solo)).toBeGreaterThan(110);
  });
});
