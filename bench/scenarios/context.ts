// Scenario 4: context assembly, exactly as the gateway's start-reply does it — fetch the newest part
// of the conversation's active path that fits the token budget (db/queries/messages.ts
// getContextPath: one recursive query up the message tree, summing stored token counts) and build
// the upstream prompt (lib/gateway/context.ts assembleContext; a 128k-token GPT-4o-like window) —
// for conversations of 10, 1,000 and 10,000 messages. The whole path (getActivePath, what a page
// load fetches) is timed too, for reference.
// Runs in the bench process on its own database: PostgreSQL when DATABASE_URL is set (the fresh
// database main.ts created), otherwise PGlite in memory. Seeded with bulk inserts: a linear chain
// of alternating user (~200 characters) and assistant (~800 characters) messages, each with its
// stored token count as the gateway writes it.
import { randomUUID } from "node:crypto";
import { percentile } from "../stats";

export const CONTEXT_SIZES = [10, 1_000, 10_000] as const;
export const CONTEXT_P50_TARGET_MS = 20;
const USER_TEXT = "How should I size the connection pool for a service that streams model replies to many users? ".repeat(2);
const ASSISTANT_TEXT = "A pool sized to the database's cores is usually enough, because streaming replies hold no connection while they wait for tokens. ".repeat(6);

export interface ContextSize {
  messages: number;
  reps: number;
  /** getContextPath + assembleContext, ms. */
  p50Ms: number;
  p99Ms: number;
  queryP50Ms: number;
  assembleP50Ms: number;
  /** getActivePath (the whole path), p50 ms. */
  fullPathP50Ms: number;
  /** Messages getContextPath returned. */
  fetched: number;
  promptChars: number;
  /** Messages of the path left out of the prompt (over the token budget). */
  omitted: number;
}

export interface ContextResult {
  driver: "postgres" | "pglite";
  seedMs: number;
  sizes: ContextSize[];
  /** Counting a new ~10k-token message in every catalog encoding, as the gateway does on write. */
  tokenize: { tokens: number; p50Ms: number; p99Ms: number };
  /** Counting 100 k characters of each shape that made the tokenizer quadratic (review finding 1), o200k + cl100k. */
  hostileTokenize: { shape: string; chars: number; ms: number }[];
}

/** The slowest of these must stay far below the seconds the unbounded merge took (30 s for 100 KB of "a"). */
export const HOSTILE_TOKENIZE_TARGET_MS = 500;

export const TOKENIZE_P50_TARGET_MS = 10;

/** Times countForEncodings on a fresh ~10,000-token message (varied text, so no cache helps). */
async function tokenizeNewMessage(reps: number): Promise<ContextResult["tokenize"]> {
  const { countForEncodings, tokenCounter } = await import("@/lib/tokens/count");
  const words = ["stream", "latency", "gateway", "token", "budget", "replica", "prefix", "cache", "model", "batch"];
  const message = (seed: number) =>
    Array.from({ length: 7_500 }, (_, i) => `${words[(i * 7 + seed) % words.length]}${(i * 31 + seed) % 97}`).join(" ");
  const count = await tokenCounter("o200k_base");
  const tokens = count(message(0));
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const text = message(r + 1);
    const t0 = performance.now();
    await countForEncodings(text, ["o200k_base"]);
    times.push(performance.now() - t0);
  }
  return { tokens, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) };
}

/** Each hostile shape once, fresh (varied characters, so the merge cache cannot help), in both encodings. */
async function tokenizeHostile(): Promise<ContextResult["hostileTokenize"]> {
  const { countForEncodings } = await import("@/lib/tokens/count");
  let x = 1;
  const random = (alphabet: string[], n: number) => Array.from({ length: n }, () => alphabet[((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 16) % alphabet.length]).join("");
  const shapes: Record<string, (n: number) => string> = {
    "one letter": (n) => "a".repeat(n),
    "two letters": (n) => random(["a", "b"], n),
    "two accented letters": (n) => random(["é", "è"], n),
    "two CJK characters": (n) => random(["漢", "字"], n),
    "spaces and tabs": (n) => random([" ", "\t"], n),
  };
  await countForEncodings("warm up", ["o200k_base", "cl100k_base"]);
  const out: ContextResult["hostileTokenize"] = [];
  for (const [shape, make] of Object.entries(shapes)) {
    const text = make(100_000);
    const t0 = performance.now();
    await countForEncodings(text, ["o200k_base", "cl100k_base"]);
    out.push({ shape, chars: text.length, ms: performance.now() - t0 });
  }
  return out;
}

type Reps = Record<(typeof CONTEXT_SIZES)[number], number>;

/** The caller sets DATABASE_URL (or PGLITE_DIR=memory://) before this runs; nothing in @/db is imported earlier. */
export async function contextAssembly(reps: Reps): Promise<ContextResult> {
  const { getDb, closeDb, dbDriver } = await import("@/db/index");
  const { conversations, messages, users } = await import("@/db/schema");
  const { getActivePath, getContextPath } = await import("@/db/queries/messages");
  const { reservedOutputTokens } = await import("@/lib/models/catalog");
  const { assembleContext } = await import("@/lib/gateway/context");
  const { tokenCounter } = await import("@/lib/tokens/count");
  const { eq, sql } = await import("drizzle-orm");

  const model = {
    id: "bench-context",
    label: "Bench context",
    description: "",
    contextWindow: 128_000,
    maxOutputTokens: 4_096,
    encoding: "o200k_base",
    pricing: { inputPerM: 2.5, outputPerM: 10 },
    tiers: ["free"],
    systemPrompt: "You are a helpful assistant.",
    simulated: true,
    pools: [{ name: "none", replicas: [{ url: "http://127.0.0.1:9", weight: 1 }] }],
  } as Parameters<typeof assembleContext>[0]["model"];
  const count = await tokenCounter(model.encoding);
  const tokens = { user: { [model.encoding]: count(USER_TEXT) + 2 }, assistant: { [model.encoding]: count(ASSISTANT_TEXT) + 2 } };

  const db = await getDb();
  const t0 = performance.now();
  const [user] = await db.insert(users).values({ isGuest: true }).returning();
  const convs: { id: string; size: number }[] = [];
  for (const size of CONTEXT_SIZES) {
    const conversationId = randomUUID();
    await db.insert(conversations).values({ id: conversationId, userId: user.id, model: "bench-medium", title: `bench ${size}` });
    let parentId: string | null = null;
    for (let from = 0; from < size; from += 1_000) {
      const rows: (typeof messages.$inferInsert)[] = [];
      for (let i = from; i < Math.min(size, from + 1_000); i++) {
        const id = randomUUID();
        const user = i % 2 === 0;
        rows.push({
          id,
          conversationId,
          parentId,
          role: user ? "user" : "assistant",
          content: `${i}: ${user ? USER_TEXT : ASSISTANT_TEXT}`,
          contentTokens: user ? tokens.user : tokens.assistant,
          model: user ? null : "bench-medium",
          finishReason: user ? null : "stop",
          sequenceNum: i,
        });
        parentId = id;
      }
      await db.insert(messages).values(rows);
    }
    await db.update(conversations).set({ currentMessageId: parentId }).where(eq(conversations.id, conversationId));
    convs.push({ id: conversationId, size });
  }
  if (dbDriver() === "postgres") await db.execute(sql`analyze`);
  const seedMs = performance.now() - t0;

  const sizes: ContextSize[] = [];
  for (const { id, size } of convs) {
    const total: number[] = [];
    const query: number[] = [];
    const assemble: number[] = [];
    const full: number[] = [];
    let fetched = 0;
    let promptChars = 0;
    let omitted = 0;
    const n = reps[size as keyof Reps];
    for (let i = -2; i < n; i++) {
      const a = performance.now();
      const path = await getContextPath({
        conversationId: id,
        userId: user.id,
        encoding: model.encoding,
        budgetTokens: model.contextWindow - reservedOutputTokens(model),
        untilMessageId: null,
      });
      const b = performance.now();
      const prompt = assembleContext({ model, system: model.systemPrompt!, summary: null, path, count });
      const c = performance.now();
      const whole = await getActivePath({ conversationId: id, userId: user.id });
      const d = performance.now();
      if (whole.length !== size) throw new Error(`active path of ${whole.length} messages, expected ${size}`);
      if (i < 0) continue; // warm-up
      total.push(c - a);
      query.push(b - a);
      assemble.push(c - b);
      full.push(d - c);
      fetched = path.length;
      promptChars = prompt.messages.reduce((s, m) => s + m.content.length, 0);
      omitted = prompt.info.omitted;
    }
    sizes.push({
      messages: size,
      reps: n,
      p50Ms: percentile(total, 50),
      p99Ms: percentile(total, 99),
      queryP50Ms: percentile(query, 50),
      assembleP50Ms: percentile(assemble, 50),
      fullPathP50Ms: percentile(full, 50),
      fetched,
      promptChars,
      omitted,
    });
  }
  const driver = dbDriver();
  await closeDb();
  return { driver, seedMs, sizes, tokenize: await tokenizeNewMessage(20), hostileTokenize: await tokenizeHostile() };
}
