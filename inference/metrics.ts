// Prometheus metrics under vLLM's names, so dashboards and the gateway's router read the simulator
// exactly as they read vLLM. Hand-written rather than prom-client: the simulator must stay
// dependency-free and tiny, and the hot path only bumps plain number fields (no label lookups per
// token); the text exposition format is rendered on scrape.

/** vLLM's own bucket boundaries (vllm/engine/metrics.py), in seconds. */
const TTFT_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560,
];
const TPOT_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80];
const E2E_BUCKETS = [
  0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680,
];

export class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly buckets: number[]) {
    this.counts = new Array<number>(buckets.length).fill(0);
  }

  /** Records `weight` observations of `value` (weight lets one call stand for many tokens). */
  observe(value: number, weight = 1): void {
    if (weight <= 0) return;
    const i = this.buckets.findIndex((b) => value <= b);
    if (i >= 0) this.counts[i] += weight;
    this.sum += value * weight;
    this.count += weight;
  }
}

export const FINISHED_REASONS = ["stop", "length", "abort", "error"] as const;
export type FinishedReason = (typeof FINISHED_REASONS)[number];

/** Everything counted for one served model; the engine mutates these fields directly. */
export class ModelMetrics {
  running = 0;
  waiting = 0;
  promptTokens = 0;
  generationTokens = 0;
  readonly ttft = new Histogram(TTFT_BUCKETS);
  readonly tpot = new Histogram(TPOT_BUCKETS);
  readonly e2e = new Histogram(E2E_BUCKETS);
  readonly finished: Record<FinishedReason, number> = { stop: 0, length: 0, abort: 0, error: 0 };

  constructor(readonly name: string) {}
}

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const num = (v: number) => (Number.isInteger(v) ? `${v}.0` : String(v));

function header(lines: string[], name: string, type: string, help: string): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
}

function histogram(lines: string[], name: string, help: string, models: ModelMetrics[], pick: (m: ModelMetrics) => Histogram) {
  header(lines, name, "histogram", help);
  for (const m of models) {
    const h = pick(m);
    const label = `model_name="${escapeLabel(m.name)}"`;
    let cumulative = 0;
    h.buckets.forEach((b, i) => {
      cumulative += h.counts[i];
      lines.push(`${name}_bucket{le="${num(b)}",${label}} ${num(cumulative)}`);
    });
    lines.push(`${name}_bucket{le="+Inf",${label}} ${num(h.count)}`);
    lines.push(`${name}_count{${label}} ${num(h.count)}`, `${name}_sum{${label}} ${num(h.sum)}`);
  }
}

/** Renders the Prometheus text exposition format (version 0.0.4). */
export function renderMetrics(models: ModelMetrics[], kvCacheUsage: number, prefix = { queries: 0, hits: 0 }): string {
  const lines: string[] = [];
  const simple = (name: string, type: string, help: string, value: (m: ModelMetrics) => number) => {
    header(lines, name, type, help);
    for (const m of models) lines.push(`${name}{model_name="${escapeLabel(m.name)}"} ${num(value(m))}`);
  };
  simple("vllm:num_requests_running", "gauge", "Number of requests in model execution batches.", (m) => m.running);
  simple("vllm:num_requests_waiting", "gauge", "Number of requests waiting to be processed.", (m) => m.waiting);
  simple("vllm:gpu_cache_usage_perc", "gauge", "GPU KV-cache usage. 1 means 100 percent usage.", () => kvCacheUsage);
  simple("vllm:prompt_tokens_total", "counter", "Number of prefill tokens processed.", (m) => m.promptTokens);
  simple("vllm:generation_tokens_total", "counter", "Number of generation tokens processed.", (m) => m.generationTokens);
  // vLLM v1's prefix-cache counters (tokens queried / tokens found), one cache per server.
  header(lines, "vllm:prefix_cache_queries_total", "counter", "Prefix cache queries, in terms of number of queried tokens.");
  lines.push(`vllm:prefix_cache_queries_total ${num(prefix.queries)}`);
  header(lines, "vllm:prefix_cache_hits_total", "counter", "Prefix cache hits, in terms of number of cached tokens.");
  lines.push(`vllm:prefix_cache_hits_total ${num(prefix.hits)}`);
  histogram(lines, "vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", models, (m) => m.ttft);
  histogram(lines, "vllm:time_per_output_token_seconds", "Histogram of time per output token in seconds.", models, (m) => m.tpot);
  histogram(lines, "vllm:e2e_request_latency_seconds", "Histogram of end to end request latency in seconds.", models, (m) => m.e2e);
  header(lines, "vllm:request_success_total", "counter", "Count of successfully processed requests.");
  for (const m of models) {
    for (const reason of FINISHED_REASONS) {
      lines.push(
        `vllm:request_success_total{finished_reason="${reason}",model_name="${escapeLabel(m.name)}"} ${num(m.finished[reason])}`,
      );
    }
  }
  return lines.join("\n") + "\n";
}
