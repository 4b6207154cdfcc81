// Step 4: input moderation (lib/safety: the fast local layer, then the optional model layer). A
// blocked input is answered 400 content_filter before anything is saved or sent upstream; a warned
// or redacted one goes through and is audited once its message has an id (after step 5). PII under
// the "redact" policy is removed from what goes upstream (redactUpstream, applied to the assembled
// context in step 6).
import { auditInput, checkInput, redactContext, type InputDecision } from "@/lib/safety/input";
import type { Turn } from "./turn";

export interface Moderated {
  /** Writes the moderation event for a warned/redacted input (no-op for allowed). */
  audit(messageId: string | null, conversationId: string | null): void;
}

export async function moderate(
  turn: Turn,
  input: { text: string | null; conversationId: string | null; model: string },
): Promise<Moderated> {
  if (input.text === null) return { audit: () => {} }; // a regenerate: nothing new from the user
  const args = { userId: turn.user.id, tier: turn.user.tier, conversationId: input.conversationId, model: input.model, text: input.text };
  const decision: InputDecision = await checkInput(args); // throws 400 content_filter when blocked
  return { audit: (messageId, conversationId) => auditInput({ ...args, conversationId }, decision, messageId) };
}

/** What input moderation reads from a list of messages: the caller's instructions (user and system). */
export function moderatedText(messages: { role: string; content: string }[]): string {
  return messages
    .filter((m) => m.role === "user" || m.role === "system")
    .map((m) => m.content)
    .join("\n\n");
}

export function redactUpstream(messages: { role: string; content: string }[]): void {
  redactContext(messages);
}
