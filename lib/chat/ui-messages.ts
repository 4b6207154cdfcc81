// Database messages (an active path, root → leaf) → the AI SDK UI messages the chat renders.
import type { ContextInfo, Message } from "@/db/schema";
import { type AttachmentPart, attachmentsOf } from "@/lib/files/types";
import { FINISH_REASONS, type ChatMessageMetadata, type ChatUIMessage, type FinishReason, type ToolStepOutput } from "./types";

type PathMessage = Pick<
  Message,
  "id" | "parentId" | "role" | "content" | "model" | "finishReason" | "error" | "createdAt" | "context"
> &
  Partial<Pick<Message, "toolCalls" | "toolCallId" | "contentParts">> & { siblingIds?: string[] };

type Part = ChatUIMessage["parts"][number];

/** A reply's tool chain so far (assistant with tool_calls → tool → …), folded into its final message. */
interface Chain {
  head: PathMessage;
  parts: Part[];
}

function parseArgs(text: string): unknown {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** What a tool step shows, as the live stream sends it (encode-ui.ts): from the tool row's content_parts. */
export function toolOutput(m: Pick<PathMessage, "content" | "contentParts">): ToolStepOutput {
  const part = (m.contentParts?.[0] ?? null) as { type?: string; display?: unknown; files?: unknown; isError?: boolean; durationMs?: number } | null;
  if (part?.type !== "tool_result") return { display: null, files: [], isError: false, durationMs: 0, content: m.content };
  return { display: part.display ?? null, files: Array.isArray(part.files) ? part.files : [], isError: part.isError === true, durationMs: part.durationMs ?? 0 };
}

function addCalls(chain: Chain, m: PathMessage): void {
  if (m.content) chain.parts.push({ type: "text", text: m.content });
  for (const raw of m.toolCalls ?? []) {
    const call = raw as { id?: string; function?: { name?: string; arguments?: string } };
    chain.parts.push({
      type: "dynamic-tool",
      toolName: call.function?.name ?? "tool",
      toolCallId: call.id ?? "",
      state: "input-available",
      input: parseArgs(call.function?.arguments ?? ""),
    });
  }
}

function addResult(chain: Chain, m: PathMessage): void {
  const i = chain.parts.findIndex((p) => p.type === "dynamic-tool" && p.toolCallId === m.toolCallId);
  const call = chain.parts[i];
  if (!call || call.type !== "dynamic-tool") return;
  chain.parts[i] = { type: "dynamic-tool", toolName: call.toolName, toolCallId: call.toolCallId, state: "output-available", input: call.input, output: toolOutput(m) };
}

function toFinishReason(value: string | null): FinishReason | null {
  return value !== null && (FINISH_REASONS as readonly string[]).includes(value) ? (value as FinishReason) : null;
}

/** Only what the chat shows ("N earlier messages were left out"); the token estimate stays server-side. */
function toContext(value: Pick<ContextInfo, "omitted" | "summarized"> | null | undefined): ChatMessageMetadata["context"] {
  if (!value) return null;
  return { omitted: value.omitted, summarized: value.summarized };
}

/**
 * System messages are context for the model, not part of the visible conversation. A reply's tool
 * chain (assistant with tool_calls → tool → … → assistant) is one message on screen: its final
 * message's id (feedback, the live reply), the chain head's parent and versions (regenerate, the
 * version switcher: `versionId` is the head), and the steps as tool parts before the final text.
 */
export function toChatUIMessages(
  path: readonly PathMessage[],
  feedback?: ReadonlyMap<string, "good" | "bad">,
): ChatUIMessage[] {
  const out: ChatUIMessage[] = [];
  let chain: Chain | null = null;
  const push = (m: PathMessage, head: PathMessage, parts: Part[]) => {
    if (m.role !== "user" && m.role !== "assistant") return;
    const attachments = attachmentsOf(m.contentParts);
    out.push({
      id: m.id,
      role: m.role,
      parts,
      metadata: {
        model: m.model,
        finishReason: toFinishReason(m.finishReason),
        error: m.error,
        parentId: head.parentId,
        createdAt: head.createdAt.toISOString(),
        context: m.role === "assistant" ? toContext(m.context) : null,
        ...(m.role === "assistant" && m.context?.safeCompletion === "crisis" ? { crisisResources: true } : {}),
        ...(head.siblingIds ? { siblingIds: head.siblingIds } : {}),
        ...(head !== m ? { versionId: head.id } : {}),
        ...(feedback?.has(m.id) ? { feedback: feedback.get(m.id) } : {}),
        ...(attachments.length ? { attachments } : {}),
      },
    });
  };
  for (const m of path) {
    if (m.role === "assistant" && m.toolCalls?.length) {
      chain ??= { head: m, parts: [] };
      addCalls(chain, m);
    } else if (m.role === "tool") {
      if (chain) addResult(chain, m);
    } else if (m.role === "assistant" && chain) {
      push(m, chain.head, [...chain.parts, { type: "text", text: m.content }]);
      chain = null;
    } else {
      // A chain cut short (an imported chat): its steps stand as a message of their own.
      if (chain) push(chain.head, chain.head, chain.parts);
      chain = null;
      push(m, m, [{ type: "text", text: m.content }]);
    }
  }
  if (chain) push(chain.head, chain.head, chain.parts);
  return out;
}

/** A message as GET /v1/conversations/:id lists it (DESIGN §5). */
export interface ApiPathMessage {
  id: string;
  parent_id: string | null;
  role: string;
  content: string;
  finish_reason: string | null;
  model: string | null;
  created_at: string;
  error?: string | null;
  context?: ContextInfo | null;
  /** The message's versions, oldest first (active-path responses only). */
  sibling_ids?: string[];
  tool_calls?: unknown[];
  tool_call_id?: string;
  /** A tool message's display (what the chat shows for the step). */
  tool_result?: unknown;
  /** Files sent with the message (present only when there are some). */
  attachments?: AttachmentPart[];
}

/** The REST shape of an active path → UI messages (used to catch up after a reply ended unseen). */
export function apiMessagesToChatUIMessages(path: readonly ApiPathMessage[]): ChatUIMessage[] {
  return toChatUIMessages(
    path.map((m) => ({
      id: m.id,
      parentId: m.parent_id,
      role: m.role as Message["role"],
      content: m.content,
      model: m.model,
      finishReason: toFinishReason(m.finish_reason),
      error: m.error ?? null,
      createdAt: new Date(m.created_at),
      context: m.context ?? null,
      siblingIds: m.sibling_ids,
      toolCalls: m.tool_calls ?? null,
      toolCallId: m.tool_call_id ?? null,
      contentParts: m.tool_result ? [m.tool_result] : (m.attachments ?? null),
    })),
  );
}
