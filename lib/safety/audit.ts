// Every moderation decision counts in the metrics; every flagged one is written to moderation_events
// with what matched, for the admin review queue.
import { insertModerationEvent } from "@/db/queries/moderation";
import type { ModerationAction, ModerationDetail, ModerationDirection } from "@/db/schema";
import { metrics } from "@/lib/metrics/registry";
import type { CategoryScores } from "./categories";
import { PII_TYPES } from "./config";
import { findPii, redactPii } from "./pii";
import { processShared } from "@/lib/process-registry";

// Process-wide (lib/process-registry.ts): Next's bundle and the app server's route modules each load this file.
declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    safetyCounts: Map<string, { total: number; blocked: number }>;
  }
}
const counts = processShared("safetyCounts", () => new Map());

export function countDecision(model: string, direction: ModerationDirection, action: ModerationAction): void {
  const m = metrics();
  m.safetyChecks.inc({ model, direction, action });
  const key = `${model}\u0000${direction}`;
  const c = counts.get(key) ?? { total: 0, blocked: 0 };
  c.total++;
  if (action === "blocked") c.blocked++;
  counts.set(key, c);
  m.safetyBlockRate.set({ model, direction }, c.blocked / c.total);
}

export interface AuditEvent {
  userId: string;
  conversationId: string | null;
  messageId: string | null;
  model: string;
  direction: ModerationDirection;
  action: ModerationAction;
  scores: CategoryScores;
  content: string;
  detail: ModerationDetail;
}

/**
 * Awaited by the caller when the event must exist before it answers (a block); never throws. The
 * stored text has its PII and secrets redacted whatever the PII policy: the review log must not
 * become a second copy of users' card numbers and API keys (which PII was there is in detail.pii).
 */
export async function recordModerationEvent(e: AuditEvent): Promise<void> {
  try {
    await insertModerationEvent({
      userId: e.userId,
      conversationId: e.conversationId,
      messageId: e.messageId,
      model: e.model,
      direction: e.direction,
      flagged: true,
      action: e.action,
      categories: e.scores as Record<string, number>,
      content: redactPii(e.content, findPii(e.content, PII_TYPES)),
      detail: e.detail,
    });
  } catch (err) {
    console.error("[safety] writing the moderation event failed", err);
  }
}
