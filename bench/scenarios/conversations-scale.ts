// Issue 5's scale scenario: one heavy user with 10,000 conversations and 1,000,000 messages
// (generated in SQL, deterministic), then the sidebar's first page, a page deep in the list (keyset
// cursor), search, rename and delete, each timed over many runs (p50/p95), with the query plans the
// targets rely on. Meant for PostgreSQL (DATABASE_URL: a fresh database is created and dropped);
// on PGlite it runs at a tenth of the size and says so.
//   npx tsx bench/scenarios/conversations-scale.ts [--quick]
import { createHash, randomUUID } from "node:crypto";
import { percentile } from "../stats";
import { createScratchDatabase } from "../scratch-db";

const TOPICS = ["postgres", "kubernetes", "sourdough", "tomatoes", "typescript", "marathon", "violin", "espresso", "bicycles", "taxes"];
const WORDS = ["streaming", "latency", "budget", "garden", "recipe", "deploy", "index", "training", "coffee", "river", "mountain", "guitar"];

export interface ScaleResult {
  driver: string;
  conversations: number;
  messages: number;
  seedMs: number;
  rows: { name: string; p50: number; p95: number; target: number | null }[];
  plans: Record<string, string>;
}

async function timeIt(n: number, f: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await f(i);
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return { p50: percentile(t, 50), p95: percentile(t, 95) };
}

export async function conversationsAtScale(opts: { quick: boolean }): Promise<ScaleResult> {
  const onPostgres = Boolean(process.env.DATABASE_URL);
  const { drop: dropDb } = await createScratchDatabase("bench_scale");
  const scale = onPostgres && !opts.quick ? 1 : 0.1;
  const nConv = Math.round(10_000 * scale);
  const perConv = 100;
  const { getDb, closeDb, dbDriver } = await import("@/db/index");
  const { sql } = await import("drizzle-orm");
  const { listConversationsByUserId, renameConversation, deleteConversationById } = await import("@/db/queries/conversations");
  const { searchConversationsByUserId } = await import("@/db/queries/search");
  const db = await getDb();
  // Constant word lists as SQL array literals (drizzle would bind a JS array as a tuple).
  const literal = (xs: string[]) => sql.raw(`(array[${xs.map((x) => `'${x}'`).join(", ")}])`);
  const topics = literal(TOPICS);
  const words = literal(WORDS);
  const rowsOf = (r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Record<string, unknown>[];
  try {
    const userId = randomUUID();
    const t0 = performance.now();
    await db.execute(sql`insert into users (id, email, name) values (${userId}::uuid, ${`scale-${userId}@bench.test`}, 'Heavy user')`);
    await db.execute(sql`
      insert into conversations (id, user_id, title, model, created_at, updated_at)
      select md5('c' || i)::uuid, ${userId}::uuid,
             'Chat ' || i || ' about ' || ${topics}[1 + i % 10],
             'gpt-4o', now() - (i || ' minutes')::interval, now() - (i || ' minutes')::interval
        from generate_series(1, ${nConv}) i`);
    // 100 messages a conversation, a linear chain; batches keep the transaction log small.
    const batch = Math.max(1, Math.floor(100_000 / perConv));
    for (let from = 1; from <= nConv; from += batch) {
      const to = Math.min(nConv, from + batch - 1);
      await db.execute(sql`
        insert into messages (id, conversation_id, parent_id, role, content, finish_reason, sequence_num, created_at, updated_at)
        select md5('m' || i || '-' || j)::uuid, md5('c' || i)::uuid,
               case when j = 0 then null else md5('m' || i || '-' || (j - 1))::uuid end,
               case when j % 2 = 0 then 'user' else 'assistant' end,
               'Message ' || j || ' on ' || ${topics}[1 + (i + j) % 10] || ': ' ||
                 ${words}[1 + (i * 7 + j) % 12] || ' ' || ${words}[1 + (i + j * 3) % 12] ||
                 case when i = 42 and j = 3 then ' quetzalcoatl' else '' end ||
                 ' and more words to make a realistic paragraph of text about the subject at hand.',
               case when j % 2 = 1 then 'stop' end, j,
               now() - (i || ' minutes')::interval, now() - (i || ' minutes')::interval
          from generate_series(${from}::int, ${to}::int) i, generate_series(0, ${perConv - 1}) j`);
    }
    await db.execute(sql`update conversations set current_message_id = md5('m' || substr(title, 6, strpos(title, ' about') - 6) || '-' || ${perConv - 1})::uuid where user_id = ${userId}::uuid`);
    await db.execute(sql`analyze`);
    const seedMs = performance.now() - t0;

    const runs = opts.quick ? 50 : 200;
    const first = await timeIt(runs, () => listConversationsByUserId({ userId, limit: 20 }));
    // A cursor about 90 % of the way down the list.
    let cursor: string | null = null;
    for (let page = 0, before: string | undefined; page < Math.floor((nConv * 0.9) / 100); page++) {
      const p = await listConversationsByUserId({ userId, limit: 100, before });
      before = p.nextCursor ?? undefined;
      cursor = p.nextCursor;
    }
    const deep = await timeIt(runs, () => listConversationsByUserId({ userId, limit: 20, before: cursor ?? undefined }));
    const rare = await timeIt(runs, () => searchConversationsByUserId({ userId, query: "quetzal" }));
    const common = await timeIt(Math.ceil(runs / 4), () => searchConversationsByUserId({ userId, query: "sourdough garden" }));
    const rename = await timeIt(runs, (i) => renameConversation({ id: md5Uuid(`c${1 + (i % nConv)}`), userId, title: `Renamed ${i}` }));
    const del = await timeIt(Math.ceil(runs / 4), (i) => deleteConversationById({ id: md5Uuid(`c${nConv - i}`), userId }));

    const explain = async (q: ReturnType<typeof sql>) =>
      rowsOf(await db.execute(sql`explain (analyze, costs off, timing off, summary off) ${q}`))
        .map((r) => String(Object.values(r)[0]))
        .join("\n");
    const plans = {
      "sidebar page": await explain(
        sql`select * from conversations where user_id = ${userId}::uuid and is_archived = false order by updated_at desc, id desc limit 21`,
      ),
      "search (message text)": await explain(
        sql`select m.conversation_id from messages m join conversations c on c.id = m.conversation_id where c.user_id = ${userId}::uuid and m.search @@ to_tsquery('english', 'quetzal:*')`,
      ),
    };
    return {
      driver: dbDriver() === "postgres" ? "PostgreSQL" : "PGlite (a tenth of the size)",
      conversations: nConv,
      messages: nConv * perConv,
      seedMs,
      rows: [
        { name: "sidebar first page (20)", ...first, target: 20 },
        { name: "sidebar page deep in the list", ...deep, target: 20 },
        { name: "search, rare word (prefix)", ...rare, target: 100 },
        { name: "search, common words", ...common, target: 100 },
        { name: "rename", ...rename, target: 20 },
        { name: "delete (100 messages each)", ...del, target: 20 },
      ],
      plans,
    };
  } finally {
    await closeDb();
    await dropDb?.();
  }
}

function md5Uuid(s: string): string {
  // Same ids as md5(…)::uuid in the seed SQL.
  const hex = createHash("md5").update(s).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await conversationsAtScale({ quick: process.argv.includes("--quick") });
  console.log(`## Conversations at scale — ${r.driver}: ${r.conversations.toLocaleString()} conversations, ${r.messages.toLocaleString()} messages (seeded in ${(r.seedMs / 1000).toFixed(0)} s)\n`);
  console.log("| operation | p50 (ms) | p95 (ms) | target p95 | |\n| --- | ---: | ---: | ---: | :-: |");
  for (const row of r.rows) console.log(`| ${row.name} | ${row.p50.toFixed(2)} | ${row.p95.toFixed(2)} | ≤ ${row.target} ms | ${row.p95 <= (row.target ?? Infinity) ? "✓" : "✗"} |`);
  for (const [name, plan] of Object.entries(r.plans)) console.log(`\n${name}:\n\`\`\`\n${plan}\n\`\`\``);
  process.exit(0);
}
