// The simulator's `guard` mode: a Llama Guard 3 style safety classifier. The reply is "safe", or
// "unsafe" and a line naming the violated categories ("S1,S9"), as Llama Guard answers. Keyword
// rules on the last user message — deliberately simple and independent of the app's own safety
// layer, so the gateway's model-layer path (timeouts, parsing, merging) is tested against a real
// server. The same verdict answers POST /v1/moderations in OpenAI's response shape.
import { lastUserText, type ChatRequest } from "./request";

/** Llama Guard 3 hazard categories (MLCommons taxonomy). */
export const GUARD_CATEGORIES = {
  S1: "Violent Crimes",
  S2: "Non-Violent Crimes",
  S3: "Sex-Related Crimes",
  S4: "Child Sexual Exploitation",
  S5: "Defamation",
  S6: "Specialized Advice",
  S7: "Privacy",
  S8: "Intellectual Property",
  S9: "Indiscriminate Weapons",
  S10: "Hate",
  S11: "Suicide & Self-Harm",
  S12: "Sexual Content",
  S13: "Elections",
  S14: "Code Interpreter Abuse",
} as const;
export type GuardCategory = keyof typeof GUARD_CATEGORIES;

const RULES: [GuardCategory, RegExp][] = [
  ["S4", /\b(?:child|children|minor|underage|kid)s?\b[^.]{0,40}\b(?:sex|nude|naked|porn)/i],
  ["S9", /\b(?:bomb|explosives?|sarin|ricin|anthrax|nerve agent|bioweapon|dirty bomb)\b/i],
  ["S11", /\b(?:suicide|kill myself|end my life|self-harm|overdose on purpose)\b/i],
  ["S1", /\b(?:kill|murder|shoot|stab|strangle)\s+(?:him|her|them|you|someone|people|my)\b/i],
  ["S2", /\b(?:make meth|cook meth|launder(?:ing)? money|steal|credit card fraud|hack into|ransomware)\b/i],
  ["S10", /\b(?:subhuman|inferior race|exterminate (?:all|them))\b/i],
  ["S12", /\b(?:porn|explicit sex|erotic)\b/i],
];

export function guardCategories(text: string): GuardCategory[] {
  return RULES.filter(([, re]) => re.test(text)).map(([c]) => c);
}

export function guardReply(req: ChatRequest): string {
  const violated = guardCategories(lastUserText(req));
  return violated.length ? `unsafe\n${violated.join(",")}` : "safe";
}

// OpenAI moderation category names for the guard categories that have one.
const OPENAI_NAMES: Partial<Record<GuardCategory, string>> = {
  S1: "violence",
  S2: "illicit",
  S3: "sexual",
  S4: "sexual/minors",
  S9: "illicit/violent",
  S10: "hate",
  S11: "self-harm",
  S12: "sexual",
};

/** POST /v1/moderations: `{input: string | string[]}` → OpenAI's `{id, model, results: [...]}`. */
export function moderationsResponse(body: unknown): { status: number; json: unknown } {
  const input = (body as { input?: unknown } | null)?.input;
  const texts = typeof input === "string" ? [input] : Array.isArray(input) && input.every((t) => typeof t === "string") ? (input as string[]) : null;
  if (!texts) return { status: 400, json: { error: { message: "input must be a string or an array of strings", type: "invalid_request_error", code: 400 } } };
  const all = [...new Set(Object.values(OPENAI_NAMES))];
  const results = texts.map((text) => {
    const hit = new Set(guardCategories(text).flatMap((c) => (OPENAI_NAMES[c] ? [OPENAI_NAMES[c]] : [])));
    return {
      flagged: hit.size > 0,
      categories: Object.fromEntries(all.map((c) => [c, hit.has(c)])),
      category_scores: Object.fromEntries(all.map((c) => [c, hit.has(c) ? 0.97 : 0.001])),
    };
  });
  return { status: 200, json: { id: `modr-sim-${Date.now().toString(36)}`, model: "sim-guard", results } };
}
