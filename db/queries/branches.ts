// The message tree of a conversation: the active path with each message's versions (siblings),
// switching to another version, and forking a path into a new conversation. Owner-scoped like the
// rest of db/queries; a miss is null (→ 404).
import { and, asc, eq, sql } from "drizzle-orm";
import { DbError } from "../errors";
import type { Tx } from "../index";
import { type Conversation, conversations, type Message, messages } from "../schema";
import { type Executor, isUuid, resolve } from "./executor";
import { copyForkFiles } from "./fork-files";

export type PathMessage = Message & {
  /** The versions of this message (itself included): same parent, oldest first. */
  siblingIds: string[];
};

/**
 * Ids of `parent`'s versions, oldest first. Non-roots go through messages_parent_id_idx; roots
 * (parent_id null) through (conversation_id, sequence_num = 0). Rendered inside the path query.
 */
// Outer columns are written out qualified: drizzle renders a column of the only table in a select
// unqualified, which inside these subqueries would bind to `s`.
const outer = (column: string) => sql.raw(`"messages"."${column}"`);
const siblingIds = sql<string[]>`coalesce(
    (select array_agg(s.id::text order by s.created_at, s.id) from ${messages} s where s.parent_id = ${outer("parent_id")}),
    (select array_agg(s.id::text order by s.created_at, s.id) from ${messages} s
      where ${outer("parent_id")} is null and s.conversation_id = ${outer("conversation_id")} and s.sequence_num = 0 and s.parent_id is null),
    array[]::text[])`;

/** The recursive walk up from `leaf` (a message id expression) to the root, as a set of ids. */
const walkUp = (leaf: ReturnType<typeof sql>) => sql`
  with recursive path (id, parent_id) as (
    select m.id, m.parent_id from ${messages} m where m.id = (${leaf})
    union all
    select m.id, m.parent_id from ${messages} m join path on m.id = path.parent_id
  )
  select id from path`;

/**
 * The branch on screen, root → leaf, each message with its versions: ONE statement (a recursive
 * walk up from current_message_id plus an index lookup of siblings per path message), so a
 * conversation of thousands of messages in many branches costs the path's length, not its size.
 */
export async function getActivePathWithSiblings(
  args: { conversationId: string; userId: string },
  exec?: Executor,
): Promise<PathMessage[]> {
  if (!isUuid(args.conversationId)) return [];
  const db = await resolve(exec);
  const leaf = sql`select c.current_message_id from ${conversations} c where c.id = ${args.conversationId}::uuid and c.user_id = ${args.userId}::uuid`;
  return pathRows(db, args.conversationId, leaf);
}

function pathQuery(db: Executor, conversationId: string, leaf: ReturnType<typeof sql>) {
  return db
    .select({ message: messages, siblingIds })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), sql`${messages.id} in (${walkUp(leaf)})`))
    .orderBy(asc(messages.sequenceNum));
}

async function pathRows(db: Executor, conversationId: string, leaf: ReturnType<typeof sql>): Promise<PathMessage[]> {
  const rows = await pathQuery(db, conversationId, leaf);
  return rows.map((r) => ({ ...r.message, siblingIds: r.siblingIds }));
}

/** The SQL of getActivePathWithSiblings, for the benchmark's EXPLAIN. */
export function activePathSql(db: Executor, args: { conversationId: string; userId: string }) {
  const leaf = sql`select c.current_message_id from ${conversations} c where c.id = ${args.conversationId}::uuid and c.user_id = ${args.userId}::uuid`;
  return pathQuery(db, args.conversationId, leaf).toSQL();
}

/**
 * Shows another version: the conversation's current leaf becomes the most recent leaf below
 * `messageId` (its newest descendant, which is always a leaf: a child is never older than its
 * parent). Returns the new active path, or null when the conversation or message is not the user's.
 * Not activity: updated_at (the sidebar order) stays.
 */
export async function switchToBranch(
  args: { conversationId: string; userId: string; messageId: string },
  exec?: Executor,
): Promise<PathMessage[] | null> {
  if (!isUuid(args.conversationId) || !isUuid(args.messageId)) return null;
  const db = await resolve(exec);
  const result = (await db.execute(sql`
    with recursive sub (id) as (
      select m.id from ${messages} m
        join ${conversations} c on c.id = m.conversation_id
       where m.id = ${args.messageId}::uuid and c.id = ${args.conversationId}::uuid and c.user_id = ${args.userId}::uuid
      union all
      select m.id from ${messages} m join sub on m.parent_id = sub.id
    ),
    leaf as (
      select m.id from ${messages} m where m.id in (select id from sub)
       order by m.created_at desc, m.sequence_num desc, m.id desc limit 1
    )
    update ${conversations} set current_message_id = (select id from leaf)
     where id = ${args.conversationId}::uuid and user_id = ${args.userId}::uuid and exists (select 1 from leaf)
    returning id`)) as unknown;
  if (rowsOf(result).length === 0) return null;
  return getActivePathWithSiblings(args, db);
}

/**
 * Forks the caller's conversation at `fromMessageId`: a new conversation (parent_id = the source,
 * branch_point = that message) holding a copy of the path root → fromMessageId. Null when the
 * conversation is not the user's; DbError not_found:message when the message is not in it.
 */
export async function branchConversation(
  args: { conversationId: string; userId: string; fromMessageId: string },
  exec?: Executor,
): Promise<Conversation | null> {
  if (!isUuid(args.conversationId)) return null;
  if (!isUuid(args.fromMessageId)) throw messageNotFound();
  const db = await resolve(exec);
  return db.transaction(async (tx) => {
    const [source] = await tx
      .select()
      .from(conversations)
      .where(and(eq(conversations.id, args.conversationId), eq(conversations.userId, args.userId)));
    if (!source) return null;
    const title = source.title?.trim() ? `Branch · ${source.title.trim()}` : null;
    const fork = await forkPath(tx, {
      source,
      leafId: args.fromMessageId,
      userId: args.userId,
      title,
      systemPrompt: source.systemPrompt,
    });
    await copyBranchFiles(tx, source, fork);
    return fork;
  });
}

/**
 * The branch's own rows for the files its messages reference (fork-files.ts), on the same objects:
 * same owner, same storage keys, and an object stays while a row uses it, so deleting the source
 * conversation later leaves the branch's files in place.
 */
function copyBranchFiles(tx: Tx, source: Conversation, fork: Conversation): Promise<number> {
  return copyForkFiles(tx, { source, fork, plan: { keyFor: (file) => file.storageKey } });
}

/**
 * Copies the path root → leafId of `source` into a new conversation of `userId`, in the caller's
 * transaction: new ids, same content, roles, models and token counts, parents remapped in the same
 * statement, so the copy shares no row with the source (deleting the source later cannot touch it).
 */
export async function forkPath(
  tx: Tx,
  args: { source: Conversation; leafId: string; userId: string; title: string | null; systemPrompt: string | null },
): Promise<Conversation> {
  const [leaf] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.id, args.leafId), eq(messages.conversationId, args.source.id)));
  if (!leaf) throw messageNotFound();
  const [created] = await tx
    .insert(conversations)
    .values({
      userId: args.userId,
      title: args.title,
      model: args.source.model,
      systemPrompt: args.systemPrompt,
      parentId: args.source.id,
      branchPoint: args.leafId,
    })
    .returning();
  // `ids` is referenced twice, so PostgreSQL materializes it: each old id gets exactly one new id.
  // A reply still streaming in the source is copied as interrupted (the copy will never finish).
  const inserted = rowsOf(
    await tx.execute(sql`
      with recursive path (id, parent_id) as (
        select m.id, m.parent_id from ${messages} m where m.id = ${args.leafId}::uuid and m.conversation_id = ${args.source.id}::uuid
        union all
        select m.id, m.parent_id from ${messages} m join path on m.id = path.parent_id
      ),
      ids as materialized (select id as old_id, gen_random_uuid() as new_id from path)
      insert into ${messages} (id, conversation_id, parent_id, role, content, content_parts, tool_calls, tool_call_id, model,
                               token_count, content_tokens, context, finish_reason, error, replica, ttft_ms, latency_ms,
                               sequence_num, created_at, updated_at)
      select i.new_id, ${created.id}::uuid, p.new_id, m.role, m.content, m.content_parts, m.tool_calls, m.tool_call_id, m.model,
             m.token_count, m.content_tokens, m.context,
             case when m.role = 'assistant' then coalesce(m.finish_reason, 'interrupted') else m.finish_reason end,
             m.error, m.replica, m.ttft_ms, m.latency_ms, m.sequence_num, m.created_at, now()
        from ids i join ${messages} m on m.id = i.old_id left join ids p on p.old_id = m.parent_id
      returning id, sequence_num`),
  ) as { id: string; sequence_num: number }[];
  const newLeaf = inserted.reduce((a, b) => (Number(b.sequence_num) > Number(a.sequence_num) ? b : a));
  const [withLeaf] = await tx
    .update(conversations)
    .set({ currentMessageId: newLeaf.id })
    .where(eq(conversations.id, created.id))
    .returning();
  return withLeaf;
}

function rowsOf(result: unknown): Record<string, unknown>[] {
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];
}

function messageNotFound(): DbError {
  return new DbError("not_found:message", "That message does not exist in this conversation.");
}

/** For db/queries/shares.ts: the path up from a message id expression, with versions. */
export { pathRows as pathRowsFrom };
