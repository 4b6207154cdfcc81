// Full-text search over a user's own conversations: titles and message text (PostgreSQL tsvector +
// GIN, ranked, with highlighted snippets). The best-matching message per conversation is returned.
import { sql } from "drizzle-orm";
import { type Executor, isUuid, resolve } from "./executor";

export interface SearchHit {
  conversationId: string;
  title: string | null;
  updatedAt: Date;
  /** The best-matching message, or null when only the title matched. */
  messageId: string | null;
  /** Text around the match with <mark>…</mark> around matched words; everything else is escaped. */
  snippet: string;
  rank: number;
}

/**
 * Turns what the user typed into a prefix-matching tsquery ("postgr repl" → postgr:* & repl:*), so
 * results appear as they type. Only letters and digits reach to_tsquery: its syntax never comes
 * from user input. Null when nothing searchable remains.
 */
export function toPrefixQuery(input: string): string | null {
  const words = input
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 8);
  return words.length ? words.map((w) => `${w}:*`).join(" & ") : null;
}

const START = "\u0001";
const STOP = "\u0002";

/** ts_headline marks matches with control characters; escape the text, then turn them into <mark>. */
function toSnippet(raw: string): string {
  const escaped = raw.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return escaped.replaceAll(START, "<mark>").replaceAll(STOP, "</mark>");
}

export async function searchConversationsByUserId(
  args: { userId: string; query: string; limit?: number },
  exec?: Executor,
): Promise<SearchHit[]> {
  const tsquery = toPrefixQuery(args.query);
  if (!tsquery || !isUuid(args.userId)) return [];
  const limit = Math.min(Math.max(args.limit ?? 20, 1), 50);
  const db = await resolve(exec);
  const result = (await db.execute(sql`
    with q as (select to_tsquery('english', ${tsquery}) as query),
    msg as (
      select distinct on (m.conversation_id) m.conversation_id, m.id, m.content, ts_rank(m.search, q.query) as rank
        from messages m
        join conversations c on c.id = m.conversation_id, q
       where c.user_id = ${args.userId}::uuid and not c.is_archived and m.search @@ q.query
       order by m.conversation_id, rank desc
    ),
    title as (
      select c.id as conversation_id, ts_rank(to_tsvector('english', coalesce(c.title, '')), q.query) * 2 as rank
        from conversations c, q
       where c.user_id = ${args.userId}::uuid and not c.is_archived
         and to_tsvector('english', coalesce(c.title, '')) @@ q.query
    ),
    best as (
      select coalesce(msg.conversation_id, title.conversation_id) as conversation_id,
             msg.id as message_id, msg.content,
             coalesce(msg.rank, 0) + coalesce(title.rank, 0) as rank
        from msg full join title on title.conversation_id = msg.conversation_id
       order by rank desc
       limit ${limit}
    )
    select b.conversation_id, c.title, c.updated_at, b.message_id, b.rank,
           ts_headline('english', coalesce(b.content, c.title, ''), q.query,
             ${`StartSel=${START}, StopSel=${STOP}, MaxWords=24, MinWords=8, MaxFragments=1`}) as snippet
      from best b join conversations c on c.id = b.conversation_id, q
     order by b.rank desc, c.updated_at desc`)) as unknown;
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
    conversation_id: string;
    title: string | null;
    updated_at: string | Date;
    message_id: string | null;
    rank: number | string;
    snippet: string;
  }[];
  return rows.map((r) => ({
    conversationId: r.conversation_id,
    title: r.title,
    updatedAt: new Date(r.updated_at),
    messageId: r.message_id,
    snippet: toSnippet(r.snippet),
    rank: Number(r.rank),
  }));
}
