// The optional model layer of input moderation: an OpenAI-compatible /v1/moderations endpoint
// (MODERATION_URL) or a Llama Guard style model from the catalog (safety config model.guardModel;
// give it `tiers: []` so no one can chat with it). It runs beside the local layer, bounded by
// model.timeoutMs. Fail policy: "open" (default) lets the message through on the local layer's
// verdict when the check fails or times out, and counts it; "closed" answers 503.
import { request } from "undici";
import { z } from "zod";
import { completeChat } from "@/lib/gateway/upstream";
import { selectTarget } from "@/lib/gateway/select-replica";
import { findModel, type Tier } from "@/lib/models/catalog";
import { isSafetyCategory, type CategoryScores, type SafetyCategory } from "./categories";
import type { SafetyConfig } from "./config";

export interface ModelVerdict {
  source: "moderation_url" | "guard";
  scores: CategoryScores;
  /** Set when the check failed or timed out (the fail policy decides what happens). */
  error?: string;
}

const moderationResponse = z.object({
  results: z
    .array(z.object({ flagged: z.boolean(), category_scores: z.record(z.string(), z.number()) }))
    .min(1),
});

async function viaModerationUrl(text: string, c: SafetyConfig["model"]): Promise<CategoryScores> {
  const res = await request(c.url!, {
    method: "POST",
    headers: { "content-type": "application/json", ...(c.apiKey ? { authorization: `Bearer ${c.apiKey}` } : {}) },
    body: JSON.stringify({ input: text }),
    headersTimeout: c.timeoutMs,
    bodyTimeout: c.timeoutMs,
    signal: AbortSignal.timeout(c.timeoutMs),
  });
  const json: unknown = await res.body.json();
  if (res.statusCode >= 400) throw new Error(`moderation endpoint answered ${res.statusCode}`);
  const parsed = moderationResponse.parse(json);
  const scores: CategoryScores = {};
  for (const [k, v] of Object.entries(parsed.results[0].category_scores)) if (isSafetyCategory(k)) scores[k] = v;
  return scores;
}

/** Llama Guard 3 categories → ours (S5 defamation → harassment; S6, S8 and S13 have no counterpart). */
const GUARD: Record<string, SafetyCategory> = {
  S1: "violence",
  S2: "illicit",
  S3: "sexual",
  S4: "sexual/minors",
  S5: "harassment",
  S7: "pii",
  S9: "illicit/violent",
  S10: "hate",
  S11: "self-harm",
  S12: "sexual",
  S14: "jailbreak",
};

export function parseGuardReply(reply: string): CategoryScores {
  const [verdict, codes = ""] = reply.trim().split(/\s*\n\s*/);
  if (verdict.toLowerCase() === "safe") return {};
  if (verdict.toLowerCase() !== "unsafe") throw new Error(`unexpected guard reply: ${reply.slice(0, 40)}`);
  const scores: CategoryScores = {};
  for (const code of codes.split(/[,\s]+/)) if (GUARD[code.toUpperCase()]) scores[GUARD[code.toUpperCase()]] = 1;
  return scores;
}

async function viaGuardModel(text: string, tier: Tier, c: SafetyConfig["model"]): Promise<CategoryScores> {
  const model = findModel(c.guardModel!);
  if (!model) throw new Error(`guard model "${c.guardModel}" is not in the catalog`);
  const target = await selectTarget(model, tier);
  const reply = await completeChat({
    baseUrl: target.replica,
    timeoutMs: c.timeoutMs,
    body: { model: target.upstreamModel, messages: [{ role: "user", content: text }], max_tokens: 16, temperature: 0 },
  });
  return parseGuardReply(reply);
}

/** Null when no model layer is configured. Never throws: failures come back with `error`. */
export async function modelCheck(text: string, tier: Tier, config: SafetyConfig): Promise<ModelVerdict | null> {
  const c = config.model;
  const source = c.url ? "moderation_url" : c.guardModel ? "guard" : null;
  if (!source) return null;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${c.timeoutMs} ms`)), c.timeoutMs);
    });
    const scores = await Promise.race([source === "moderation_url" ? viaModerationUrl(text, c) : viaGuardModel(text, tier, c), timeout]);
    return { source, scores };
  } catch (err) {
    return { source, scores: {}, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}
