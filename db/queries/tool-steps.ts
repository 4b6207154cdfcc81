// A reply that used tools is saved as the seed's data model has it: the assistant message with its
// `tool_calls`, then one `tool` message per call (`tool_call_id`), …, then the final assistant text —
// a chain in the message tree. The reply's own row (the placeholder it streamed into, whose id the
// clients know) stays the final message: the chain is inserted between the user message and it, and
// it moves down under the last tool message, so the leaf, the live-reply lookups and feedback keep
// their id. The chain's head takes the placeholder's created_at, so versions keep their order.
import { and, asc, eq, sql } from "drizzle-orm";
import { conversations, type Message, messages, type NewMessage } from "../schema";
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

/**
 * Inserts the chain above reply `replyId` of the user's conversation; false when it is not theirs.
 * Called again with later steps, it extends the chain (the reply hangs under the last tool message),
 * so a reply's steps are saved one by one as they complete. `clearReplyText`: the reply is still
 * streaming and its checkpointed text was these steps' (the text before their calls, now in the
 * chain): the row is reset to the text after them, which is none yet.
 */
export async function saveToolChain(
  args: { replyId: string; conversationId: string; userId: string; model: string; steps: ToolChainStep[]; clearReplyText?: boolean },
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
    const text = args.clearReplyText ? { content: sql`case when ${messages.finishReason} is null then '' else ${messages.content} end` } : {};
    await tx.update(messages).set({ parentId, sequenceNum: depth, ...text }).where(eq(messages.id, args.replyId));
    return true;
  });
}

/**
 * The tool chain directly above a reply (assistant with tool_calls → tool → …), root-ward order:
 * what a reply rebuilt from its rows shows before its text. Owner-scoped; [] when there is none.
 */
export async function getToolChainAbove(args: { replyId: string; conversationId: string; userId: string }, exec?: Executor): Promise<Message[]> {
  if (!isUuid(args.replyId) || !isUuid(args.conversationId)) return [];
  const db = await resolve(exec);
  const chain = sql`
    with recursive chain (id, parent_id) as (
      select p.id, p.parent_id from ${messages} r
        join ${messages} p on p.id = r.parent_id
       where r.id = ${args.replyId}::uuid and r.conversation_id = ${args.conversationId}::uuid
         and (p.role = 'tool' or (p.role = 'assistant' and p.tool_calls is not null))
      union all
      select p.id, p.parent_id from ${messages} p join chain on p.id = chain.parent_id
       where p.role = 'tool' or (p.role = 'assistant' and p.tool_calls is not null)
    )
    select id from chain`;
  const rows = await db
    .select({ message: messages })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.conversationId, args.conversationId), eq(conversations.userId, args.userId), sql`${messages.id} in (${chain})`))
    .orderBy(asc(messages.sequenceNum));
  return rows.map((r) => r.message);
}
