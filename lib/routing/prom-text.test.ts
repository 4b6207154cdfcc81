import { describe, expect, it } from "vitest";
import { maxMetric, parsePromText, sumMetric } from "./prom-text";

const TEXT = `# HELP vllm:num_requests_waiting Number of requests waiting.
# TYPE vllm:num_requests_waiting gauge
vllm:num_requests_waiting{model_name="a"} 3.0
vllm:num_requests_waiting{model_name="b"} 2
vllm:num_requests_running{model_name="a",engine="0"} 7 1700000000000
vllm:gpu_cache_usage_perc{model_name="a"} 0.25
vllm:gpu_cache_usage_perc{model_name="b"} 0.5
weird{label="with \\"quote\\" and, comma"} +Inf
not a metric line
`;

describe("parsePromText", () => {
  it("reads names, labels (escaped quotes), values and ignores timestamps and comments", () => {
    const s = parsePromText(TEXT);
    expect(s).toHaveLength(6);
    expect(s[2]).toEqual({ name: "vllm:num_requests_running", labels: { model_name: "a", engine: "0" }, value: 7 });
    expect(s[5].labels.label).toBe('with "quote" and, comma');
    expect(s[5].value).toBe(Infinity);
  });

  it("sums a metric per model or over all, and takes the max of shared gauges", () => {
    const s = parsePromText(TEXT);
    expect(sumMetric(s, "vllm:num_requests_waiting", "a")).toBe(3);
    expect(sumMetric(s, "vllm:num_requests_waiting")).toBe(5);
    expect(sumMetric(s, "vllm:missing")).toBeUndefined();
    expect(maxMetric(s, "vllm:gpu_cache_usage_perc")).toBe(0.5);
  });
});
