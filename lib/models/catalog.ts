// The model catalog (DESIGN §7): product models → pools → replicas. Built-in default, or a JSON/YAML
// file named by MODELS_CONFIG. Adding a replica is a config change, not a code change.
import fs from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { env } from "@/lib/env";

export const TIERS = ["free", "plus", "team", "enterprise"] as const;
export type Tier = (typeof TIERS)[number];

const replicaSchema = z.object({ url: z.string().url(), weight: z.number().positive().default(1) });
const poolSchema = z.object({
  name: z.string().min(1),
  /** Model name the upstream server knows; omitted = the first model the replica lists at /v1/models. */
  upstreamModel: z.string().min(1).optional(),
  replicas: z.array(replicaSchema).min(1),
  tiers: z.array(z.enum(TIERS)).optional(),
});
const modelSchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  description: z.string().default(""),
  contextWindow: z.number().int().positive(),
  maxOutputTokens: z.number().int().positive(),
  /** Tokens kept free for the reply when fitting history; default min(maxOutputTokens, contextWindow / 4). */
  reservedOutputTokens: z.number().int().positive().optional(),
  /** BPE encoding used to count tokens for this model (gpt-tokenizer encodings). */
  encoding: z.enum(["o200k_base", "cl100k_base"]).default("o200k_base"),
  pricing: z.object({ inputPerM: z.number().nonnegative(), outputPerM: z.number().nonnegative() }),
  tiers: z.array(z.enum(TIERS)).default([...TIERS]),
  systemPrompt: z.string().optional(),
  /** True when the replicas are the local simulator, so the UI says so. */
  simulated: z.boolean().default(false),
  pools: z.array(poolSchema).min(1),
});
const catalogSchema = z.object({
  defaultModel: z.string().min(1),
  /** Model for background work (summaries of old history, titles); default: the cheapest model. */
  utilityModel: z.string().min(1).optional(),
  models: z.array(modelSchema).min(1),
});

export type CatalogModel = z.infer<typeof modelSchema>;
export type Pool = z.infer<typeof poolSchema>;
export type Catalog = z.infer<typeof catalogSchema>;

const SIM_NOTE = "Served by the local vLLM simulator: generated text, not a real model.";

function builtIn(): Catalog {
  const e = env();
  const url = e.INFERENCE_URL ?? "http://127.0.0.1:8000";
  const simulated = e.INFERENCE_LOCAL || !e.INFERENCE_URL;
  const pool = (name: string, upstream: string) => ({
    name,
    upstreamModel: simulated ? upstream : undefined,
    replicas: [{ url, weight: 1 }],
  });
  const label = (name: string) => (simulated ? `${name} (simulated)` : name);
  const describe = (text: string) => (simulated ? `${text} ${SIM_NOTE}` : text);
  const models: Catalog["models"] = [
    {
      id: "gpt-4o",
      label: label("GPT-4o"),
      description: describe("Fast, capable default."),
      contextWindow: 128_000,
      maxOutputTokens: 4_096,
      encoding: "o200k_base",
      pricing: { inputPerM: 2.5, outputPerM: 10 },
      tiers: [...TIERS],
      simulated,
      pools: [pool("gpt-4o-main", "sim-medium")],
    },
    {
      id: "gpt-4",
      label: label("GPT-4"),
      description: describe("Slower, for harder problems."),
      contextWindow: 8_192,
      maxOutputTokens: 4_096,
      encoding: "cl100k_base",
      pricing: { inputPerM: 30, outputPerM: 60 },
      tiers: ["plus", "team", "enterprise", "free"],
      simulated,
      pools: [pool("gpt-4-main", "sim-large")],
    },
    {
      id: "gpt-3.5-turbo",
      label: label("GPT-3.5 Turbo"),
      description: describe("Cheapest and quickest."),
      contextWindow: 16_385,
      maxOutputTokens: 4_096,
      encoding: "cl100k_base",
      pricing: { inputPerM: 0.5, outputPerM: 1.5 },
      tiers: [...TIERS],
      simulated,
      pools: [pool("gpt-3.5-main", "sim-small")],
    },
  ];
  if (simulated) {
    models.push({
      id: "sim-echo",
      label: "Echo (test)",
      description: "Replies with exactly what the gateway sent upstream (simulator echo mode).",
      contextWindow: 32_768,
      maxOutputTokens: 8_192,
      encoding: "o200k_base",
      pricing: { inputPerM: 0, outputPerM: 0 },
      tiers: [...TIERS],
      simulated: true,
      pools: [pool("sim-echo", "sim-echo")],
    });
  }
  // The echo test model costs nothing but writes no prose, so background work names a real one.
  return { defaultModel: "gpt-4o", utilityModel: "gpt-3.5-turbo", models };
}

function fromFile(file: string): Catalog {
  const text = fs.readFileSync(file, "utf8");
  const raw: unknown = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  const parsed = catalogSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`MODELS_CONFIG ${file} is invalid: ${z.prettifyError(parsed.error)}`);
  for (const [key, id] of [["defaultModel", parsed.data.defaultModel], ["utilityModel", parsed.data.utilityModel]] as const) {
    if (id !== undefined && !parsed.data.models.some((m) => m.id === id)) {
      throw new Error(`MODELS_CONFIG ${file}: ${key} "${id}" is not in models`);
    }
  }
  return parsed.data;
}

let cached: Catalog | undefined;

export function getCatalog(): Catalog {
  if (!cached) {
    const file = env().MODELS_CONFIG;
    cached = file ? fromFile(file) : builtIn();
  }
  return cached;
}

export function findModel(id: string): CatalogModel | undefined {
  return getCatalog().models.find((m) => m.id === id);
}

export function reservedOutputTokens(model: CatalogModel): number {
  return model.reservedOutputTokens ?? Math.min(model.maxOutputTokens, Math.floor(model.contextWindow / 4));
}

/** The model for background work: the configured utility model, else the cheapest. */
export function utilityModel(): CatalogModel {
  const catalog = getCatalog();
  const named = catalog.utilityModel ? findModel(catalog.utilityModel) : undefined;
  if (named) return named;
  const price = (m: CatalogModel) => m.pricing.inputPerM + m.pricing.outputPerM;
  return [...catalog.models].sort((a, b) => price(a) - price(b))[0];
}

/** Every encoding some catalog model uses: each message is counted once in each. */
export function catalogEncodings(): CatalogModel["encoding"][] {
  return [...new Set(getCatalog().models.map((m) => m.encoding))];
}

export interface UiModel {
  id: string;
  label: string;
  description: string;
  simulated: boolean;
}

/** What the model picker shows a user of this tier. */
export function listUiModels(tier: Tier): UiModel[] {
  return getCatalog()
    .models.filter((m) => m.tiers.includes(tier))
    .map(({ id, label, description, simulated }) => ({ id, label, description, simulated }));
}
