// Step 5: the prompt, within the model's token budget. The unchanging part comes first (system
// prompt, custom instructions, summary) so vLLM's prefix cache stays warm; then as much of the
// active path as fits, newest first, tool calls kept with their results. Message token counts come
// from the database (counted once, when each message was written); only the small system part is
// counted here.
import type { ContextInfo, Message } from "@/db/schema";
import type { CustomInstructions } from "@/db/queries/users";
import { errors } from "@/lib/errors";
import { type CatalogModel, reservedOutputTokens } from "@/lib/models/catalog";
import { MESSAGE_OVERHEAD_TOKENS, REPLY_PRIMING_TOKENS, type TokenCounter } from "@/lib/tokens/count";

/** An OpenAI content part: an attachment as text, or an image as a data URL (lib/files). */
export type ContentPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string } };

export interface UpstreamMessage {
  role: "system" | "user" | "assistant" | "tool";
  /** The typed text: what moderation, redaction and the cascade read. */
  content: string;
  /**
   * Attachments (lib/files), kept beside the text until the upstream body is built (step 8), where
   * they become the content array [parts…, text] (withContentParts in lib/files/api-images.ts).
   */
  parts?: ContentPart[];
  tool_calls?: unknown[];
  tool_call_id?: string;
}

export type ContextMessage = Pick<Message, "id" | "role" | "content" | "toolCalls" | "toolCallId" | "contentTokens" | "sequenceNum"> &
  /** Attachments (lib/files), when read with the row (getContextPath does). */
  Partial<Pick<Message, "contentParts">>;

export interface Summary {
  text: string;
  untilMessageId: string;
}

export interface AssembledContext {
  messages: UpstreamMessage[];
  /** Our estimate of the prompt's tokens. */
  promptTokens: number;
  /** max_tokens for the reply: what the window leaves, at most the model's output limit. */
  maxTokens: number;
  info: ContextInfo;
  /** Depths (sequence numbers) of omitted messages the summary does not cover yet, for the summarizer. */
  unsummarized: { fromDepth: number; toDepth: number } | null;
}

export function defaultSystemPrompt(model: CatalogModel, now: Date): string {
  const date = now.toISOString().slice(0, 10);
  return `${model.systemPrompt ?? "You are a helpful assistant. Answer in Markdown."} Current date: ${date}.`;
}

export function customInstructionsText(ci: CustomInstructions | null): string | null {
  if (!ci?.enabled) return null;
  const parts: string[] = [];
  if (ci.aboutMe?.trim()) parts.push(`What the user wants you to know about them:\n${ci.aboutMe.trim()}`);
  if (ci.responseStyle?.trim()) parts.push(`How the user wants you to respond:\n${ci.responseStyle.trim()}`);
  return parts.length ? `The user's custom instructions:\n\n${parts.join("\n\n")}` : null;
}

export function systemText(opts: {
  model: CatalogModel;
  now: Date;
  customInstructions: CustomInstructions | null;
  conversationSystemPrompt: string | null;
}): string {
  return [defaultSystemPrompt(opts.model, opts.now), customInstructionsText(opts.customInstructions), opts.conversationSystemPrompt?.trim()]
    .filter(Boolean)
    .join("\n\n");
}

export const SUMMARY_PREFIX = "Summary of the earlier part of this conversation (those messages are not shown):\n";

function messageTokens(m: ContextMessage, encoding: string, count: TokenCounter): number {
  const content = m.contentTokens?.[encoding] ?? count(m.content); // old rows without stored counts
  const tools = m.toolCalls ? count(JSON.stringify(m.toolCalls)) : 0;
  return content + tools + MESSAGE_OVERHEAD_TOKENS;
}

/** The most tokens a new message may have beside `systemTokens` of instructions. */
export function messageTokenLimit(model: CatalogModel, systemTokens: number): number {
  return model.contextWindow - reservedOutputTokens(model) - systemTokens - REPLY_PRIMING_TOKENS - MESSAGE_OVERHEAD_TOKENS;
}

/**
 * The budget check for a new message, made before it is saved or anything goes upstream.
 * `exact: false`: messageTokens is a count stopped past the limit (the text was not read in full).
 */
export function assertMessageFits(model: CatalogModel, systemTokens: number, messageTokens: number, exact = true): void {
  const reserved = reservedOutputTokens(model);
  const limit = messageTokenLimit(model, systemTokens);
  if (messageTokens > limit) {
    throw errors.tooLarge(
      `Your message is ${exact ? messageTokens : `more than ${Math.max(0, limit)}`} tokens; ${model.label} accepts at most ${Math.max(0, limit)} here ` +
        `(a ${model.contextWindow}-token window, ${reserved} kept for the reply, ${systemTokens} for instructions). Shorten it or split it up.`,
    );
  }
}

/** Groups the path into units that stay together: an assistant tool call with its tool results. */
function units(path: ContextMessage[]): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (let i = path.length - 1; i >= 0; ) {
    let from = i;
    while (from > 0 && path[from].role === "tool") from--;
    out.push({ from, to: i });
    i = from - 1;
  }
  return out; // newest first
}

function toUpstream(m: ContextMessage): UpstreamMessage {
  const msg: UpstreamMessage = { role: m.role, content: m.content };
  if (m.toolCalls) msg.tool_calls = m.toolCalls;
  if (m.toolCallId) msg.tool_call_id = m.toolCallId;
  return msg;
}

export function assembleContext(opts: {
  model: CatalogModel;
  system: string;
  summary: Summary | null;
  /**
   * The newest part of the active path, root-ward order (getContextPath); the last message is the
   * new user message (always included). Messages above the first one (its sequenceNum of them)
   * count as omitted.
   */
  path: ContextMessage[];
  count: TokenCounter;
  /** The tool definitions sent with the request (pipeline/tools.ts toolDefinitionTokens): fixed, like the system part. */
  toolTokens?: number;
}): AssembledContext {
  const { model, count } = opts;
  const enc = model.encoding;
  // Failed replies that said nothing carry nothing worth sending.
  const path = opts.path.filter((m) => m.role !== "system" && (m.role !== "assistant" || m.content || m.toolCalls));
  const budget = model.contextWindow - reservedOutputTokens(model);
  const systemTokens = count(opts.system) + MESSAGE_OVERHEAD_TOKENS + (opts.toolTokens ?? 0);
  const fixed = systemTokens + REPLY_PRIMING_TOKENS;

  const groups = units(path);
  const sizes = groups.map((g) => {
    let t = 0;
    for (let i = g.from; i <= g.to; i++) t += messageTokens(path[i], enc, count);
    return t;
  });
  if (groups.length && fixed + sizes[0] > budget) assertMessageFits(model, systemTokens, sizes[0] - MESSAGE_OVERHEAD_TOKENS);

  // Newest first while they fit; history stays contiguous (never skip a unit to fit an older one).
  const fit = (room: number) => {
    let used = 0;
    let n = 0;
    while (n < groups.length && used + sizes[n] <= room) used += sizes[n++];
    return { n, used };
  };
  let taken = fit(budget - fixed); // includes the newest unit: assertMessageFits passed
  let cut = taken.n < groups.length ? groups[taken.n - 1].from : 0; // first included index

  const depthAt = (i: number) => (path[i] ? path[i].sequenceNum : 0);
  let summaryMsg: UpstreamMessage | null = null;
  let summaryTokens = 0;
  let coveredDepth = -1;
  if (depthAt(cut) > 0 && opts.summary) {
    // On this branch only if its last message is among the rows the path walk went up to.
    const covered = path.find((m) => m.id === opts.summary!.untilMessageId);
    if (covered) {
      coveredDepth = covered.sequenceNum;
      const content = SUMMARY_PREFIX + opts.summary.text;
      const tokens = count(content) + MESSAGE_OVERHEAD_TOKENS;
      const withSummary = fit(budget - fixed - tokens);
      if (withSummary.n > 0) {
        summaryMsg = { role: "system", content };
        summaryTokens = tokens;
        taken = withSummary;
        cut = groups[taken.n - 1].from;
      }
    }
  }

  const included = path.slice(cut);
  const messages: UpstreamMessage[] = [{ role: "system", content: opts.system }];
  if (summaryMsg) messages.push(summaryMsg);
  for (const m of included) messages.push(toUpstream(m));

  const promptTokens = fixed + summaryTokens + taken.used;
  const omitted = depthAt(cut);
  const fromDepth = coveredDepth + 1;
  return {
    messages,
    promptTokens,
    maxTokens: Math.max(1, Math.min(model.maxOutputTokens, model.contextWindow - promptTokens)),
    info: { omitted, summarized: summaryTokens > 0, promptTokens },
    unsummarized: omitted > fromDepth ? { fromDepth, toDepth: omitted - 1 } : null,
  };
}
