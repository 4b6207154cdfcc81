// Messages form a tree per conversation (edits and regenerations are siblings); the conversation's
// current_message_id is the leaf of the branch on screen. Reads are owner-scoped through the
// conversation. The streaming writes (checkpoint/finish) take ids that startTurn issued to the
// gateway itself, never ids from a request, so they are by primary key alone: one UPDATE each.
import { randomUUID } from "node:crypto";
import { and, asc, eq, isNull, lt, sql } from "drizzle-orm";
import { DbError } from "../errors";
import { type ContextInfo, type Conversation, conversations, type FinishReason, type Message, messages, type TokenCount } from "../schema";
import type { Tx } from "../index";
import { type Executor, isUuid, preparedPerDb, resolve } from "./executor";

export const INTERRUPTED_ERROR = "The server stopped while this reply was being written.";

export interface StartedTurn {
  /** Null for a regenerate. */
  userMessage: Message | null;
  /** The empty placeholder the reply streams into (finish_reason null). */
  assistant: Message;
}

/** The branch on screen, root → leaf, following parent links up from current_message_id in one recursive query. */
export async function getActivePath(
  args: { conversationId: string; userId: string },
  exec?: Executor,
): Promise<Message[]> {
  if (!isUuid(args.conversationId)) return [];
  const db = await resolve(exec);
  const pathIds = sql`
    with recursive path (id, parent_id) as (
      select m.id, m.parent_id
        from ${messages} m
        join ${conversations} c on c.current_message_id = m.id and m.conversation_id = c.id
       where c.id = ${args.conversationId} and c.user_id = ${args.userId}
      union all
      select m.id, m.parent_id from ${messages} m join path on m.id = path.parent_id
    )
    select id from path`;
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, args.conversationId), sql`${messages.id} in (${pathIds})`))
    .orderBy(asc(messages.sequenceNum));
}

/**
 * The newest part of the active path that a prompt can use, root-ward order: walks up from the leaf
 * only while the running token count (stored per message for `encoding`) is within budgetTokens,
 * so a 10,000-message conversation reads the few hundred rows that fit, not all of them. When
 * `untilMessageId` (the last message a summary covers) is given, the walk goes on up to its depth,
 * so the caller can tell whether the summary belongs to this branch. The first row returned may be
 * over the budget (the caller fits exactly); rows carry sequence_num = depth, so the number of
 * messages above the first row is its sequenceNum.
 */
export async function getContextPath(
  args: {
    conversationId: string;
    userId: string;
    encoding: "o200k_base" | "cl100k_base";
    budgetTokens: number;
    untilMessageId?: string | null;
    /**
     * Walk up from this message of the conversation instead of its current leaf: a turn reads the path
     * above the message it answers while its own rows are being written (the two run concurrently).
     */
    fromMessageId?: string;
  },
  exec?: Executor,
): Promise<ContextPathMessage[]> {
  if (!isUuid(args.conversationId)) return [];
  if (args.fromMessageId !== undefined && !isUuid(args.fromMessageId)) return [];
  const until = args.untilMessageId && isUuid(args.untilMessageId) ? args.untilMessageId : null;
  const db = await resolve(exec);
  // Rows without stored counts (imported, or older than the column) estimate 1 token per 3 chars.
  const tokens = (m: string) =>
    sql.raw(`coalesce((${m}.content_tokens->>'${args.encoding === "cl100k_base" ? "cl100k_base" : "o200k_base"}')::int, length(${m}.content) / 3) + 4`);
  const untilDepth = until
    ? sql`(select u.sequence_num from ${messages} u where u.id = ${until}::uuid and u.conversation_id = ${args.conversationId}::uuid)`
    : sql`null::int`;
  const walk = sql`
    with recursive path (id, parent_id, seq, acc) as (
      select m.id, m.parent_id, m.sequence_num, ${tokens("m")}
        from ${messages} m
        join ${conversations} c on ${args.fromMessageId ? sql`m.id = ${args.fromMessageId}::uuid` : sql`c.current_message_id = m.id`} and m.conversation_id = c.id
       where c.id = ${args.conversationId}::uuid and c.user_id = ${args.userId}::uuid
      union all
      select m.id, m.parent_id, m.sequence_num, path.acc + ${tokens("m")}
        from ${messages} m join path on m.id = path.parent_id
       where path.acc <= ${args.budgetTokens}::int or path.seq > coalesce(${untilDepth}, 2147483647)
    )
    select id from path`;
  return db
    .select(contextColumns)
    .from(messages)
    .where(and(eq(messages.conversationId, args.conversationId), sql`${messages.id} in (${walk})`))
    .orderBy(asc(messages.sequenceNum));
}

/** Only what a prompt needs: this query runs on every turn, over hundreds of rows. */
const contextColumns = {
  id: messages.id,
  role: messages.role,
  content: messages.content,
  toolCalls: messages.toolCalls,
  toolCallId: messages.toolCallId,
  contentTokens: messages.contentTokens,
  sequenceNum: messages.sequenceNum,
  // Null for almost every row; with it the turn needs no second query for its attachments (lib/files/context-parts.ts).
  contentParts: messages.contentParts,
};
export type ContextPathMessage = Pick<Message, keyof typeof contextColumns>;

/**
 * What a new turn needs to know about its conversation, in one statement: the conversation (owner-
 * scoped; null when it is missing or someone else's) and the state of its current leaf, so a reply
 * still being written there is refused without another round trip.
 */
export async function getConversationForTurn(
  args: { conversationId: string; userId: string },
  exec?: Executor,
): Promise<{ conversation: Conversation; leaf: Pick<Message, "role" | "finishReason" | "updatedAt"> | null } | null> {
  if (!isUuid(args.conversationId)) return null;
  const [row] = await (await conversationForTurn(exec)).execute(args);
  if (!row) return null;
  const leaf = row.role && row.updatedAt ? { role: row.role, finishReason: row.finishReason, updatedAt: row.updatedAt } : null;
  return { conversation: row.conversation, leaf };
}

const conversationForTurn = preparedPerDb((db) =>
  db
    .select({ conversation: conversations, role: messages.role, finishReason: messages.finishReason, updatedAt: messages.updatedAt })
    .from(conversations)
    .leftJoin(messages, and(eq(messages.id, conversations.currentMessageId), eq(messages.conversationId, conversations.id)))
    .where(and(eq(conversations.id, sql.placeholder("conversationId")), eq(conversations.userId, sql.placeholder("userId"))))
    .limit(1)
    .prepare("conversation_for_turn"),
);

/**
 * The reply at the conversation's current leaf (the one a client attaches to), owner-scoped:
 * undefined when the conversation is missing or someone else's, null when its leaf is not a reply.
 */
export async function getLeafReply(
  args: { conversationId: string; userId: string },
  exec?: Executor,
): Promise<Message | null | undefined> {
  if (!isUuid(args.conversationId)) return undefined;
  const db = await resolve(exec);
  const [row] = await db
    .select({ id: conversations.id, message: messages })
    .from(conversations)
    .leftJoin(messages, and(eq(messages.id, conversations.currentMessageId), eq(messages.conversationId, conversations.id)))
    .where(and(eq(conversations.id, args.conversationId), eq(conversations.userId, args.userId)))
    .limit(1);
  if (!row) return undefined;
  return row.message?.role === "assistant" ? row.message : null;
}

/** Every message of the conversation (all branches), by depth then time. Owner-scoped; [] on a miss. */
export async function listMessagesByConversationId(
  args: { conversationId: string; userId: string },
  exec?: Executor,
): Promise<Message[]> {
  if (!isUuid(args.conversationId)) return [];
  const db = await resolve(exec);
  const rows = await db
    .select({ message: messages })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.conversationId, args.conversationId), eq(conversations.userId, args.userId)))
    .orderBy(asc(messages.sequenceNum), asc(messages.createdAt));
  return rows.map((r) => r.message);
}

export async function getMessageById(args: { id: string; userId: string }, exec?: Executor): Promise<Message | null> {
  if (!isUuid(args.id)) return null;
  const db = await resolve(exec);
  const [row] = await db
    .select({ message: messages })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.id, args.id), eq(conversations.userId, args.userId)))
    .limit(1);
  return row?.message ?? null;
}

async function findInConversation(tx: Tx, id: string, conversationId: string) {
  const [row] = await tx
    .select({ id: messages.id, role: messages.role, depth: messages.sequenceNum, parentId: messages.parentId })
    .from(messages)
    .where(and(eq(messages.id, id), eq(messages.conversationId, conversationId)));
  return row;
}

/**
 * Begins a turn in one transaction: checks the conversation is the user's (null if not), saves the
 * user message and an empty assistant placeholder under it, and makes the placeholder the
 * conversation's current leaf.
 * - parentId: the message to answer under; null continues from the current leaf.
 * - user: null regenerates: a new assistant sibling under parentId, which must be a user message.
 *   With parentId null as well, it regenerates the current reply (the leaf's user message).
 * Throws DbError "not_found:message" when parentId is not in this conversation, "invalid_parent"
 * when a regenerate's parent is not a user message.
 */
export async function startTurn(
  args: {
    userId: string;
    conversationId: string;
    model: string;
    parentId: string | null;
    user: { id?: string; content: string; contentParts?: unknown[] | null; contentTokens?: Record<string, number> | null } | null;
    assistantId?: string;
    /** Edit of a first message: the new user message is a root (parentId must be null). */
    newRoot?: boolean;
    /**
     * The conversation's current leaf as the caller last read it (undefined: unknown). With it, a new
     * user message takes the one-statement fast path (compare-and-set on that leaf); a concurrent
     * turn, a missing parent or any other surprise falls back to the locking transaction below.
     */
    expectedLeafId?: string | null;
  },
  exec?: Executor,
): Promise<StartedTurn | null> {
  if (!isUuid(args.conversationId)) return null;
  if (args.parentId !== null && !isUuid(args.parentId)) throw parentNotFound();
  const db = await resolve(exec);
  if (args.user && args.expectedLeafId !== undefined && !args.newRoot) {
    const fast = await startTurnFast(db, { ...args, user: args.user, expectedLeafId: args.expectedLeafId });
    if (fast) return fast;
  }
  return db.transaction(async (tx) => {
    // Lock the conversation first, in its own statement, so concurrent turns on it queue up and each
    // sees the leaf the previous one left. (Joining the parent into this locking SELECT would be
    // wrong under READ COMMITTED: after the wait PostgreSQL re-checks the locked row but not the
    // joined one, so the parent would still be the old leaf.)
    const [conv] = await tx
      .select({ currentMessageId: conversations.currentMessageId })
      .from(conversations)
      .where(and(eq(conversations.id, args.conversationId), eq(conversations.userId, args.userId)))
      .for("update");
    if (!conv) return null;

    const parentRef = args.newRoot && args.user ? null : (args.parentId ?? conv.currentMessageId);
    let under: { id: string; role: string; depth: number; parentId: string | null } | null = null;
    if (parentRef) {
      under = (await findInConversation(tx, parentRef, args.conversationId)) ?? null;
      if (!under) throw parentNotFound();
    }
    // Regenerate with no parent given: the current leaf is normally the reply; go up to its question.
    if (args.user === null && args.parentId === null && under?.role === "assistant" && under.parentId) {
      under = (await findInConversation(tx, under.parentId, args.conversationId)) ?? null;
    }
    if (args.user === null && under?.role !== "user") {
      throw new DbError("invalid_parent", "Only a reply to a user message can be regenerated.");
    }

    const depth = under ? under.depth + 1 : 0;
    const userMessageId = args.user ? (args.user.id ?? randomUUID()) : null;
    const assistantId = args.assistantId ?? randomUUID();
    const base = { conversationId: args.conversationId };
    const rows = await tx
      .insert(messages)
      .values([
        ...(args.user && userMessageId
          ? [
              {
                ...base,
                id: userMessageId,
                parentId: under?.id ?? null,
                role: "user" as const,
                content: args.user.content,
                contentParts: args.user.contentParts ?? null,
                contentTokens: args.user.contentTokens ?? null,
                sequenceNum: depth,
              },
            ]
          : []),
        {
          ...base,
          id: assistantId,
          parentId: userMessageId ?? under?.id ?? null,
          role: "assistant" as const,
          content: "",
          model: args.model,
          sequenceNum: userMessageId ? depth + 1 : depth,
        },
      ])
      .returning();
    await tx
      .update(conversations)
      .set({ currentMessageId: assistantId, updatedAt: sql`now()` })
      .where(and(eq(conversations.id, args.conversationId), eq(conversations.userId, args.userId)));

    const assistant = rows.find((m) => m.id === assistantId)!;
    return { userMessage: rows.find((m) => m.id === userMessageId) ?? null, assistant };
  });
}

/**
 * Saves the text of many streaming replies in one statement (the gateway's checkpoint tick), so a
 * thousand open streams cost one round trip a second, not a thousand. Finished replies are skipped.
 */
export async function checkpointAssistantMessages(rows: { id: string; content: string }[], exec?: Executor): Promise<number> {
  if (rows.length === 0) return 0;
  const db = await resolve(exec);
  const values = sql.join(
    rows.map((r) => sql`(${r.id}::uuid, ${r.content}::text)`),
    sql`, `,
  );
  const updated = await db
    .update(messages)
    .set({ content: sql`v.content`, updatedAt: sql`now()` })
    .from(sql`(values ${values}) as v(id, content)`)
    .where(and(sql`${messages.id} = v.id`, isNull(messages.finishReason)))
    .returning({ id: messages.id });
  return updated.length;
}

/**
 * A new user message and its reply placeholder in ONE statement (one round trip instead of a
 * transaction of five): the conversation's leaf moves only if it is still `expectedLeafId`, and the
 * inserts happen only if that update did. No rows back means "take the slow path" (a concurrent
 * turn moved the leaf, the parent is not in this conversation, or the conversation is not the
 * user's); the transaction in startTurn then decides and reports it properly. Under contention the
 * UPDATE waits for the other writer and re-checks its WHERE on the new row version, so two turns
 * can never both attach to the same leaf.
 */
async function startTurnFast(
  db: Executor,
  args: {
    userId: string;
    conversationId: string;
    model: string;
    parentId: string | null;
    user: { id?: string; content: string; contentParts?: unknown[] | null; contentTokens?: Record<string, number> | null };
    assistantId?: string;
    expectedLeafId: string | null;
  },
): Promise<StartedTurn | null> {
  const userId = args.user.id ?? randomUUID();
  const assistantId = args.assistantId ?? randomUUID();
  const parentRef = args.parentId ?? args.expectedLeafId;
  const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
  const result = (await db.execute(sql`
    with parent as (
      select p.id, p.sequence_num from ${messages} p where p.id = ${parentRef}::uuid and p.conversation_id = ${args.conversationId}::uuid
    ),
    moved as (
      update ${conversations} set current_message_id = ${assistantId}::uuid, updated_at = now()
       where id = ${args.conversationId}::uuid and user_id = ${args.userId}::uuid
         and current_message_id is not distinct from ${args.expectedLeafId}::uuid
         and (${parentRef}::uuid is null or exists (select 1 from parent))
      returning id
    ),
    inserted as (
      insert into ${messages} (id, conversation_id, parent_id, role, content, content_parts, content_tokens, model, sequence_num)
      select v.id, moved.id, v.parent_id, v.role, v.content, v.content_parts, v.content_tokens, v.model,
             coalesce((select sequence_num + 1 from parent), 0) + v.offs
        from moved cross join (values
          (${userId}::uuid, ${parentRef}::uuid, 'user', ${args.user.content}::text, ${json(args.user.contentParts)}::jsonb, ${json(args.user.contentTokens)}::jsonb, null::text, 0),
          (${assistantId}::uuid, ${userId}::uuid, 'assistant', '', null::jsonb, null::jsonb, ${args.model}::text, 1)
        ) as v(id, parent_id, role, content, content_parts, content_tokens, model, offs)
      returning id, sequence_num, created_at
    )
    select id, sequence_num, created_at from inserted`)) as unknown;
  return turnRows(result, args.conversationId, { userId, assistantId, parentRef, model: args.model, user: args.user });
}

type InsertedRow = { id: string; sequence_num: number; created_at: string | Date };

/** The two rows a turn statement inserted (user message, placeholder) as Messages; null unless both were. */
function turnRows(
  result: unknown,
  conversationId: string,
  t: { userId: string; assistantId: string; parentRef: string | null; model: string; user: NewUserMessage },
): StartedTurn | null {
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as InsertedRow[];
  if (rows.length !== 2) return null;
  const row = (id: string) => rows.find((r) => r.id === id)!;
  const message = (id: string, fields: Partial<Message>): Message => ({
    id,
    conversationId,
    parentId: null,
    role: "user",
    content: "",
    contentParts: null,
    toolCalls: null,
    toolCallId: null,
    model: null,
    tokenCount: null,
    contentTokens: null,
    context: null,
    finishReason: null,
    error: null,
    replica: null,
    experiment: null,
    variant: null,
    ttftMs: null,
    latencyMs: null,
    sequenceNum: Number(row(id).sequence_num),
    createdAt: new Date(row(id).created_at),
    updatedAt: new Date(row(id).created_at),
    ...fields,
  });
  return {
    userMessage: message(t.userId, {
      parentId: t.parentRef,
      content: t.user.content,
      contentParts: t.user.contentParts ?? null,
      contentTokens: t.user.contentTokens ?? null,
    }),
    assistant: message(t.assistantId, { parentId: t.userId, role: "assistant", model: t.model }),
  };
}

type NewUserMessage = { id?: string; content: string; contentParts?: unknown[] | null; contentTokens?: Record<string, number> | null };

/**
 * The first turn of a new conversation in ONE statement: the conversation (with the placeholder as
 * its leaf), the user message and the reply placeholder. A new chat used to be three waits before
 * the model was called (create the conversation, a commit; the turn, a commit), now one. Null when
 * a conversation with this id already exists (anyone's: the caller answers as for a missing one).
 */
export async function startConversationTurn(
  args: { conversationId: string; userId: string; title: string | null; model: string; user: NewUserMessage },
  exec?: Executor,
): Promise<{ conversation: Conversation; turn: StartedTurn } | null> {
  if (!isUuid(args.conversationId)) return null;
  const db = await resolve(exec);
  const userId = args.user.id ?? randomUUID();
  const assistantId = randomUUID();
  const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
  // The messages reference the conversation inserted beside them: foreign keys are checked at the
  // end of the statement, so that is allowed.
  const result = (await db.execute(sql`
    with created as (
      insert into ${conversations} (id, user_id, title, model, current_message_id)
      values (${args.conversationId}::uuid, ${args.userId}::uuid, ${args.title}::text, ${args.model}::text, ${assistantId}::uuid)
      on conflict (id) do nothing
      returning id
    )
    insert into ${messages} (id, conversation_id, parent_id, role, content, content_parts, content_tokens, model, sequence_num)
    select v.id, created.id, v.parent_id, v.role, v.content, v.content_parts, v.content_tokens, v.model, v.seq
      from created cross join (values
        (${userId}::uuid, null::uuid, 'user', ${args.user.content}::text, ${json(args.user.contentParts)}::jsonb, ${json(args.user.contentTokens)}::jsonb, null::text, 0),
        (${assistantId}::uuid, ${userId}::uuid, 'assistant', '', null::jsonb, null::jsonb, ${args.model}::text, 1)
      ) as v(id, parent_id, role, content, content_parts, content_tokens, model, seq)
    returning id, sequence_num, created_at`)) as unknown;
  const turn = turnRows(result, args.conversationId, { userId, assistantId, parentRef: null, model: args.model, user: args.user });
  if (!turn) return null;
  // Both tables' timestamps are now() of this one statement.
  const at = turn.assistant.createdAt;
  const conversation: Conversation = {
    id: args.conversationId,
    userId: args.userId,
    title: args.title,
    model: args.model,
    systemPrompt: null,
    createdAt: at,
    updatedAt: at,
    isArchived: false,
    shareToken: null,
    shareMessageId: null,
    currentMessageId: assistantId,
    parentId: null,
    branchPoint: null,
    summary: null,
    summaryUntilMessageId: null,
  };
  return { conversation, turn };
}

/** Completes a streaming reply, once: compare-and-set on finish_reason IS NULL. False if it was already finished. */
export async function finishAssistantMessage(
  args: {
    id: string;
    content: string;
    finishReason: FinishReason;
    error?: string | null;
    model: string;
    replica?: string | null;
    experiment?: string | null;
    variant?: string | null;
    tokenCount?: TokenCount | null;
    contentTokens?: Record<string, number> | null;
    context?: ContextInfo | null;
    ttftMs?: number | null;
    latencyMs?: number | null;
  },
  exec?: Executor,
): Promise<boolean> {
  const db = await resolve(exec);
  const rows = await db
    .update(messages)
    .set({
      content: args.content,
      finishReason: args.finishReason,
      error: args.error ?? null,
      model: args.model,
      replica: args.replica ?? null,
      experiment: args.experiment ?? null,
      variant: args.variant ?? null,
      tokenCount: args.tokenCount ?? null,
      contentTokens: args.contentTokens ?? null,
      context: args.context ?? null,
      ttftMs: args.ttftMs ?? null,
      latencyMs: args.latencyMs ?? null,
      updatedAt: sql`now()`,
    })
    .where(and(eq(messages.id, args.id), isNull(messages.finishReason)))
    .returning({ id: messages.id });
  return rows.length > 0;
}

/**
 * Ends one unfinished reply with the text it has (its last checkpoint): its generator is gone (lease
 * lapsed) or does not answer a stop. Compare-and-set like finishAssistantMessage; null when the
 * reply had already finished.
 */
export async function endAssistantMessageAsIs(
  args: { id: string; finishReason: "interrupted" | "aborted"; error: string | null },
  exec?: Executor,
): Promise<Pick<Message, "content" | "model"> | null> {
  if (!isUuid(args.id)) return null;
  const db = await resolve(exec);
  const [row] = await db
    .update(messages)
    .set({ finishReason: args.finishReason, error: args.error, updatedAt: sql`now()` })
    .where(and(eq(messages.id, args.id), isNull(messages.finishReason)))
    .returning({ content: messages.content, model: messages.model });
  return row ?? null;
}

/**
 * Marks replies that stopped streaming without finishing (the process died) as interrupted, keeping
 * their partial text. Never touches a finished reply. Returns how many it marked.
 */
export async function sweepInterruptedMessages(args: { staleBefore: Date }, exec?: Executor): Promise<number> {
  const db = await resolve(exec);
  const rows = await db
    .update(messages)
    .set({ finishReason: "interrupted", error: INTERRUPTED_ERROR, updatedAt: sql`now()` })
    // The role is a literal, not a parameter, so the planner can match the partial index
    // messages_streaming_updated_idx even with a generic prepared plan.
    .where(and(isNull(messages.finishReason), sql`${messages.role} = 'assistant'`, lt(messages.updatedAt, args.staleBefore)))
    .returning({ id: messages.id });
  return rows.length;
}

function parentNotFound(): DbError {
  return new DbError("not_found:message", "That message does not exist in this conversation.");
}
