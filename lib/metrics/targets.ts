// The seed's §12 dashboard: each metric's target and alert threshold, and how a value is judged.
// Green inside the target, amber between target and alert threshold, red past the threshold.

export type Judgement = "ok" | "warn" | "alert" | "nodata";

export interface Target {
  key: string;
  label: string;
  unit: "ms" | "tokens/s" | "%" | "requests";
  target: string;
  alert: string;
  judge(value: number): Judgement;
}

const band = (okLo: number, okHi: number, alertLo: number, alertHi: number) => (v: number): Judgement =>
  v < alertLo || v > alertHi ? "alert" : v < okLo || v > okHi ? "warn" : "ok";

export const SEED_TARGETS: Target[] = [
  { key: "ttft_p50", label: "TTFT (p50)", unit: "ms", target: "< 200 ms", alert: "> 500 ms", judge: band(-Infinity, 200, -Infinity, 500) },
  { key: "ttft_p99", label: "TTFT (p99)", unit: "ms", target: "< 1 s", alert: "> 3 s", judge: band(-Infinity, 1000, -Infinity, 3000) },
  { key: "tokens_per_s", label: "Tokens/second", unit: "tokens/s", target: "30–80 per stream", alert: "< 15 per stream", judge: band(30, 80, 15, Infinity) },
  { key: "gpu_utilization", label: "GPU utilization", unit: "%", target: "70–90%", alert: "< 40% or > 95%", judge: band(70, 90, 40, 95) },
  { key: "error_rate", label: "Error rate", unit: "%", target: "< 0.1%", alert: "> 1%", judge: band(-Infinity, 0.1, -Infinity, 1) },
  { key: "safety_block_rate", label: "Safety block rate", unit: "%", target: "0.01–0.1%", alert: "> 1% (possible attack)", judge: band(-Infinity, 0.1, -Infinity, 1) },
  { key: "queue_depth", label: "Queue depth", unit: "requests", target: "< 100", alert: "> 1000", judge: band(-Infinity, 100, -Infinity, 1000) },
  { key: "save_latency", label: "Conversation save latency", unit: "ms", target: "< 50 ms", alert: "> 500 ms", judge: band(-Infinity, 50, -Infinity, 500) },
];

export function judge(t: Target, value: number | null): Judgement {
  return value === null || !Number.isFinite(value) ? "nodata" : t.judge(value);
}
