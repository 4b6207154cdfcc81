// Safety configuration: per-category thresholds and actions, the PII policy, the stream matcher's
// bounds and the optional model layer. A default lives here; SAFETY_CONFIG names a JSON or YAML file
// whose fields override it (categories merge one by one).
import fs from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { env } from "@/lib/env";
import { SAFETY_CATEGORIES, type SafetyCategory } from "./categories";
import { streamTables } from "./stream-moderator";
import { processPeek, processSet } from "@/lib/process-registry";

/** A score at or above `warn` warns, at or above `block` blocks; null = never. */
const thresholdSchema = z.object({
  warn: z.number().min(0).max(1).nullable(),
  block: z.number().min(0).max(1).nullable(),
});
export type Threshold = z.infer<typeof thresholdSchema>;

export const PII_TYPES = ["email", "phone", "card", "iban", "national_id", "address", "ip", "secret"] as const;
export type PiiType = (typeof PII_TYPES)[number];

const categoriesSchema = z.partialRecord(z.enum(SAFETY_CATEGORIES), thresholdSchema.partial());

const fileSchema = z
  .object({
    categories: categoriesSchema.optional(),
    /** Overrides for model output only (e.g. stricter on what the assistant writes). */
    output: z.object({ categories: categoriesSchema.optional() }).strict().optional(),
    pii: z
      .object({ action: z.enum(["redact", "warn", "allow"]).optional(), types: z.array(z.enum(PII_TYPES)).optional() })
      .strict()
      .optional(),
    jailbreak: z.object({ decodePayloads: z.boolean().optional() }).strict().optional(),
    stream: z
      .object({
        enabled: z.boolean().optional(),
        maxHoldChars: z.number().int().min(16).max(1024).optional(),
        message: z.string().min(1).max(500).optional(),
      })
      .strict()
      .optional(),
    model: z
      .object({
        /** A catalog model served in guard mode (Llama Guard style); used when MODERATION_URL is unset. */
        guardModel: z.string().min(1).optional(),
        timeoutMs: z.number().int().min(50).max(30_000).optional(),
        /** "open": a failed or slow check lets the input through (the local layer still applied); "closed": blocks it. */
        failPolicy: z.enum(["open", "closed"]).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type SafetyConfigFile = z.infer<typeof fileSchema>;

export interface SafetyConfig {
  categories: Record<SafetyCategory, Threshold>;
  outputCategories: Record<SafetyCategory, Threshold>;
  pii: { action: "redact" | "warn" | "allow"; types: PiiType[] };
  jailbreak: { decodePayloads: boolean };
  stream: { enabled: boolean; maxHoldChars: number; message: string };
  model: { url: string | null; apiKey: string | null; guardModel: string | null; timeoutMs: number; failPolicy: "open" | "closed" };
}

const std: Threshold = { warn: 0.4, block: 0.8 };

/**
 * Defaults. Self-harm (other than instructions) warns and is logged for review rather than refused:
 * turning away someone in crisis helps no one. Adult sexual content and graphic violence warn.
 */
export const DEFAULT_CATEGORIES: Record<SafetyCategory, Threshold> = {
  harassment: std,
  "harassment/threatening": std,
  hate: std,
  "hate/threatening": std,
  illicit: std,
  "illicit/violent": std,
  "self-harm": { warn: 0.4, block: null },
  "self-harm/intent": { warn: 0.4, block: null },
  "self-harm/instructions": std,
  // Explicit requests compose to 0.9 (compose.ts) and are refused; a single weak word only warns.
  sexual: { warn: 0.4, block: 0.85 },
  "sexual/minors": { warn: 0.3, block: 0.5 },
  violence: std,
  "violence/graphic": { warn: 0.4, block: null },
  profanity: { warn: 0.5, block: null },
  pii: { warn: 0.5, block: null },
  jailbreak: { warn: 0.4, block: 0.85 },
};

export const SAFETY_MESSAGE = "This reply was stopped because it broke the content policy.";

export function resolveSafetyConfig(file: SafetyConfigFile = {}, vars: { url?: string; apiKey?: string } = {}): SafetyConfig {
  const merge = (base: Record<SafetyCategory, Threshold>, over: SafetyConfigFile["categories"]) => {
    const out = { ...base };
    for (const [k, v] of Object.entries(over ?? {})) out[k as SafetyCategory] = { ...base[k as SafetyCategory], ...v };
    return out;
  };
  const categories = merge(DEFAULT_CATEGORIES, file.categories);
  return {
    categories,
    outputCategories: merge(categories, file.output?.categories),
    pii: { action: file.pii?.action ?? "redact", types: file.pii?.types ?? [...PII_TYPES] },
    jailbreak: { decodePayloads: file.jailbreak?.decodePayloads ?? true },
    stream: {
      enabled: file.stream?.enabled ?? true,
      maxHoldChars: file.stream?.maxHoldChars ?? 64,
      message: file.stream?.message ?? SAFETY_MESSAGE,
    },
    model: {
      url: vars.url ?? null,
      apiKey: vars.apiKey ?? null,
      guardModel: file.model?.guardModel ?? null,
      timeoutMs: file.model?.timeoutMs ?? 1_500,
      failPolicy: file.model?.failPolicy ?? "open",
    },
  };
}

export function parseSafetyConfigFile(text: string, name: string): SafetyConfigFile {
  const raw: unknown = /\.ya?ml$/i.test(name) ? parseYaml(text) : JSON.parse(text);
  const parsed = fileSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new Error(`SAFETY_CONFIG ${name}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    safetyConfig: SafetyConfig;
  }
}

export function safetyConfig(): SafetyConfig {
  const cached = processPeek("safetyConfig");
  if (cached) return cached;
  const e = env();
  const file = e.SAFETY_CONFIG ? parseSafetyConfigFile(fs.readFileSync(e.SAFETY_CONFIG, "utf8"), e.SAFETY_CONFIG) : {};
  const config = resolveSafetyConfig(file, { url: e.MODERATION_URL, apiKey: e.MODERATION_API_KEY });
  streamTables(config); // a hold bound shorter than the longest phrase fails here, at load, not mid-reply
  processSet("safetyConfig", config);
  return config;
}

/** Tests switch configurations; production reads it once. */
export function setSafetyConfigForTests(config: SafetyConfig | undefined): void {
  processSet("safetyConfig", config);
}

export type Verdict = "allowed" | "warned" | "blocked";

export function verdictFor(scores: Partial<Record<SafetyCategory, number>>, thresholds: Record<SafetyCategory, Threshold>): Verdict {
  let verdict: Verdict = "allowed";
  for (const [k, score] of Object.entries(scores)) {
    const t = thresholds[k as SafetyCategory];
    if (!t || score === undefined) continue;
    if (t.block !== null && score >= t.block) return "blocked";
    if (t.warn !== null && score >= t.warn) verdict = "warned";
  }
  return verdict;
}
