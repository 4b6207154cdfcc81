// The load generator: holds N concurrent SSE streams open against one target (the inference server
// directly, or the gateway) and records, per stream, the time to first token, every inter-token gap,
// tokens and characters received, errors and completion.
//
// Efficiency matters (it shares 2 cores with the app and the simulator): undici's low-level
// dispatch API (no Readable stream, no promise per chunk), SSE events found with indexOf on the
// decoded text and only the delta string measured (JSON.parse only when it contains escapes), gaps
// into one fixed histogram, TTFTs into a Float64Array. A stream's state is a handful of numbers.
//
// Load shape: stream starts are spread evenly over `rampMs` (a steady arrival rate, not a burst),
// then every finished stream is replaced at once until `holdMs` after the ramp, so N streams stay
// open; tokens/s is measured over that hold window. Then the open streams drain.
import { StringDecoder } from "node:string_decoder";
import { Pool, type Dispatcher } from "undici";
import { MsHistogram, Samples } from "./stats";

export type TargetKind = "direct" | "gateway";

export interface Target {
  kind: TargetKind;
  origin: string;
  path: string;
  headers: Record<string, string>;
  /** The request body of one stream (the gateway needs fresh conversation ids each time). */
  body(): string;
}

export interface ExpectedReply {
  tokens: number;
  /** Characters after each token, to count tokens from characters (coalesced deltas). */
  cumulative: Int32Array;
}

export interface RunOptions {
  target: Target;
  concurrency: number;
  rampMs: number;
  /** 0: each slot runs one stream (no replacement). */
  holdMs: number;
  /** A stream still open this long after it started is aborted and counted as an error. */
  streamTimeoutMs: number;
  expected: ExpectedReply;
  /** Reuse warm connections across runs (the single-stream scenario); otherwise a pool per run. */
  pool?: Pool;
}

export interface RunResult {
  kind: TargetKind;
  concurrency: number;
  started: number;
  completed: number;
  errors: number;
  errorKinds: Record<string, number>;
  /** Streams whose text differed from the expected reply (length). */
  mismatched: number;
  ttftMs: Float64Array;
  /** From the request being sent to the response headers (the gateway answers after its pre-upstream work). */
  headersMs: Float64Array;
  gaps: MsHistogram;
  tokens: number;
  /** SSE content events (deltas) received; tokens / deltas > 1 means coalescing. */
  deltas: number;
  windowTokens: number;
  windowMs: number;
  /** Tokens per second delivered during the hold window (or over the whole run when holdMs = 0). */
  tokensPerS: number;
  wallMs: number;
  startedAt: number;
  windowStart: number;
  windowEnd: number;
  endedAt: number;
  /** The load generator's own CPU (user + system) during the run. */
  loadgenCpuMs: number;
}

class Run {
  readonly ttft = new Samples();
  readonly headers = new Samples();
  readonly gaps = new MsHistogram(5_000);
  started = 0;
  completed = 0;
  errors = 0;
  mismatched = 0;
  tokens = 0;
  deltas = 0;
  windowTokens = 0;
  readonly errorKinds: Record<string, number> = {};
  readonly active = new Set<StreamHandler>();
  windowStart = Infinity;
  windowEnd = Infinity;

  constructor(readonly opts: RunOptions) {}

  error(kind: string): void {
    this.errors++;
    this.errorKinds[kind] = (this.errorKinds[kind] ?? 0) + 1;
  }
}

const DELTA_DIRECT = '"delta":{"content":"';
const DELTA_GATEWAY = '"delta":"';
const TEXT_DELTA = 'data: {"type":"text-delta"';

/** One SSE stream: a DispatchHandler (undici ≥ 7 controller API). */
class StreamHandler implements Dispatcher.DispatchHandler {
  private readonly t0 = performance.now();
  private readonly decoder = new StringDecoder("utf8");
  private pending = "";
  private status = 0;
  private firstTokenAt = 0;
  private lastTokenAt = 0;
  private chars = 0;
  private tokens = 0;
  private sawDone = false;
  private sawFinish = false;
  private failed: string | null = null;
  private settled = false;
  private controller: Dispatcher.DispatchController | null = null;

  constructor(
    private readonly run: Run,
    private readonly onSettled: () => void,
  ) {
    run.active.add(this);
    run.started++;
  }

  get startedAt(): number {
    return this.t0;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number): void {
    this.status = statusCode;
    this.run.headers.push(performance.now() - this.t0);
    if (statusCode !== 200) this.failed = `http_${statusCode}`;
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.failed) return;
    const now = performance.now();
    const text = this.pending + this.decoder.write(chunk);
    const before = this.tokens;
    let from = 0;
    for (;;) {
      const end = text.indexOf("\n\n", from);
      if (end < 0) break;
      this.event(text, from, end);
      from = end + 2;
    }
    this.pending = from === 0 ? text : text.slice(from);
    const k = this.tokens - before;
    if (k > 0) this.record(now, k);
  }

  onResponseEnd(): void {
    if (!this.failed && !this.sawDone) this.failed = "ended_without_done";
    if (!this.failed && !this.sawFinish) this.failed = "no_finish";
    this.settle();
  }

  onResponseError(_c: Dispatcher.DispatchController | null, err: Error): void {
    if (!this.failed) this.failed = (err as { code?: string }).code ?? err.name ?? "error";
    this.settle();
  }

  abort(reason: string): void {
    if (this.settled) return;
    this.failed = reason;
    try {
      this.controller?.abort(new Error(reason));
    } catch {
      // already finished
    }
    this.settle();
  }

  private record(now: number, k: number): void {
    const run = this.run;
    if (this.firstTokenAt === 0) {
      this.firstTokenAt = now;
      run.ttft.push(now - this.t0);
      run.gaps.recordZeros(k - 1);
    } else {
      run.gaps.record(now - this.lastTokenAt);
      run.gaps.recordZeros(k - 1);
    }
    this.lastTokenAt = now;
    run.tokens += k;
    if (now >= run.windowStart && now <= run.windowEnd) run.windowTokens += k;
  }

  /** One SSE event, text[from, end). Only `data:` lines matter; each event has one. */
  private event(text: string, from: number, end: number): void {
    if (text.charCodeAt(from) !== 100 /* d */) return; // ": keep-alive" comments, blank
    const direct = this.run.opts.target.kind === "direct";
    if (text.startsWith("data: [DONE]", from)) {
      this.sawDone = true;
      return;
    }
    if (direct) {
      const at = text.indexOf(DELTA_DIRECT, from);
      if (at >= 0 && at < end) return this.delta(text, at + DELTA_DIRECT.length - 1, end);
      if (text.startsWith('data: {"error"', from)) {
        this.failed = "upstream_error_frame";
        return;
      }
      const fin = text.indexOf('"finish_reason":"', from);
      if (fin >= 0 && fin < end) this.sawFinish = true;
      return;
    }
    if (text.startsWith(TEXT_DELTA, from)) {
      const at = text.indexOf(DELTA_GATEWAY, from + TEXT_DELTA.length);
      if (at >= 0 && at < end) this.delta(text, at + DELTA_GATEWAY.length - 1, end);
      return;
    }
    if (text.startsWith('data: {"type":"finish"', from)) this.sawFinish = true;
    else if (text.startsWith('data: {"type":"error"', from)) this.failed = "gateway_error_event";
  }

  /** A JSON string literal starting at `quote`: count its characters and the tokens they complete. */
  private delta(text: string, quote: number, end: number): void {
    let i = quote + 1;
    let escaped = false;
    let close = -1;
    for (;;) {
      const q = text.indexOf('"', i);
      if (q < 0 || q >= end) return;
      const b = text.indexOf("\\", i);
      if (b < 0 || b > q) {
        close = q;
        break;
      }
      escaped = true;
      i = b + 2;
    }
    const n = escaped ? (JSON.parse(text.slice(quote, close + 1)) as string).length : close - quote - 1;
    if (n === 0) return;
    this.run.deltas++;
    this.chars += n;
    const cum = this.run.opts.expected.cumulative;
    let t = this.tokens;
    while (t < cum.length && cum[t] <= this.chars) t++;
    // Text beyond the expected reply: count one token per delta so nothing is lost.
    this.tokens = t < cum.length || this.chars === cum[cum.length - 1] ? t : Math.max(t, this.tokens + 1);
  }

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    const run = this.run;
    run.active.delete(this);
    if (this.failed) run.error(this.failed);
    else {
      run.completed++;
      if (this.tokens !== run.opts.expected.tokens) run.mismatched++;
    }
    this.onSettled();
  }
}

export function makePool(origin: string, streamTimeoutMs: number): Pool {
  return new Pool(origin, {
    connections: null,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: streamTimeoutMs,
    bodyTimeout: streamTimeoutMs,
  });
}

/** Runs one level against one target and resolves when every stream has settled. */
export async function runLevel(opts: RunOptions): Promise<RunResult> {
  const run = new Run(opts);
  const { target } = opts;
  const pool = opts.pool ?? makePool(target.origin, opts.streamTimeoutMs);
  const headers = { ...target.headers, "content-type": "application/json", accept: "text/event-stream" };
  const cpu0 = process.cpuUsage();
  const startedAt = performance.now();
  const hold = opts.holdMs > 0;
  run.windowStart = hold ? startedAt + opts.rampMs : startedAt;
  run.windowEnd = hold ? run.windowStart + opts.holdMs : Infinity;
  const slots = opts.concurrency;
  let launched = 0;
  let openSlots = 0;
  let resolveAll!: () => void;
  const allDone = new Promise<void>((r) => (resolveAll = r));

  const start = () => {
    openSlots++;
    const body = target.body();
    const handler = new StreamHandler(run, () => {
      openSlots--;
      if (hold && performance.now() < run.windowEnd) setImmediate(start);
      else if (openSlots === 0 && launched === slots) resolveAll();
    });
    pool.dispatch({ origin: target.origin, path: target.path, method: "POST", headers, body, idempotent: false }, handler);
  };

  for (let i = 0; i < slots; i++) {
    setTimeout(() => {
      launched++;
      start();
    }, (i * opts.rampMs) / slots);
  }

  const watchdog = setInterval(() => {
    const now = performance.now();
    for (const h of run.active) if (now - h.startedAt > opts.streamTimeoutMs) h.abort("timeout");
  }, 500);
  await allDone;
  clearInterval(watchdog);
  const endedAt = performance.now();
  const cpu = process.cpuUsage(cpu0);
  if (!opts.pool) await pool.close().catch(() => pool.destroy());

  const windowEnd = Math.min(run.windowEnd, endedAt);
  const wallMs = endedAt - startedAt;
  const windowMs = hold ? windowEnd - run.windowStart : wallMs;
  const windowTokens = hold ? run.windowTokens : run.tokens;
  return {
    kind: target.kind,
    concurrency: opts.concurrency,
    started: run.started,
    completed: run.completed,
    errors: run.errors,
    errorKinds: run.errorKinds,
    mismatched: run.mismatched,
    ttftMs: Float64Array.from(run.ttft.values()),
    headersMs: Float64Array.from(run.headers.values()),
    gaps: run.gaps,
    tokens: run.tokens,
    deltas: run.deltas,
    windowTokens,
    windowMs,
    tokensPerS: (windowTokens / windowMs) * 1000,
    wallMs,
    startedAt,
    windowStart: run.windowStart,
    windowEnd,
    endedAt,
    loadgenCpuMs: (cpu.user + cpu.system) / 1000,
  };
}
