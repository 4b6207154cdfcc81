// What the bench runs: the inference settings both paths share (issue #3: base TTFT 20 ms, 50 tokens/s
// per stream, 256 output tokens, 1k-token prompts), the model catalog the app gets, and the sizes of
// a full and a --quick run.
import type { SimConfigInput } from "../inference/config";
import { DEFAULT_LIMITS, type LimitsConfig } from "../lib/limits/config";
import { SYSTEM_PROMPT } from "./prompt";

export const SIM_MODEL = "sim-medium";
/** Catalog model for the load scenarios (max_tokens = the reply length). */
export const BENCH_MODEL = "bench-medium";
/** Same upstream, short replies: the single-stream scenario measures TTFT, 30 times per path. */
export const BENCH_SHORT_MODEL = "bench-short";
export const SHORT_TOKENS = 16;

export const TIMING = {
  baseTtftMs: 20,
  decodeTokensPerS: 50,
  /** The simulator's default for sim-medium: a 1k-token prompt adds ~50 ms of prefill. */
  prefillTokensPerS: 20_000,
} as const;

/** One engine that never queues at these levels and decodes every stream at exactly 50 tokens/s. */
export function simConfig(): SimConfigInput {
  return {
    maxNumSeqs: 8_192,
    kvCacheTokens: 100_000_000,
    tickMs: 5,
    faults: "",
    faultDirectives: false,
    models: [
      { name: SIM_MODEL, mode: "text", ...TIMING, batchSlowdown: 0, maxModelLen: 32_768, defaultMaxTokens: 4_096 },
      { name: "sim-echo", mode: "echo", baseTtftMs: 0, prefillTokensPerS: 1_000_000, decodeTokensPerS: 10_000, batchSlowdown: 0 },
    ],
  };
}

/** MODELS_CONFIG for the app: bench models on the simulator, all with the same system prompt. */
export function modelsConfig(inferenceUrl: string, replyTokens: number) {
  const pool = (upstreamModel: string) => [{ name: `bench-${upstreamModel}`, upstreamModel, replicas: [{ url: inferenceUrl, weight: 1 }] }];
  const common = {
    contextWindow: 32_768,
    encoding: "o200k_base",
    pricing: { inputPerM: 2.5, outputPerM: 10 },
    tiers: ["free", "plus", "team", "enterprise"],
    systemPrompt: SYSTEM_PROMPT,
    simulated: true,
  };
  return {
    defaultModel: BENCH_MODEL,
    utilityModel: BENCH_MODEL,
    models: [
      { ...common, id: BENCH_MODEL, label: "Bench medium", maxOutputTokens: replyTokens, pools: pool(SIM_MODEL) },
      { ...common, id: BENCH_SHORT_MODEL, label: "Bench short", maxOutputTokens: SHORT_TOKENS, pools: pool(SIM_MODEL) },
      // Same limits as bench-medium, so the echo shows the max_tokens the gateway sends for it.
      { ...common, id: "sim-echo", label: "Echo (test)", maxOutputTokens: replyTokens, pools: pool("sim-echo") },
    ],
  };
}

/**
 * LIMITS_CONFIG for the app: the bench drives hundreds of streams as one guest, which the default
 * free tier (2 concurrent streams, 200k tokens a day) would refuse with 429. Every tier gets limits
 * the bench cannot reach, and high priority (no queueing behind other users): the limit checks still
 * run on every request, so their cost stays in the figures.
 */
export function benchLimits(): LimitsConfig {
  const files = { perMessage: 20, bytesPerFile: 100 * 2 ** 20, totalBytes: 100 * 2 ** 30 };
  const open = { messages: {}, fallbackModel: null, tokensPerDay: 1e12, apiRequestsPerMinute: 1e9, concurrentStreams: 1e9, priority: "high" as const, files };
  return Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((tier) => [tier, open])) as unknown as LimitsConfig;
}

export interface Plan {
  quick: boolean;
  levels: number[];
  /** Passes over the sweep; each pass runs every level once per path, so rounds = passes. */
  passes: number;
  singleReps: number;
  replyTokens: number;
  /** Stream starts spread over this (≈ one stream's life, so arrivals are steady from the start). */
  rampMs: number;
  holdMs: number;
  contextReps: { 10: number; 1000: number; 10000: number };
  /** Hard stop for the load scenarios; later levels are skipped and reported as such. */
  budgetMs: number;
}

export function plan(quick: boolean): Plan {
  return quick
    ? {
        quick,
        // 10 streams only in the full run: --quick also carries scenarios 8–10 within its 2 minutes.
        levels: [100, 500],
        passes: 1,
        singleReps: 10,
        replyTokens: 128,
        rampMs: 1_500,
        holdMs: 2_000,
        contextReps: { 10: 20, 1000: 10, 10000: 5 },
        budgetMs: 100_000,
      }
    : {
        quick,
        levels: [10, 100, 500, 1_000, 2_000],
        passes: 2,
        singleReps: 30,
        replyTokens: 256,
        rampMs: 5_000,
        holdMs: 5_000,
        contextReps: { 10: 50, 1000: 30, 10000: 20 },
        budgetMs: 480_000,
      };
}

/** Seconds one stream lasts at these settings (first token + decode). */
export function streamSeconds(tokens: number): number {
  return (TIMING.baseTtftMs + (1_000 / TIMING.prefillTokensPerS) * 1_000) / 1_000 + tokens / TIMING.decodeTokensPerS;
}
