// Issue 6's tree scenario: conversations of 2,000 messages in 50 branches (edits and regenerations
// forking off earlier branches at varying depths), then the page's read — the active path with each
// message's versions (getActivePathWithSiblings, one recursive statement) — and a version switch
// (switchToBranch: the newest leaf below a message, then the new path), each timed over many runs
// (p50/p95). Target: active path ≤ 20 ms p95 on PostgreSQL. Meant for PostgreSQL (DATABASE_URL:
// a fresh database is created and dropped); on PGlite (in memory) it runs the same size.
//   npx tsx bench/scenarios/branch-path.ts [--quick]
import { randomUUID } from "node:crypto";
import { percentile } from "../stats";
import { createScratchDatabase } from "../scratch-db";

const BRANCHES = 50;
const PER_BRANCH = 40; // 50 × 40 = 2,000 messages a conversation
const CONVERSATIONS = 20; // the measured one among 19 others of the same shape
const QUICK_CONVERSATIONS = 5; // --quick (npm run bench -- --quick): fewer neighbours, quicker to seed

export interface BranchPathResult {
  driver: string;
  conversations: number;
  messages: number;
  pathLength: number;
  seedMs: number;
  rows: { name: string; p50: number; p95: number; target: number | null }[];
  plan: string;
}

async function timeIt(n: number, f: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < Math.min(10, n); i++) await f(i); // warm-up: plans, caches
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await f(i);
    t.push(performance.now() - s);
  }
  return { p50: percentile(t, 50), p95: percentile(t, 95) };
}

interface Row {
  id: string;
  conversationId: string;
  parentId: string | null;
  role: "user" | "assistant";
  content: string;
  finishReason: "stop" | null;
  sequenceNum: number;
  createdAt: Date;
}

/** One conversation's tree: branch b > 0 forks off an earlier branch at a depth that varies with b. */
function tree(conversationId: string, t0: number): { rows: Row[]; leaf: string; forkPoints: string[] } {
  const branches: { depth0: number; ids: string[] }[] = [];
  const rows: Row[] = [];
  const forkPoints: string[] = [];
  let clock = t0;
  for (let b = 0; b < BRANCHES; b++) {
    let parentId: string | null = null;
    let depth = 0;
    if (b > 0) {
      const from = branches[(b * 7) % b];
      const k = (b * 13) % PER_BRANCH;
      parentId = from.ids[k];
      depth = from.depth0 + k + 1;
    }
    const ids: string[] = [];
    for (let j = 0; j < PER_BRANCH; j++, depth++) {
      const id = randomUUID();
      const role = depth % 2 === 0 ? "user" : "assistant";
      rows.push({
        id,
        conversationId,
        parentId,
        role,
        content: `Branch ${b} message ${j}: ${"a realistic paragraph of text about the subject at hand, ".repeat(3)}`,
        finishReason: role === "assistant" ? "stop" : null,
        sequenceNum: depth,
        createdAt: new Date(clock++),
      });
      ids.push(id);
      parentId = id;
      if (j === 0 && b > 0) forkPoints.push(id);
    }
    branches.push({ depth0: rows.find((r) => r.id === ids[0])!.sequenceNum, ids });
  }
  return { rows, leaf: branches.at(-1)!.ids.at(-1)!, forkPoints };
}

export async function branchPath(opts: { quick: boolean }): Promise<BranchPathResult> {
  const { drop: dropDb } = await createScratchDatabase("bench_branches");
  const { getDb, closeDb, dbDriver } = await import("@/db/index");
  const { sql } = await import("drizzle-orm");
  const { conversations, messages, users } = await import("@/db/schema");
  const { activePathSql, getActivePathWithSiblings, switchToBranch } = await import("@/db/queries/branches");
  const { getActivePath } = await import("@/db/queries/messages");
  const db = await getDb();
  try {
    const t0 = performance.now();
    const [user] = await db.insert(users).values({ email: `branches-${randomUUID()}@bench.test` }).returning();
    let measured: { id: string; leaf: string; forkPoints: string[] } | null = null;
    const count = opts.quick ? QUICK_CONVERSATIONS : CONVERSATIONS;
    for (let c = 0; c < count; c++) {
      const [conv] = await db.insert(conversations).values({ userId: user.id, model: "gpt-4o", title: `Tree ${c}` }).returning();
      const t = tree(conv.id, Date.now() - 10_000_000 + c * 10_000);
      for (let i = 0; i < t.rows.length; i += 500) await db.insert(messages).values(t.rows.slice(i, i + 500));
      await db.update(conversations).set({ currentMessageId: t.leaf }).where(sql`${conversations.id} = ${conv.id}`);
      if (c === Math.floor(count / 2)) measured = { id: conv.id, leaf: t.leaf, forkPoints: t.forkPoints };
    }
    await db.execute(sql`analyze`);
    const seedMs = performance.now() - t0;
    const m = measured!;
    const args = { conversationId: m.id, userId: user.id };
    const pathLength = (await getActivePathWithSiblings(args)).length;
    const runs = opts.quick ? 50 : 300;
    const withVersions = await timeIt(runs, () => getActivePathWithSiblings(args));
    const plain = await timeIt(runs, () => getActivePath(args));
    // The page's read with its real parameters (inlined: EXPLAIN takes no bind parameters).
    const q = activePathSql(db, args);
    const inlined = q.sql.replace(/\$(\d+)/g, (_, n: string) => `'${String(q.params[Number(n) - 1])}'`);
    const planRows = (await db.execute(sql.raw(`explain (analyze, costs off, timing off, summary off) ${inlined}`))) as unknown;
    const plan = (Array.isArray(planRows) ? planRows : (planRows as { rows: unknown[] }).rows)
      .map((r) => String(Object.values(r as object)[0]))
      .join("\n");
    const switching = await timeIt(Math.ceil(runs / 3), (i) => switchToBranch({ ...args, messageId: m.forkPoints[i % m.forkPoints.length] }));
    return {
      driver: dbDriver() === "postgres" ? "PostgreSQL" : "PGlite",
      conversations: count,
      messages: count * BRANCHES * PER_BRANCH,
      pathLength,
      seedMs,
      rows: [
        { name: "active path with versions (page load)", ...withVersions, target: 20 },
        { name: "active path only (getActivePath)", ...plain, target: null },
        { name: "switch version (newest leaf + new path)", ...switching, target: null },
      ],
      plan,
    };
  } finally {
    await closeDb();
    await dropDb?.();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await branchPath({ quick: process.argv.includes("--quick") });
  console.log(
    `## Branching — ${r.driver}: ${r.conversations} conversations × ${BRANCHES * PER_BRANCH} messages in ${BRANCHES} branches (${r.messages.toLocaleString()} messages, seeded in ${(r.seedMs / 1000).toFixed(1)} s); measured path: ${r.pathLength} messages\n`,
  );
  console.log("| operation | p50 (ms) | p95 (ms) | target p95 | |\n| --- | ---: | ---: | ---: | :-: |");
  for (const row of r.rows) {
    const target = row.target === null ? "–" : `≤ ${row.target} ms`;
    const ok = row.target === null ? "" : row.p95 <= row.target ? "✓" : "✗";
    console.log(`| ${row.name} | ${row.p50.toFixed(2)} | ${row.p95.toFixed(2)} | ${target} | ${ok} |`);
  }
  if (process.argv.includes("--plan")) console.log(`\nactive path with versions:\n\`\`\`\n${r.plan}\n\`\`\``);
  process.exit(0);
}
