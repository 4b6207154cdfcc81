// The simulator's scheduler: continuous batching as vLLM does it, reduced to timing.
//   - at most maxNumSeqs sequences run; each holds prompt + max_tokens of KV cache; the rest wait FIFO
//     (the head blocks the queue, as vLLM's FCFS policy does) and start the moment a slot frees up;
//   - time to first token = queueing + baseTtftMs + prompt_tokens / prefillTokensPerS (+ injected delay);
//   - then tokens at decodeTokensPerS / (1 + batchSlowdown × (running − 1)).
// One tick advances every running sequence (one timer for all streams, not one per token per stream),
// and the clock is injectable so the scheduler can be unit-tested without real time.
import type { SimConfig, SimModelConfig } from "./config";
import { ModelMetrics, renderMetrics, type FinishedReason } from "./metrics";
import { PrefixCache } from "./prefix-cache";
import {
  realClock,
  Sequence,
  type Clock,
  type EngineStats,
  type RequestRecord,
  type SeqSink,
  type SeqStatus,
  type SubmitOptions,
} from "./sequence";

export {
  realClock,
  Sequence,
  type Clock,
  type EngineStats,
  type RequestRecord,
  type SeqSink,
  type SeqStatus,
  type SubmitOptions,
} from "./sequence";

const RECENT = 200;

export class Engine {
  private readonly running = new Set<Sequence>();
  private queue: Sequence[] = [];
  private head = 0;
  private waitingCount = 0;
  private kvUsed = 0;
  private counts = { completed: 0, aborted: 0, failed: 0 };
  private readonly recent: (Sequence | RequestRecord)[] = [];
  private readonly models = new Map<string, { cfg: SimModelConfig; metrics: ModelMetrics }>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastTick = 0;
  /** This server's prefix cache (null when prefixCacheTokens is 0). */
  readonly prefixCache: PrefixCache | null;

  constructor(
    readonly config: SimConfig,
    private readonly clock: Clock = realClock,
    /** false: nobody calls tick() but the test (fake clock). */
    private readonly autoTick = true,
  ) {
    const prefixTokens = config.prefixCacheTokens ?? config.kvCacheTokens;
    this.prefixCache = prefixTokens > 0 ? new PrefixCache(prefixTokens) : null;
    for (const cfg of config.models) this.models.set(cfg.name, { cfg, metrics: new ModelMetrics(cfg.name) });
  }

  model(name: string): SimModelConfig | undefined {
    return this.models.get(name)?.cfg;
  }

  submit(opts: SubmitOptions, sink: SeqSink): Sequence {
    const entry = this.models.get(opts.model);
    if (!entry) throw new Error(`unknown model ${opts.model}`);
    const seq = new Sequence(opts, entry.cfg, entry.metrics, this.clock.now(), sink);
    this.remember(seq);
    if (seq.kvNeed > this.config.kvCacheTokens) {
      // Could never be scheduled; vLLM rejects such requests up front too. The caller sees "failed".
      seq.status = "failed";
      seq.sink = null;
      this.counts.failed++;
      entry.metrics.finished.error++;
      return seq;
    }
    this.queue.push(seq);
    this.waitingCount++;
    entry.metrics.waiting++;
    this.admit();
    this.ensureTimer();
    return seq;
  }

  /** Client went away: free the slot (or leave the queue) and count it as aborted. */
  abort(seq: Sequence): void {
    this.finish(seq, "aborted", "abort");
  }

  /** Injected failure (error frame, reset): free the slot and count it as failed. */
  fail(seq: Sequence): void {
    this.finish(seq, "failed", "error");
  }

  /** A request refused before scheduling (e.g. an injected error status), recorded as failed. */
  reject(id: string, model: string, promptTokens: number): void {
    this.counts.failed++;
    const entry = this.models.get(model);
    if (entry) entry.metrics.finished.error++;
    this.remember({ id, model, status: "failed", prompt_tokens: promptTokens, completion_tokens: 0 });
  }

  tick(): void {
    const now = this.clock.now();
    // An overloaded event loop delivers late ticks; catching up only a little makes the simulator
    // slow down (as an overloaded GPU would) instead of dumping seconds of tokens in one burst.
    const maxLag = Math.max(100, 4 * this.config.tickMs);
    const dt = Math.min(now - this.lastTick, maxLag);
    this.lastTick = now;
    const batch = this.running.size;
    for (const seq of this.running) {
      if (seq.halted) continue;
      const from = seq.emitted;
      let to = from;
      const rate = seq.cfg.decodeTokensPerS / (1 + seq.cfg.batchSlowdown * (batch - 1)) / 1000;
      if (from === 0) {
        if (now < seq.firstTokenDue) continue;
        seq.firstTokenAt = now;
        seq.metrics.promptTokens += seq.opts.promptTokens;
        seq.metrics.ttft.observe((now - seq.submittedAt) / 1000);
        seq.credit = Math.min(now - seq.firstTokenDue, maxLag) * rate;
        to = 1;
      } else {
        seq.credit += dt * rate;
      }
      const whole = Math.floor(seq.credit + 1e-9); // tolerate float drift from summing dt × rate
      if (whole > 0) {
        seq.credit -= whole;
        to += whole;
      }
      if (to > seq.limit) to = seq.limit;
      seq.emitted = to;
      seq.metrics.generationTokens += to - from;
      if (to === seq.total) this.finish(seq, "completed", seq.opts.finishReason, now);
      else if (to === seq.haltAt) seq.halted = true;
      else if (to === from) continue;
      try {
        seq.sink?.onTokens(seq, from, to);
      } catch (err) {
        // One broken response must not take the tick (and every other stream) down with it.
        console.error(`vllm-sim: sink of ${seq.id} failed:`, err);
        this.fail(seq);
      }
      if (seq.status !== "running") seq.sink = null;
    }
    if (this.running.size === 0 && this.waitingCount === 0) this.stopTimer();
  }

  stats(): EngineStats {
    return {
      running: this.running.size,
      waiting: this.waitingCount,
      ...this.counts,
      kv_cache_usage: this.kvUsed / this.config.kvCacheTokens,
      requests: this.recent.map((r) =>
        r instanceof Sequence
          ? { id: r.id, model: r.opts.model, status: r.status, prompt_tokens: r.opts.promptTokens, completion_tokens: r.emitted }
          : r,
      ),
    };
  }

  metricsText(): string {
    return renderMetrics([...this.models.values()].map((m) => m.metrics), this.kvUsed / this.config.kvCacheTokens, {
      queries: this.prefixCache?.queries ?? 0,
      hits: this.prefixCache?.hits ?? 0,
    });
  }

  /** Stops the timer and drops every sequence without calling sinks (server shutdown). */
  close(): void {
    this.stopTimer();
    for (const seq of [...this.running, ...this.queue.slice(this.head)]) this.abort(seq);
  }

  private admit(): void {
    const now = this.clock.now();
    while (this.head < this.queue.length && this.running.size < this.config.maxNumSeqs) {
      const seq = this.queue[this.head];
      if (seq.status === "waiting") {
        if (this.kvUsed + seq.kvNeed > this.config.kvCacheTokens) break;
        this.waitingCount--;
        seq.metrics.waiting--;
        seq.status = "running";
        seq.metrics.running++;
        seq.startedAt = now;
        const prefillTokens = Math.max(0, seq.opts.promptTokens - (seq.opts.cachedTokens ?? 0));
        const prefillMs = (prefillTokens / seq.cfg.prefillTokensPerS) * 1000;
        seq.firstTokenDue = now + seq.cfg.baseTtftMs + prefillMs + (seq.opts.extraTtftMs ?? 0);
        this.kvUsed += seq.kvNeed;
        this.running.add(seq);
      }
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private finish(seq: Sequence, status: SeqStatus, reason: FinishedReason, now = this.clock.now()): void {
    if (seq.status === "completed" || seq.status === "aborted" || seq.status === "failed") return;
    if (seq.status === "running") {
      this.running.delete(seq);
      this.kvUsed -= seq.kvNeed;
      seq.metrics.running--;
    } else {
      this.waitingCount--;
      seq.metrics.waiting--;
    }
    seq.status = status;
    this.counts[status as "completed" | "aborted" | "failed"]++;
    seq.metrics.finished[reason]++;
    if (status === "completed") {
      seq.metrics.e2e.observe((now - seq.submittedAt) / 1000);
      if (seq.emitted > 1) seq.metrics.tpot.observe((now - seq.firstTokenAt) / 1000 / (seq.emitted - 1), seq.emitted - 1);
    } else {
      seq.sink = null;
    }
    this.admit();
  }

  private remember(entry: Sequence | RequestRecord): void {
    this.recent.push(entry);
    if (this.recent.length > RECENT) this.recent.shift();
  }

  private ensureTimer(): void {
    if (!this.autoTick || this.timer) return;
    this.lastTick = this.clock.now();
    this.timer = setInterval(() => this.tick(), this.config.tickMs);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
