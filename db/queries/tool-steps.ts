// A reply that used tools is saved as the seed's data model has it: the assistant message with its
// `tool_calls`, then one `tool` message per call (`tool_call_id`), …, then the final assistant text —
// a chain in the message tree. The reply's own row (the placeholder it streamed into, whose id the
// clients know) stays the final message: the chain is inserted between the user message and it, and
// it moves down under the last tool message, so the leaf, the live-reply lookups and feedback keep
// their id. The chain's head takes the placeholder's created_at, so versions keep their order.
import { and, eq } from "drizzle-orm";
import { conversations, messages, type NewMessage } from "../schema";
import { type Executor, isUuid, resolve } from "./executor";

/** What the UI shows for a tool message (content_parts[0]); `content` is what the model saw. */
export interface ToolResultPart {
  type: "tool_result";
  name: string;
  display: unknown;
  files: { id: string; name: string; mime: string; size: number }[];
  isError: boolean;
  durationMs: number;
}

export interface ToolChainStep {
  text: string;
  textTokens: Record<string, number>;
  toolCalls: { id: string; type: "function"; function: { name: string; arguments: string } }[];
  results: { toolCallId: string; content: string; contentTokens: Record<string, number>; part: ToolResultPart }[];
}

/** Inserts the chain above reply `replyId` of the user's conversation; false when it is not theirs. */
export async function saveToolChain(
  args: { replyId: string; conversationId: string; userId: string; model: string; steps: ToolChainStep[] },
  exec?: Executor,
): Promise<boolean> {
  if (!args.steps.length || !isUuid(args.replyId) || !isUuid(args.conversationId)) return false;
  const db = await resolve(exec);
  return db.transaction(async (tx) => {
    const [reply] = await tx
      .select({ parentId: messages.parentId, sequenceNum: messages.sequenceNum, createdAt: messages.createdAt })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(and(eq(messages.id, args.replyId), eq(messages.conversationId, args.conversationId), eq(conversations.userId, args.userId)));
    if (!reply) return false;
    let parentId = reply.parentId;
    let depth = reply.sequenceNum;
    const rows: NewMessage[] = [];
    const base = { conversationId: args.conversationId, createdAt: reply.createdAt };
    for (const step of args.steps) {
      const id = crypto.randomUUID();
      rows.push({ ...base, id, parentId, role: "assistant", content: step.text, toolCalls: step.toolCalls, model: args.model, finishReason: "tool_calls", contentTokens: step.textTokens, sequenceNum: depth++ });
      parentId = id;
      for (const r of step.results) {
        const toolId = crypto.randomUUID();
        rows.push({ ...base, id: toolId, parentId, role: "tool", content: r.content, toolCallId: r.toolCallId, contentParts: [r.part], contentTokens: r.contentTokens, sequenceNum: depth++ });
        parentId = toolId;
      }
    }
    await tx.insert(messages).values(rows);
    await tx.update(messages).set({ parentId, sequenceNum: depth }).where(eq(messages.id, args.replyId));
    return true;
  });
}
