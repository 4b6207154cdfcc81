// Step 4 of the pipeline for a new user message: the local layer decides allow / warn / redact /
// block. A block answers 400 content_filter before anything is saved or sent upstream; the text is
// kept only in moderation_events, for review. PII with the "redact" policy is replaced in what goes
// upstream (the user's own copy of the message keeps it).
import { getConversationById } from "@/db/queries/conversations";
import type { ModerationAction } from "@/db/schema";
import { AppError, errors } from "@/lib/errors";
import type { Tier } from "@/lib/models/catalog";
import { countDecision, recordModerationEvent } from "./audit";
import type { CategoryScores } from "./categories";
import { classifyText, type ClassifyOptions, type LocalResult } from "./classify";
import { safetyConfig, verdictFor, type SafetyConfig } from "./config";
import { modelCheck } from "./model-layer";
import { findPii, redactPii } from "./pii";
import { safeCompletionFor } from "./safe-completion";

/** A self-harm turn is answered, not refused: the model is told how (lib/safety/safe-completion.ts). */
export interface SafeCompletion {
  /** The system instruction the model receives with this turn. */
  instruction: string;
  /** The UI shows crisis resources beside the reply. */
  resources: "crisis";
}

export interface InputDecision {
  action: ModerationAction;
  scores: CategoryScores;
  result: LocalResult;
  /** Set for a self-harm input that is let through: the pipeline must apply it (applySafeCompletion). */
  safeCompletion: SafeCompletion | null;
}

export function decideInput(text: string, config: SafetyConfig = safetyConfig(), extra?: CategoryScores, options?: ClassifyOptions): InputDecision {
  const result = classifyText(text, config, options);
  const scores = { ...result.scores };
  // The model layer's scores count as a second opinion: the higher of the two per category.
  for (const [k, v] of Object.entries(extra ?? {}) as [keyof CategoryScores, number][]) scores[k] = Math.max(scores[k] ?? 0, v);
  // PII is governed by its own policy, not by the category thresholds.
  const rest = { ...scores };
  delete rest.pii;
  let action: ModerationAction = verdictFor(rest, config.categories);
  if (action === "allowed" && result.pii.length) action = config.pii.action === "redact" ? "redacted" : "warned";
  const safeCompletion = action === "blocked" ? null : safeCompletionFor(scores, config);
  return { action, scores, result, safeCompletion };
}

export const BLOCKED_INPUT_MESSAGE = "This message can’t be sent: it goes against the content policy. Rephrase it and try again.";

export interface InputCheckArgs {
  userId: string;
  tier: Tier;
  conversationId: string | null;
  model: string;
  text: string;
}

/**
 * Throws the 400 content_filter error for a blocked message (503 when the model layer is down and
 * its fail policy is "closed"); otherwise returns the decision. The model layer, when configured,
 * starts first and runs while the local layer classifies; a local block does not wait for it.
 */
export async function checkInput(args: InputCheckArgs): Promise<InputDecision> {
  const config = safetyConfig();
  const pending = modelCheck(args.text, args.tier, config);
  let decision = decideInput(args.text, config);
  let source = "local";
  if (decision.action !== "blocked") {
    const verdict = await pending;
    if (verdict?.error) {
      console.warn(`[safety] model layer (${verdict.source}) failed: ${verdict.error}`);
      if (config.model.failPolicy === "closed") throw errors.unavailable("The safety check is unavailable. Try again shortly.");
    } else if (verdict) {
      decision = decideInput(args.text, config, verdict.scores);
      source = `local+${verdict.source}`;
    }
  }
  countDecision(args.model, "input", decision.action);
  if (decision.action === "blocked") {
    // The conversation may not exist yet (a first message): the event then names none.
    const conversation = args.conversationId ? await getConversationById({ id: args.conversationId, userId: args.userId }) : null;
    await recordModerationEvent({ ...auditFields(args, decision, source), conversationId: conversation?.id ?? null, messageId: null });
    throw new AppError("invalid_request_error", "content_filter", BLOCKED_INPUT_MESSAGE, { param: "content" });
  }
  decisionSource.set(decision, source);
  return decision;
}

const decisionSource = new WeakMap<InputDecision, string>();

export function auditFields(args: InputCheckArgs, d: InputDecision, source = decisionSource.get(d) ?? "local") {
  return {
    userId: args.userId,
    conversationId: args.conversationId,
    model: args.model,
    direction: "input" as const,
    action: d.action,
    scores: d.scores,
    content: args.text,
    detail: {
      source,
      rules: [
        ...d.result.hits.map((h) => ({ category: h.category, rule: h.rule })),
        // The review queue tells a safe completion apart from a plain warning.
        ...(d.safeCompletion ? [{ category: "self-harm", rule: "safe-completion" }] : []),
      ],
      pii: d.result.pii.map((p) => p.type),
    },
  };
}

/** What goes upstream for a user message under the redact policy. */
export function redactForUpstream(text: string, config: SafetyConfig = safetyConfig()): string {
  if (config.pii.action !== "redact") return text;
  const found = findPii(text, config.pii.types);
  return found.length ? redactPii(text, found) : text;
}

/** A warned or redacted message, once it is saved: logged against the message (none for the public API). Never throws. */
export function auditInput(args: InputCheckArgs, d: InputDecision, messageId: string | null): void {
  if (d.action === "allowed") return;
  void recordModerationEvent({ ...auditFields(args, d), messageId });
}

/** Every user message of the context (history too) goes upstream without its PII under the redact policy. */
export function redactContext(messages: { role: string; content: string }[], config: SafetyConfig = safetyConfig()): void {
  if (config.pii.action !== "redact") return;
  for (const m of messages) if (m.role === "user") m.content = redactForUpstream(m.content, config);
}
