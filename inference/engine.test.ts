// The scheduler alone, on an injected clock: exact timing, continuous batching, KV bound, slowdown.
import { describe, expect, it } from "vitest";
import { resolveSimConfig, type SimModelConfigInput } from "./config";
import { Engine, type SeqSink, type Sequence, type SubmitOptions } from "./engine";
import { metric } from "./test-helpers";

interface Trace {
  seq: Sequence;
  firstAt?: number;
  doneAt?: number;
  tokens: number;
}

function setup(model: Partial<SimModelConfigInput>, limits: { maxNumSeqs?: number; kvCacheTokens?: number } = {}) {
  let now = 0;
  const engine = new Engine(
    resolveSimConfig({
      ...limits,
      models: [{ name: "m", baseTtftMs: 10, prefillTokensPerS: 10_000, decodeTokensPerS: 100, batchSlowdown: 0, ...model }],
    }),
    { now: () => now },
    false,
  );
  const submit = (opts: Partial<SubmitOptions> = {}): Trace => {
    const trace = { tokens: 0 } as Trace;
    const sink: SeqSink = {
      onTokens(seq, from, to) {
        if (from === 0) trace.firstAt = now;
        trace.tokens = to;
        if (seq.status === "completed") trace.doneAt = now;
      },
    };
    const base = { id: `r${Math.random()}`, model: "m", promptTokens: 0, maxTokens: 100, total: 10 };
    trace.seq = engine.submit({ ...base, finishReason: "stop", ...opts }, sink);
    return trace;
  };
  /** Advances the clock in 1 ms ticks. */
  const advance = (ms: number) => {
    for (let i = 0; i < ms; i++) {
      now += 1;
      engine.tick();
    }
  };
  return { engine, submit, advance, time: () => now };
}

describe("engine timing", () => {
  it("first token after base + prompt / prefill rate, then tokens at the decode rate", () => {
    const { submit, advance } = setup({ baseTtftMs: 50, prefillTokensPerS: 10_000, decodeTokensPerS: 100 });
    const a = submit({ promptTokens: 1_000, total: 11 });
    advance(1_000);
    expect(a.firstAt).toBe(150); // 50 ms + 1,000 / 10,000 s
    expect(a.doneAt).toBe(250); // 10 more tokens at 100 tok/s
    expect(a.seq.status).toBe("completed");
  });

  it("adds injected first-token delay", () => {
    const { submit, advance } = setup({ baseTtftMs: 20 });
    const a = submit({ extraTtftMs: 300 });
    advance(1_000);
    expect(a.firstAt).toBe(320);
  });

  it("decode slows with batch size by 1 + batchSlowdown × (running − 1)", () => {
    const solo = setup({ batchSlowdown: 1, decodeTokensPerS: 100 });
    const one = solo.submit({ total: 1_000, maxTokens: 1_000 });
    solo.advance(1_010);
    const crowd = setup({ batchSlowdown: 1, decodeTokensPerS: 100 });
    const four = [1, 2, 3, 4].map(() => crowd.submit({ total: 1_000, maxTokens: 1_000 }));
    crowd.advance(1_010);
    expect(one.tokens).toBeCloseTo(101, -1); // 100 tok/s alone
    for (const t of four) expect(t.tokens).toBeCloseTo(26, -1); // 100 / (1 + 3) tok/s each
  });
});

describe("continuous batching", () => {
  it("runs at most maxNumSeqs; the rest wait FIFO and start when a slot frees", () => {
    const { engine, submit, advance } = setup({ baseTtftMs: 10 }, { maxNumSeqs: 2 });
    const [a, b, c] = [submit({ total: 10 }), submit({ total: 20 }), submit({ total: 10 })];
    advance(5);
    expect(engine.stats()).toMatchObject({ running: 2, waiting: 1 });
    expect(c.seq.status).toBe("waiting");
    expect(metric(engine.metricsText(), "vllm:num_requests_waiting", "m")).toBe(1);
    expect(metric(engine.metricsText(), "vllm:num_requests_running", "m")).toBe(2);
    advance(500);
    expect(a.doneAt).toBe(100);
    expect(c.firstAt).toBe(a.doneAt! + 10); // queued until a finished, then its own TTFT
    expect(b.doneAt).toBe(200);
    expect(engine.stats()).toMatchObject({ running: 0, waiting: 0, completed: 3 });
  });

  it("bounds running sequences by KV-cache capacity (prompt + max_tokens each)", () => {
    const { engine, submit, advance } = setup({}, { maxNumSeqs: 10, kvCacheTokens: 1_000 });
    submit({ promptTokens: 100, maxTokens: 500 });
    const b = submit({ promptTokens: 100, maxTokens: 500 });
    const c = submit({ promptTokens: 10, maxTokens: 10 });
    expect(engine.stats()).toMatchObject({ running: 1, waiting: 2, kv_cache_usage: 0.6 });
    expect(c.seq.status).toBe("waiting"); // FIFO: the head blocks the queue
    advance(500);
    expect(b.seq.status).toBe("completed");
    expect(c.seq.status).toBe("completed");
  });

  it("abort frees a running slot, or takes a waiting sequence out of the queue", () => {
    const { engine, submit, advance } = setup({}, { maxNumSeqs: 1 });
    const a = submit({ total: 1_000, maxTokens: 1_000 });
    const b = submit();
    const c = submit();
    advance(50);
    engine.abort(b.seq);
    engine.abort(a.seq);
    expect(c.seq.status).toBe("running");
    advance(500);
    expect(engine.stats()).toMatchObject({ running: 0, waiting: 0, completed: 1, aborted: 2 });
    expect(engine.stats().requests.map((r) => r.status)).toEqual(["aborted", "aborted", "completed"]);
    expect(a.tokens).toBeGreaterThan(0);
    expect(b.tokens).toBe(0);
  });

  it("holds a halted sequence in its slot until it is failed or aborted", () => {
    const { engine, submit, advance } = setup({}, { maxNumSeqs: 1 });
    const a = submit({ total: 50, haltAt: 3 });
    const b = submit();
    advance(500);
    expect(a.tokens).toBe(3);
    expect(a.seq.status).toBe("running");
    expect(b.seq.status).toBe("waiting");
    engine.fail(a.seq);
    advance(500);
    expect(b.seq.status).toBe("completed");
    expect(engine.stats()).toMatchObject({ failed: 1, completed: 1 });
  });
});
