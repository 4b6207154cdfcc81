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
  /** The model accepts images (OpenAI image_url parts); others get none and the composer says so. */
  vision: z.boolean().optional(),
  /** True when the replicas are the local simulator, so the UI says so. */
  simulated: z.boolean().default(false),
  /** The model can call tools (OpenAI `tools`; vLLM needs --enable-auto-tool-choice): the chat offers the built-in ones. */
  tools: z.boolean().optional(),
  /** Served by this model when every replica of its pool is ejected (a chain is followed, cycles stop). */
  fallback: z.string().min(1).optional(),
  /** The "auto" model: a local classifier sends each request to the cheap or the strong model. */
  cascade: z.object({ cheap: z.string().min(1), strong: z.string().min(1) }).optional(),
  pools: z.array(poolSchema).default([]),
});
const experimentSchema = z.object({
  name: z.string().min(1).regex(/^[\w.-]+$/, "letters, digits, _ . - only"),
  /** The catalog model whose requests may be enrolled. */
  model: z.string().min(1),
  /** Share of eligible users enrolled (0–1); the rest get the model as configured. */
  share: z.number().min(0).max(1),
  tiers: z.array(z.enum(TIERS)).default([...TIERS]),
  variants: z
    .array(
      z.object({
        name: z.string().min(1),
        weight: z.number().positive().default(1),
        /** A pool of the model to use instead of the tier's pool. */
        pool: z.string().min(1).optional(),
        /** Upstream model name to send instead of the pool's. */
        upstreamModel: z.string().min(1).optional(),
        temperature: z.number().min(0).max(2).optional(),
        /** Replaces the model's system prompt. */
        systemPrompt: z.string().optional(),
      }),
    )
    .min(2),
});
const catalogSchema = z.object({
  defaultModel: z.string().min(1),
  /** Model for background work (summaries of old history, titles); default: the cheapest model. */
  utilityModel: z.string().min(1).optional(),
  models: z.array(modelSchema).min(1),
  experiments: z.array(experimentSchema).default([]),
  /** An OpenAI-compatible POST /v1/images/generations server for the generate_image tool; unset = off. */
  imageModel: z
    .object({ url: z.string().url(), model: z.string().min(1), apiKey: z.string().min(1).optional() })
    .optional(),
});

export type CatalogModel = z.infer<typeof modelSchema>;
export type Pool = z.infer<typeof poolSchema>;
export type Catalog = z.infer<typeof catalogSchema>;
export type Experiment = z.infer<typeof experimentSchema>;
export type ExperimentVariant = Experiment["variants"][number];

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
      tools: simulated,
      vision: true,
      fallback: "gpt-3.5-turbo",
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
      tools: simulated,
      fallback: "gpt-4o",
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
      tools: simulated,
      pools: [pool("gpt-3.5-main", "sim-small")],
    },
    {
      id: "auto",
      label: label("Auto"),
      description: describe("Picks GPT-3.5 Turbo for simple requests and GPT-4o for harder ones; the reply names the model that answered."),
      // The smaller window and the encoding of the two, so the assembled context fits either.
      contextWindow: 16_385,
      maxOutputTokens: 4_096,
      encoding: "cl100k_base",
      pricing: { inputPerM: 2.5, outputPerM: 10 },
      tiers: [...TIERS],
      simulated,
      tools: simulated,
      cascade: { cheap: "gpt-3.5-turbo", strong: "gpt-4o" },
      pools: [],
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
      vision: true,
      pools: [pool("sim-echo", "sim-echo")],
    });
  }
  // The echo test model costs nothing but writes no prose, so background work names a real one.
  // The simulator draws deterministic images; a real vLLM has no images endpoint, so none is named.
  const imageModel = simulated ? { url, model: "sim-image" } : undefined;
  return { defaultModel: "gpt-4o", utilityModel: "gpt-3.5-turbo", models, experiments: [], imageModel };
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
  const ids = new Set(parsed.data.models.map((m) => m.id));
  for (const m of parsed.data.models) {
    for (const ref of [m.fallback, m.cascade?.cheap, m.cascade?.strong]) {
      if (ref !== undefined && !ids.has(ref)) throw new Error(`MODELS_CONFIG ${file}: model "${m.id}" names unknown model "${ref}"`);
    }
    if (m.pools.length === 0 && !m.cascade) throw new Error(`MODELS_CONFIG ${file}: model "${m.id}" needs pools or a cascade`);
  }
  for (const x of parsed.data.experiments) {
    if (!ids.has(x.model)) throw new Error(`MODELS_CONFIG ${file}: experiment "${x.name}" names unknown model "${x.model}"`);
  }
  return parsed.data;
}

let cached: Catalog | undefined;

/** Tests switch MODELS_CONFIG between files. */
export function resetCatalogForTests(): void {
  cached = undefined;
}

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
  return [...catalog.models].filter((m) => m.pools.length > 0).sort((a, b) => price(a) - price(b))[0];
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
  /** Can use tools (the catalog's `tools` flag): the picker says so. */
  tools: boolean;
  /** Accepts images; the composer warns before sending images to a model that does not. */
  vision: boolean;
  /** Prompt tokens a message may use (window − reserved output), so the composer can offer a page limit for a large file. */
  inputBudget: number;
}

/** What the model picker shows a user of this tier. */
export function listUiModels(tier: Tier): UiModel[] {
  return getCatalog()
    .models.filter((m) => m.tiers.includes(tier))
    .map((m) => ({
      id: m.id,
      label: m.label,
      description: m.description,
      simulated: m.simulated,
      vision: m.vision ?? false,
      inputBudget: m.contextWindow - reservedOutputTokens(m),
      tools: m.tools === true,
    }));
}
