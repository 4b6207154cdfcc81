// Summaries of old history, made in the background by the utility (cheapest) model and extended
// incrementally: each round folds the previous summary and the next omitted messages into a new
// one, never re-reading what an earlier summary covered. A reply never waits for this.
import { updateConversationSummary } from "@/db/queries/conversations";
import { getActivePath } from "@/db/queries/messages";
import type { Tier } from "@/lib/models/catalog";
import { reservedOutputTokens, utilityModel } from "@/lib/models/catalog";
import { tokenCounter } from "@/lib/tokens/count";
import type { ContextMessage, Summary } from "./context";
import { selectTarget } from "./select-replica";
import { completeChat } from "./upstream";

const SUMMARY_MAX_TOKENS = 400;
const running = new Set<string>();

export const SUMMARIZER_PROMPT =
  "You maintain a running summary of a conversation between a user and an assistant. Merge the previous " +
  "summary with the new messages into one concise summary (at most 300 words). Keep facts, names, numbers, " +
  "decisions, open questions and the user's goals and preferences. Write plain prose, no preamble.";

export interface SummaryJob {
  userId: string;
  tier: Tier;
  conversationId: string;
  previous: Summary | null;
  /** Depths (sequence numbers) of the omitted messages not covered yet. */
  fromDepth: number;
  toDepth: number;
}

/** Starts a summary round unless one is running for this conversation. Resolves when it is stored. */
export function summarizeInBackground(job: SummaryJob): Promise<void> | null {
  if (running.has(job.conversationId) || job.toDepth < job.fromDepth) return null;
  running.add(job.conversationId);
  return summarize(job)
    .catch((err: unknown) => console.warn("[summary] failed", job.conversationId, err))
    .finally(() => running.delete(job.conversationId));
}

async function summarize(job: SummaryJob): Promise<void> {
  // The whole path is read here, in the background, never on the reply's path.
  const path = await getActivePath({ conversationId: job.conversationId, userId: job.userId });
  const messages: ContextMessage[] = path.filter(
    (m) => m.role !== "system" && m.sequenceNum >= job.fromDepth && m.sequenceNum <= job.toDepth && (m.content || m.toolCalls),
  );
  const model = utilityModel();
  const count = await tokenCounter(model.encoding);
  // Take as many of the next messages as the utility model can read in one go.
  let room = model.contextWindow - reservedOutputTokens(model) - count(SUMMARIZER_PROMPT) - (job.previous ? count(job.previous.text) : 0) - 64;
  const lines: string[] = [];
  let until: string | null = null;
  for (const m of messages) {
    const line = `${m.role === "user" ? "User" : m.role === "assistant" ? "Assistant" : "Tool"}: ${m.content}`;
    const tokens = m.contentTokens?.[model.encoding] ?? count(line);
    if (tokens + 8 > room && lines.length > 0) break;
    room -= tokens + 8;
    lines.push(line.length > 20_000 ? `${line.slice(0, 20_000)}…` : line);
    until = m.id;
  }
  if (!until) return;
  const target = await selectTarget(model, job.tier);
  const input = `${job.previous ? `Previous summary:\n${job.previous.text}\n\n` : ""}New messages:\n${lines.join("\n\n")}`;
  const text = await completeChat({
    baseUrl: target.replica,
    timeoutMs: 60_000,
    body: {
      model: target.upstreamModel,
      messages: [
        { role: "system", content: SUMMARIZER_PROMPT },
        { role: "user", content: input },
      ],
      max_tokens: SUMMARY_MAX_TOKENS,
      temperature: 0.2,
    },
  });
  await updateConversationSummary({
    id: job.conversationId,
    userId: job.userId,
    summary: text.trim(),
    untilMessageId: until,
    previousUntilMessageId: job.previous?.untilMessageId ?? null,
  });
}
