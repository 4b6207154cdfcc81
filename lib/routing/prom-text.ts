// A small parser for the Prometheus text exposition format (0.0.4), enough for the gauges the router
// reads from vLLM's /metrics. No Prometheus *parser* is installed (prom-client only renders), and the
// router needs three gauges, so a dozen lines beat a dependency. Handles labels with escaped quotes,
// comments, and NaN/+Inf values; ignores timestamps.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?\s*$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePromText(text: string): Sample[] {
  const out: Sample[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    if (m[2]) {
      for (const l of m[2].matchAll(LABEL)) labels[l[1]] = l[2].replace(/\\n/g, "\n").replace(/\\(["\\])/g, "$1");
    }
    const v = m[3] === "+Inf" ? Infinity : m[3] === "-Inf" ? -Infinity : Number(m[3]);
    out.push({ name: m[1], labels, value: v });
  }
  return out;
}

/** Sum of a metric over the series that match `model_name` (all series when model is undefined). */
export function sumMetric(samples: Sample[], name: string, model?: string): number | undefined {
  let found = false;
  let total = 0;
  for (const s of samples) {
    if (s.name !== name) continue;
    if (model !== undefined && s.labels.model_name !== undefined && s.labels.model_name !== model) continue;
    found = true;
    if (Number.isFinite(s.value)) total += s.value;
  }
  return found ? total : undefined;
}

/** Max of a metric (gauges shared by every model on a replica, e.g. gpu_cache_usage_perc). */
export function maxMetric(samples: Sample[], name: string): number | undefined {
  let best: number | undefined;
  for (const s of samples) if (s.name === name && Number.isFinite(s.value)) best = best === undefined ? s.value : Math.max(best, s.value);
  return best;
}
