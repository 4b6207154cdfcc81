// Self-harm as a safe completion: a message that shows self-harm intent is not refused (turning
// away someone in crisis helps no one). The model receives an instruction to answer with care and
// point to help, the UI shows crisis resources beside the reply (components/chat/crisis-resources.tsx),
// and the event is logged for review (input.ts auditInput). Self-harm *instructions* stay blocked.
import type { CategoryScores } from "./categories";
import type { SafetyConfig } from "./config";
import type { InputDecision, SafeCompletion } from "./input";

export const SELF_HARM_INSTRUCTION =
  "Safety instruction: the user's last message suggests they may be thinking about suicide or self-harm. " +
  "Respond with warmth and without judgement. Acknowledge their feelings, encourage them to reach out to someone " +
  "they trust and to a crisis line (in the US, call or text 988; in the UK and Ireland, Samaritans on 116 123; " +
  "elsewhere, local emergency services or findahelpline.com), and ask whether they are safe right now. " +
  "Do not provide any information about methods, doses or means of self-harm.";

const TRIGGERS = ["self-harm", "self-harm/intent"] as const;

export function safeCompletionFor(scores: CategoryScores, config: SafetyConfig): SafeCompletion | null {
  for (const c of TRIGGERS) {
    const warn = config.categories[c].warn;
    if (warn !== null && (scores[c] ?? 0) >= warn) return { instruction: SELF_HARM_INSTRUCTION, resources: "crisis" };
  }
  return null;
}

/**
 * Adds the instruction to what goes upstream, in place: appended to the first system message, or as
 * a system message of its own at the start (chat templates such as Mistral's reject a system message
 * anywhere but first). No-op without a safe completion.
 */
export function applySafeCompletion(messages: { role: string; content: string }[], decision: Pick<InputDecision, "safeCompletion"> | null): void {
  const sc = decision?.safeCompletion;
  if (!sc) return;
  const first = messages[0];
  if (first?.role === "system") first.content = `${first.content}\n\n${sc.instruction}`;
  else messages.unshift({ role: "system", content: sc.instruction });
}
