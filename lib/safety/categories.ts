// The safety taxonomy: OpenAI's moderation categories (so MODERATION_URL results map one to one)
// plus three of our own — profanity, pii and jailbreak — that the product treats separately.
export const MODERATION_CATEGORIES = [
  "harassment",
  "harassment/threatening",
  "hate",
  "hate/threatening",
  "illicit",
  "illicit/violent",
  "self-harm",
  "self-harm/intent",
  "self-harm/instructions",
  "sexual",
  "sexual/minors",
  "violence",
  "violence/graphic",
] as const;
export const LOCAL_CATEGORIES = ["profanity", "pii", "jailbreak"] as const;
export const SAFETY_CATEGORIES = [...MODERATION_CATEGORIES, ...LOCAL_CATEGORIES] as const;

export type ModerationCategory = (typeof MODERATION_CATEGORIES)[number];
export type SafetyCategory = (typeof SAFETY_CATEGORIES)[number];
export type CategoryScores = Partial<Record<SafetyCategory, number>>;

export function isSafetyCategory(value: string): value is SafetyCategory {
  return (SAFETY_CATEGORIES as readonly string[]).includes(value);
}

/** Several weak signals add up but never reach certainty: 1 − Π(1 − wᵢ). */
export function combineScore(previous: number | undefined, weight: number): number {
  return 1 - (1 - (previous ?? 0)) * (1 - weight);
}

export function addScore(scores: CategoryScores, category: SafetyCategory, weight: number): void {
  scores[category] = Math.round(combineScore(scores[category], weight) * 1000) / 1000;
}
