// Step 4 of the pipeline for a new user message: the local layer decides allow / warn / redact /
// block. A block answers 400 content_filter before anything is saved or sent upstream; the text is
// kept only in moderation_events, for review. PII with the "redact" policy is replaced in what goes
// upstream (the user's own copy of the message keeps it).
import { getConversationById } from "@/db/queries/conversations";
import type { ModerationAction } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { countDecision, recordModerationEvent } from "./audit";
import type { CategoryScores } from "./categories";
import { classifyText, type LocalResult } from "./classify";
import { safetyConfig, verdictFor, type SafetyConfig } from "./config";
import { findPii, redactPii } from "./pii";

export interface InputDecision {
  action: ModerationAction;
  scores: CategoryScores;
  result: LocalResult;
}

export function decideInput(text: string, config: SafetyConfig = safetyConfig()): InputDecision {
  const result = classifyText(text, config);
  // PII is governed by its own policy, not by the category thresholds.
  const rest = { ...result.scores };
  delete rest.pii;
  let action: ModerationAction = verdictFor(rest, config.categories);
  if (action === "allowed" && result.pii.length) action = config.pii.action === "redact" ? "redacted" : "warned";
  return { action, scores: result.scores, result };
}

export const BLOCKED_INPUT_MESSAGE = "This message can’t be sent: it goes against the content policy. Rephrase it and try again.";

export interface InputCheckArgs {
  userId: string;
  conversationId: string | null;
  model: string;
  text: string;
}

/** Throws the 400 content_filter error for a blocked message; otherwise returns the decision. */
export async function checkInput(args: InputCheckArgs): Promise<InputDecision> {
  const decision = decideInput(args.text);
  countDecision(args.model, "input", decision.action);
  if (decision.action === "blocked") {
    // The conversation may not exist yet (a first message): the event then names none.
    const conversation = args.conversationId ? await getConversationById({ id: args.conversationId, userId: args.userId }) : null;
    await recordModerationEvent({ ...auditFields(args, decision), conversationId: conversation?.id ?? null, messageId: null });
    throw new AppError("invalid_request_error", "content_filter", BLOCKED_INPUT_MESSAGE, { param: "content" });
  }
  return decision;
}

export function auditFields(args: InputCheckArgs, d: InputDecision) {
  return {
    userId: args.userId,
    conversationId: args.conversationId,
    model: args.model,
    direction: "input" as const,
    action: d.action,
    scores: d.scores,
    content: args.text,
    detail: {
      source: "local",
      rules: d.result.hits.map((h) => ({ category: h.category, rule: h.rule })),
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

/** A warned or redacted message, once it is saved: logged against the message. Never throws. */
export function auditInput(args: InputCheckArgs, d: InputDecision, messageId: string): void {
  if (d.action === "allowed") return;
  void recordModerationEvent({ ...auditFields(args, d), messageId });
}

/** Every user message of the context (history too) goes upstream without its PII under the redact policy. */
export function redactContext(messages: { role: string; content: string }[], config: SafetyConfig = safetyConfig()): void {
  if (config.pii.action !== "redact") return;
  for (const m of messages) if (m.role === "user") m.content = redactForUpstream(m.content, config);
}
