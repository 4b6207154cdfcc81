// Step 4: input moderation (lib/safety: the fast local layer, then the optional model layer). A
// blocked input is answered 400 content_filter before anything is saved or sent upstream; a warned
// or redacted one goes through and is audited once its message has an id (after step 5). PII under
// the "redact" policy is removed from what goes upstream, and a self-harm input gets its safe
// completion (an instruction for the model; crisis resources in the UI): both in prepareUpstream,
// applied to the assembled context in step 6, so every door gets them.
import { auditInput, checkInput, decideInput, redactContext, type InputDecision, type SafeCompletion } from "@/lib/safety/input";
import { applySafeCompletion } from "@/lib/safety/safe-completion";
import type { Turn } from "./turn";

export interface Moderated {
  /** Writes the moderation event for a warned/redacted input (no-op for allowed). */
  audit(messageId: string | null, conversationId: string | null): void;
  /** Set for a self-harm input that is answered with care instead of refused. */
  safeCompletion: SafeCompletion | null;
}

export async function moderate(
  turn: Turn,
  input: { text: string | null; conversationId: string | null; model: string },
): Promise<Moderated> {
  if (input.text === null) return { audit: () => {}, safeCompletion: null }; // a regenerate: nothing new from the user
  const args = { userId: turn.user.id, tier: turn.user.tier, conversationId: input.conversationId, model: input.model, text: input.text };
  const decision: InputDecision = await checkInput(args); // throws 400 content_filter when blocked
  return {
    audit: (messageId, conversationId) => auditInput({ ...args, conversationId }, decision, messageId),
    safeCompletion: decision.safeCompletion,
  };
}

/** What input moderation reads from a list of messages: the caller's instructions (user and system). */
export function moderatedText(messages: { role: string; content: string }[]): string {
  return messages
    .filter((m) => m.role === "user" || m.role === "system")
    .map((m) => m.content)
    .join("\n\n");
}

/**
 * A regenerate moderates nothing new, but the message it answers again still needs its safe
 * completion: the local layer decides from that message (no audit, it was logged when sent).
 */
export function regenerated(answered: { role: string; content: string } | undefined): Pick<Moderated, "safeCompletion"> {
  return { safeCompletion: answered?.role === "user" ? decideInput(answered.content).safeCompletion : null };
}

/**
 * What moderation changes in the prompt, in place: PII redacted first, then the safe completion's
 * instruction added (after, so its help-line numbers are never taken for PII). Returns what the
 * context info records (stored with the reply; the UI shows crisis resources from it).
 */
export function prepareUpstream(messages: { role: string; content: string }[], safeCompletion: SafeCompletion | null): { safeCompletion?: "crisis" } {
  redactContext(messages);
  applySafeCompletion(messages, { safeCompletion });
  return safeCompletion ? { safeCompletion: safeCompletion.resources } : {};
}
