// One request inside the simulator engine, and the types the engine shares with the HTTP layer.
import type { SimModelConfig } from "./config";
import type { ModelMetrics } from "./metrics";

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
}
export const realClock: Clock = { now: () => performance.now() };

export type SeqStatus = "waiting" | "running" | "completed" | "aborted" | "failed";

export interface SeqSink {
  /**
   * Tokens [from, to) were generated. When `to === seq.total` the sequence has completed (its slot is
   * already free); when `to === seq.haltAt` it stops producing and the sink decides (fail, reset, stall).
   */
  onTokens(seq: Sequence, from: number, to: number): void;
}

export interface SubmitOptions {
  id: string;
  model: string;
  promptTokens: number;
  /** KV reservation for the output (the request's max_tokens). */
  maxTokens: number;
  /** How many tokens the reply really has (≤ maxTokens). */
  total: number;
  finishReason: "stop" | "length";
  extraTtftMs?: number;
  /** Prompt tokens found in the prefix cache: prefill skips them. */
  cachedTokens?: number;
  /** Stop producing after this many tokens (fault injection); Infinity = never. */
  haltAt?: number;
}

export class Sequence {
  status: SeqStatus = "waiting";
  emitted = 0;
  credit = 0;
  halted = false;
  startedAt = 0;
  firstTokenDue = 0;
  firstTokenAt = 0;
  readonly limit: number;
  readonly haltAt: number;

  constructor(
    readonly opts: SubmitOptions,
    readonly cfg: SimModelConfig,
    readonly metrics: ModelMetrics,
    readonly submittedAt: number,
    /** Dropped once the sequence ends, so the last-200 record list does not pin replies in memory. */
    public sink: SeqSink | null,
  ) {
    this.haltAt = opts.haltAt ?? Infinity;
    this.limit = Math.min(opts.total, this.haltAt);
  }
  get id() { return this.opts.id; }
  get total() { return this.opts.total; }
  get kvNeed() { return this.opts.promptTokens + this.opts.maxTokens; }
}

export interface RequestRecord {
  id: string;
  model: string;
  status: SeqStatus;
  prompt_tokens: number;
  completion_tokens: number;
}
export interface EngineStats {
  running: number;
  waiting: number;
  completed: number;
  aborted: number;
  failed: number;
  kv_cache_usage: number;
  requests: RequestRecord[];
}

