// Step 7's output moderation: a StreamModerator per reply behind ReplyRun's filter hook, and the
// audit when the reply ends (a block or a warning → moderation_events; every reply → the metrics).
import type { OutputFilter, ReplyRun } from "@/lib/gateway/reply-run";
import { countDecision, recordModerationEvent } from "./audit";
import { safetyConfig } from "./config";
import { StreamModerator, streamTables, type StreamBlock } from "./stream-moderator";

class ModeratedOutput implements OutputFilter {
  readonly moderator: StreamModerator;
  block: StreamBlock | null = null;
  constructor(readonly message: string) {
    this.moderator = new StreamModerator(streamTables(safetyConfig()));
  }
  push(text: string) {
    const step = this.moderator.push(text);
    if (step.block) this.block = step.block;
    return step;
  }
  flush() {
    const step = this.moderator.flush();
    if (step.block) this.block = step.block;
    return step;
  }
}

/** The filter for a new reply, or null when output moderation is off. */
export function outputFilter(): OutputFilter | null {
  const config = safetyConfig();
  return config.stream.enabled ? new ModeratedOutput(config.stream.message) : null;
}

/** Registered on the run: writes the audit once the reply has ended. */
export function auditOutput(run: ReplyRun): Promise<void> {
  const filter = run.filter;
  if (!(filter instanceof ModeratedOutput)) return Promise.resolve();
  const m = filter.moderator;
  const action = filter.block ? "blocked" : m.matches.length ? "warned" : "allowed";
  countDecision(run.model, "output", action);
  if (action === "allowed") return Promise.resolve();
  return recordModerationEvent({
    userId: run.userId,
    // A public API completion (lib/gateway/completion.ts) has no conversation and no stored message.
    conversationId: run.conversationId || null,
    messageId: run.conversationId ? run.id : null,
    model: run.model,
    direction: "output",
    action,
    scores: m.scores,
    content: run.withheld ?? run.content,
    detail: { source: "stream", rules: m.matches.map((x) => ({ category: x.category, rule: x.phrase })) },
  });
}
