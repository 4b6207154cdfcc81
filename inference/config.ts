// Simulator configuration (DESIGN §3): the served models, their timing profiles, the scheduler limits
// and default faults. Everything has a default resembling a mid-size model on one H100; a JSON file
// (SIM_CONFIG) or startInferenceServer({ config }) overrides any part of it.
import fs from "node:fs";
import { z } from "zod";
import { parseFaultSpec } from "./faults";

export const REPLY_MODES = ["text", "echo", "tools", "guard"] as const;
export type ReplyMode = (typeof REPLY_MODES)[number];

/** Fields every model falls back to when a config entry leaves them out. */
export const MODEL_DEFAULTS = {
  mode: "text",
  baseTtftMs: 150,
  prefillTokensPerS: 20_000,
  decodeTokensPerS: 60,
  /** decode rate = decodeTokensPerS / (1 + batchSlowdown × (running − 1)); 0.0002 keeps 1,000 streams near full speed. */
  batchSlowdown: 0.0002,
  maxModelLen: 32_768,
  defaultMaxTokens: 4_096,
} as const;

const modelSchema = z.object({
  name: z.string().min(1),
  mode: z.enum(REPLY_MODES).default(MODEL_DEFAULTS.mode),
  baseTtftMs: z.number().nonnegative().default(MODEL_DEFAULTS.baseTtftMs),
  prefillTokensPerS: z.number().positive().default(MODEL_DEFAULTS.prefillTokensPerS),
  decodeTokensPerS: z.number().positive().default(MODEL_DEFAULTS.decodeTokensPerS),
  batchSlowdown: z.number().nonnegative().default(MODEL_DEFAULTS.batchSlowdown),
  maxModelLen: z.number().int().positive().default(MODEL_DEFAULTS.maxModelLen),
  defaultMaxTokens: z.number().int().positive().default(MODEL_DEFAULTS.defaultMaxTokens),
});

const faultSpecSchema = z.string().refine(
  (spec) => {
    try {
      parseFaultSpec(spec);
      return true;
    } catch {
      return false;
    }
  },
  { message: "invalid fault spec (expected key=value;key=value, see inference/faults.ts)" },
);

export const simConfigSchema = z.object({
  /** Upper bound on sequences decoding at once (vLLM --max-num-seqs); the rest wait FIFO. */
  maxNumSeqs: z.number().int().positive().default(256),
  /** KV-cache capacity in tokens; a running sequence holds prompt + max_tokens of it. */
  kvCacheTokens: z.number().int().positive().default(2_000_000),
  /**
   * Prefix-cache capacity in tokens (LRU); 0 = prefix caching off. Defaults to the KV-cache capacity:
   * vLLM keeps cached blocks in the KV cache's free space.
   */
  prefixCacheTokens: z.number().int().nonnegative().optional(),
  /**
   * Scheduler tick: every running sequence is advanced once per tick (one timer for all streams), and
   * the tokens a stream got in one tick go out in one write. Larger ticks coalesce tokens of fast
   * models into fewer writes (less CPU) at the cost of burstier streams; 10 ms ≈ one vLLM decode step.
   */
  tickMs: z.number().positive().max(1_000).default(10),
  /** Honour `[[sim:…]]` fault directives inside the last user message. */
  faultDirectives: z.boolean().default(false),
  /** Faults applied to every request (same syntax as the x-sim-fault header); "" = none. */
  faults: faultSpecSchema.default(""),
  models: z.array(modelSchema).min(1).optional(),
});

export type SimModelConfig = z.infer<typeof modelSchema>;
export type SimModelConfigInput = z.input<typeof modelSchema>;
export type SimConfig = Omit<z.infer<typeof simConfigSchema>, "models"> & { models: SimModelConfig[] };
/** What callers may pass: every field optional, model entries need only a name. */
export type SimConfigInput = z.input<typeof simConfigSchema>;

/** The default served models: different profiles so they behave visibly differently. */
export const DEFAULT_MODELS: SimModelConfig[] = [
  // Context lengths match the built-in catalog's product models (gpt-4: 8k, gpt-4o: 128k, gpt-3.5: 16k).
  { ...MODEL_DEFAULTS, name: "sim-large", baseTtftMs: 400, prefillTokensPerS: 8_000, decodeTokensPerS: 30, maxModelLen: 8_192 },
  {
    ...MODEL_DEFAULTS,
    name: "sim-medium",
    baseTtftMs: 150,
    prefillTokensPerS: 20_000,
    decodeTokensPerS: 60,
    maxModelLen: 131_072,
  },
  {
    ...MODEL_DEFAULTS,
    name: "sim-small",
    baseTtftMs: 60,
    prefillTokensPerS: 40_000,
    decodeTokensPerS: 100,
    maxModelLen: 16_384,
  },
  {
    ...MODEL_DEFAULTS,
    name: "sim-echo",
    mode: "echo",
    baseTtftMs: 20,
    prefillTokensPerS: 100_000,
    decodeTokensPerS: 200,
    defaultMaxTokens: 8_192,
  },
];

/** Validates and completes a partial config; `models`, when given, replaces the default list. */
export function resolveSimConfig(input: SimConfigInput = {}): SimConfig {
  const parsed = simConfigSchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid simulator config: ${z.prettifyError(parsed.error)}`);
  const models = parsed.data.models ?? DEFAULT_MODELS.map((m) => ({ ...m }));
  const names = new Set<string>();
  for (const m of models) {
    if (names.has(m.name)) throw new Error(`invalid simulator config: duplicate model "${m.name}"`);
    names.add(m.name);
  }
  return { ...parsed.data, models };
}

/** Reads a SIM_CONFIG JSON file; validation happens in resolveSimConfig. */
export function loadSimConfigFile(file: string): SimConfigInput {
  const raw: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new Error(`SIM_CONFIG ${file}: expected a JSON object`);
  }
  return raw as SimConfigInput;
}
