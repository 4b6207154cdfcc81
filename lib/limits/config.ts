// Tiers and their limits (DESIGN §7: configuration, not code). Built-in defaults below — the same
// table is in the README — or a JSON/YAML file named by LIMITS_CONFIG that replaces them per tier.
import fs from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { env } from "@/lib/env";
import { TIERS, type Tier } from "@/lib/models/catalog";

/** "3h", "90m", "1d", "60s" → milliseconds. */
export function parseWindow(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) throw new Error(`not a window: ${text}`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "ms" | "s" | "m" | "h" | "d"];
  return Math.round(Number(m[1]) * unit);
}

const MB = 1024 * 1024;

const windowSchema = z.string().refine((s) => {
  try {
    return parseWindow(s) > 0;
  } catch {
    return false;
  }
}, "a window like 3h, 90m or 1d");

const tierLimitsSchema = z.object({
  /** Messages per rolling window, per catalog model. A model not listed has no message cap. */
  messages: z.record(z.string(), z.object({ limit: z.number().int().positive(), window: windowSchema })).default({}),
  /** Where chat-UI replies go once a capped model is used up; null = none (the user is told when the cap resets). */
  fallbackModel: z.string().nullable().default(null),
  /** Prompt + completion tokens per UTC day, all models together. */
  tokensPerDay: z.number().int().positive(),
  /** Requests per minute to the public API (/v1/chat/completions). */
  apiRequestsPerMinute: z.number().int().positive(),
  /** Replies being generated at once for one user (chat UI and API together). */
  concurrentStreams: z.number().int().positive(),
  /** Under load, low-priority requests wait behind high ones (see lib/limits/priority-gate.ts). */
  priority: z.enum(["high", "low"]),
  /** Tool steps in one chat reply (model calls a tool → result → model again); past it the model must answer. */
  toolSteps: z.number().int().min(0).max(50).default(8),
  /** Uploads (lib/files): files per message, bytes per file, bytes kept in total (identical files count once). */
  files: z
    .object({
      perMessage: z.number().int().nonnegative(),
      bytesPerFile: z.number().int().positive(),
      totalBytes: z.number().int().positive(),
    })
    .default({ perMessage: 4, bytesPerFile: 10 * MB, totalBytes: 100 * MB }),
});

const limitsSchema = z.object(Object.fromEntries(TIERS.map((t) => [t, tierLimitsSchema])) as Record<Tier, typeof tierLimitsSchema>);

export type TierLimits = z.infer<typeof tierLimitsSchema>;
export type LimitsConfig = Record<Tier, TierLimits>;

export const DEFAULT_LIMITS: LimitsConfig = {
  free: {
    messages: { "gpt-4o": { limit: 10, window: "3h" }, "gpt-4": { limit: 5, window: "3h" } },
    fallbackModel: "gpt-3.5-turbo",
    tokensPerDay: 200_000,
    apiRequestsPerMinute: 20,
    concurrentStreams: 2,
    priority: "low",
    toolSteps: 8,
    files: { perMessage: 4, bytesPerFile: 10 * MB, totalBytes: 100 * MB },
  },
  plus: {
    messages: { "gpt-4o": { limit: 80, window: "3h" }, "gpt-4": { limit: 40, window: "3h" } },
    fallbackModel: "gpt-3.5-turbo",
    tokensPerDay: 2_000_000,
    apiRequestsPerMinute: 60,
    concurrentStreams: 4,
    priority: "high",
    toolSteps: 8,
    files: { perMessage: 10, bytesPerFile: 25 * MB, totalBytes: 2048 * MB },
  },
  team: {
    messages: { "gpt-4o": { limit: 160, window: "3h" }, "gpt-4": { limit: 100, window: "3h" } },
    fallbackModel: "gpt-3.5-turbo",
    tokensPerDay: 5_000_000,
    apiRequestsPerMinute: 120,
    concurrentStreams: 8,
    priority: "high",
    toolSteps: 8,
    files: { perMessage: 10, bytesPerFile: 50 * MB, totalBytes: 10240 * MB },
  },
  enterprise: {
    messages: {},
    fallbackModel: "gpt-3.5-turbo",
    tokensPerDay: 20_000_000,
    apiRequestsPerMinute: 600,
    concurrentStreams: 16,
    priority: "high",
    toolSteps: 8,
    files: { perMessage: 20, bytesPerFile: 100 * MB, totalBytes: 51200 * MB },
  },
};

export function parseLimits(raw: unknown, source: string): LimitsConfig {
  const parsed = limitsSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${source} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

let cached: LimitsConfig | undefined;

export function limitsConfig(): LimitsConfig {
  if (!cached) {
    const file = env().LIMITS_CONFIG;
    if (!file) cached = DEFAULT_LIMITS;
    else {
      const text = fs.readFileSync(file, "utf8");
      cached = parseLimits(/\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text), `LIMITS_CONFIG ${file}`);
    }
  }
  return cached;
}

export function tierLimits(tier: Tier): TierLimits {
  return limitsConfig()[tier];
}
